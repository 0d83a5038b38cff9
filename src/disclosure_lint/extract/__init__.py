"""Stage 0: published forms (HTML pages, Word files, PDFs) to the plain text dlint parses.

One heading, paragraph or table row a line; table cells separated by tabs. HTML and DOCX are read
with the standard library; PDF needs the `pdf` extra (pypdfium2). A reader that is missing, or a file
it cannot open, is a `SourceError` (a finding for that file, never a traceback).
"""

from __future__ import annotations

from pathlib import Path

from ..source import SourceError

READERS = {".html": "html", ".htm": "html", ".xhtml": "html", ".docx": "docx", ".pdf": "pdf"}
EXTRAS = {"pdf": "pdf"}  # reader -> the pip extra that brings its library


def reader_for(path: str | Path) -> str | None:
    return READERS.get(Path(path).suffix.lower())


def extract(data: bytes, reader: str) -> str:
    """The plain text of a published file. Raises SourceError (DL004 unreadable, DL006 missing reader)."""
    import importlib

    module = importlib.import_module(f"{__package__}.{reader}")
    try:
        return module.extract(data)
    except ModuleNotFoundError as exc:
        extra = EXTRAS.get(reader, reader)
        raise SourceError("DL006", reader=reader.upper(), extra=extra, module=exc.name or "") from None
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file is that file's finding
        raise SourceError("DL004", reason=f"cannot read as {reader.upper()}: {type(exc).__name__}: {exc}"[:200]) from None
