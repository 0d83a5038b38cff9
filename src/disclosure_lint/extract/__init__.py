"""Stage 0: published forms (HTML pages, Word files, PDFs) to the plain text dlint parses.

One heading, paragraph or table row a line; table cells separated by tabs. HTML and DOCX are read
with the standard library; PDF needs the `pdf` extra (pypdfium2). A reader that is missing, a file it
cannot open or one that would extract to more than the bounds below is an `ExtractError` (a finding
for that file, never a traceback). The flow is one-way: the source stage calls this one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# What a published file may extract to: a report is tens of thousands of characters on a few dozen
# pages; a decompression bomb stops at these bounds and is reported as too large (DL002).
MAX_TEXT = 4_000_000  # characters of extracted text
MAX_PAGES = 500  # PDF pages
MAX_INFLATED = 16 * 1024 * 1024  # bytes of a DOCX's document.xml once inflated

# Set by the runner: how many processes may share one file's scanned pages (a single scan checked with
# `--jobs 2` reads two pages at once; inside a `--jobs` worker pages are read one by one), and where a
# scanned page's reading is kept (the result cache: `get_raw`/`put_raw`), so that a re-check with other
# settings, or `dlint extract`, does not read the page again.
PAGE_JOBS = 1
STORE: Any = None


def read_pages_with(jobs: int) -> None:
    global PAGE_JOBS
    PAGE_JOBS = max(1, jobs)


def keep_readings_in(store: Any) -> None:
    global STORE
    STORE = store


class ExtractError(Exception):
    """A published file that cannot be read; `code` is the DL0xx rule it maps to."""

    def __init__(self, code: str, **args: object) -> None:
        super().__init__(code)
        self.code = code
        self.args_ = args


def too_large(what: str, size: int, limit: int) -> ExtractError:
    return ExtractError("DL002", size=f"{size:,}{what}", limit=f"{limit:,}{what}")

# Pages served by .shtml, .aspx and .jsp URLs are HTML like any other.
READERS = {".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html", ".aspx": "html", ".jsp": "html",
           ".docx": "docx", ".pdf": "pdf", ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image",
           ".tiff": "image"}
# Formats no maintained pure reader handles: the file gets a finding saying what to do (DL008).
LEGACY = {".doc": "Word 97-2003 (.doc)", ".wps": "WPS (.wps)", ".et": "WPS (.et)"}
EXTRAS = {"pdf": "pdf", "image": "ocr"}  # reader -> the pip extra that brings its library


def traced_row(cells: list[tuple[str, list]]) -> tuple[str, list]:
    """Cells with their characters' origins as one tab-separated line; a tab has no origin (the reader
    made it)."""
    line, origins = "", []
    for i, (text, where) in enumerate(cells):
        if i:
            line += "\t"
            origins.append(None)
        line += text
        origins.extend(where)
    return line, origins


def reader_for(path: str | Path) -> str | None:
    return READERS.get(Path(path).suffix.lower())


def extract(data: bytes, reader: str) -> tuple[str, str, list[tuple[int, int, float]]]:
    """The plain text of a published file, the date the file says it was published (YYYY-MM-DD, or "":
    a page's metadata), and the scan's doubtful readings ((start, end, confidence) of characters OCR read
    with low confidence). Raises ExtractError (DL002 too large, DL004 unreadable, DL006 missing reader)."""
    import importlib

    module = importlib.import_module(f"{__package__}.{reader}")
    published, doubtful = "", []
    try:
        if hasattr(module, "read"):
            text, published, *rest = module.read(data)
            doubtful = rest[0] if rest else []
        else:
            text = module.extract(data)
    except ModuleNotFoundError as exc:
        extra = EXTRAS.get(reader, reader)
        raise ExtractError("DL006", reader=reader.upper(), extra=extra, module=exc.name or "") from None
    except ExtractError:
        raise
    except MemoryError:
        raise too_large(" bytes", len(data), len(data)) from None
    except Exception as exc:  # noqa: BLE001 - a damaged file is that file's finding
        raise ExtractError("DL004", reason=f"cannot read as {reader.upper()}: {type(exc).__name__}: {exc}"[:200]) from None
    if len(text) > MAX_TEXT:  # every reader, HTML included
        raise too_large(" characters", len(text), MAX_TEXT)
    return text, published, doubtful
