"""Stage 1: bytes on disk to a `Source` (decoded text, newline style, line index)."""

from __future__ import annotations

import bisect
import codecs
import os
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import accumulate, repeat
from operator import add
from pathlib import Path
from typing import NoReturn

from .safeio import NotRegular, TooLarge, read_bytes, read_start

# Reports are a few tens of KB; anything this large is not a report and is not read whole.
MAX_BYTES = 8 * 1024 * 1024
MAX_PUBLISHED_BYTES = 64 * 1024 * 1024  # a PDF or Word file carries images and fonts besides the text
# a report's title is among its first lines: build.peek_title reads no further than these of its text
HEAD_CHARS, HEAD_LINES = 3000, 16
MAX_HTML_BYTES = 8 * 1024 * 1024  # a page's tree takes some 30 times its size in memory; real pages are < 1 MB
BOMS = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}
_UTF16_BOMS = (BOMS["utf-16-le"], BOMS["utf-16-be"])
_ANY_BOM = tuple(BOMS.values())


class SourceError(Exception):
    """Input that cannot be read as a report. `code` is the DL0xx rule it maps to."""

    def __init__(self, code: str, **args: object) -> None:
        super().__init__(code)
        self.code = code
        self.args_ = args


@dataclass(frozen=True)
class Source:
    path: str
    text: str  # decoded, BOM removed, every newline normalised to "\n"
    encoding: str = "utf-8"
    bom: bool = False
    newline: str = "\n"
    digest: str = ""  # of the bytes read: a fix is not written over a file changed since
    published: str = ""  # YYYY-MM-DD: the date a published page says it was put online
    doubtful: tuple[tuple[int, int, float], ...] = ()  # a scan's characters OCR read with low confidence

    @classmethod
    def from_text(cls, text: str, path: str = "<text>", *, encoding: str = "utf-8", bom: bool = False,
                  digest: str = "", published: str = "", doubtful: tuple[tuple[int, int, float], ...] = ()) -> Source:
        if "\r" not in text:
            return cls(path, text, encoding, bom, "\n", digest, published, doubtful)
        newline = "\r\n" if "\r\n" in text else "\r"
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return cls(path, text, encoding, bom, newline, digest, published, doubtful)

    @cached_property
    def line_starts(self) -> tuple[int, ...]:
        """Each line's offset, made when a position is first asked for: a batch places its findings
        with `Excerpt.of`, which needs none."""
        # each line starts one past the end of the line before: running sums of the lengths, in C
        lengths = map(len, self.text.split("\n"))
        return (0, *accumulate(map(add, lengths, repeat(1, self.text.count("\n")))))

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in code points) of a text offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1

    def line_text(self, line: int) -> str:
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.text)
        return self.text[start:end]


@dataclass(frozen=True)
class Excerpt:
    """What the outputs need of a checked source: the positions of its findings' offsets and the text of
    their lines. A worker sends this back instead of the whole text and line index (a seventh of the
    bytes), and a batch keeps it."""

    path: str
    encoding: str
    positions: dict[int, tuple[int, int]]
    lines: dict[int, str]

    @classmethod
    def of(cls, source: Source, offsets: set[int], with_lines: bool = True) -> Excerpt:
        """The places of `offsets` as `source.position` gives them, read in one pass from the first offset
        to the last (the newlines before each counted from the one before), without the line index; and,
        `with_lines`, the text of their lines (a crawl's line is the whole report)."""
        text = source.text
        positions: dict[int, tuple[int, int]] = {}
        lines: dict[int, str] = {}
        line, at = 1, 0
        for offset in sorted(offsets):
            clamped = max(0, min(offset, len(text)))
            line += text.count("\n", at, clamped)
            at = clamped
            start = text.rfind("\n", 0, clamped) + 1
            positions[offset] = (line, clamped - start + 1)
            if with_lines and line not in lines:
                end = text.find("\n", clamped)
                lines[line] = text[start:end if end != -1 else len(text)]
        return cls(source.path, source.encoding, positions, lines)

    def position(self, offset: int) -> tuple[int, int]:
        return self.positions.get(offset, (1, 1))

    def line_text(self, line: int) -> str:
        return self.lines.get(line, "")


def decode(data: bytes, path: str = "<bytes>", digest: str = "") -> Source:
    """Decode report bytes: UTF-8 (BOM or not), UTF-16 with BOM, else GB18030 (GBK's superset)."""
    if data.startswith(BOMS["utf-8"]):
        return _text(data[3:], "utf-8", path, digest, bom=True)
    if data.startswith(_UTF16_BOMS):
        try:
            return _text(data[2:], "utf-16-le" if data[0] == 0xFF else "utf-16-be", path, digest, bom=True)
        except UnicodeDecodeError as exc:
            raise SourceError("DL003", offset=exc.start + 2) from None
    if b"\x00" in data:
        raise SourceError("DL001")
    try:
        return _text(data, "utf-8", path, digest)
    except UnicodeDecodeError:
        pass
    try:
        return _text(data, "gb18030", path, digest)
    except UnicodeDecodeError as exc:
        raise SourceError("DL003", offset=exc.start) from None


def _text(data: bytes, encoding: str, path: str, digest: str, bom: bool = False) -> Source:
    text = data.decode(encoding)
    if encoding.startswith("utf-16") and "\x00" in text:
        raise SourceError("DL001")
    return Source.from_text(text, path, encoding=encoding, bom=bom, digest=digest)


def read_source(path: str | os.PathLike[str], display: str | None = None, known: Source | None = None) -> Source:
    """Read and decode one file (extracting the text of HTML, DOCX and PDF files); every failure is a
    `SourceError`, never an OSError. `known`: the file's source as read before in this run (as another
    report's last year): used again when the bytes are the same, a published file not extracted twice."""
    from .extract import LEGACY, READERS

    name = display if display is not None else str(path)
    suffix = Path(path).suffix.lower()
    if suffix in LEGACY:
        raise SourceError("DL008", format=LEGACY[suffix])
    reader = READERS.get(suffix)
    limit = byte_limit(reader)
    try:  # opened once: whether it is a file, and its size, from the open file
        data = read_bytes(path, limit)
    except TooLarge as exc:
        raise SourceError("DL002", size=exc.size, limit=limit) from None
    except NotRegular as exc:
        if exc.is_dir:
            _refuse_folder(path)
        raise SourceError("DL004", reason="not a regular file") from None
    except OSError as exc:
        if os.path.isdir(path):  # a folder that cannot be opened (Windows)
            _refuse_folder(path)
        raise SourceError("DL004", reason=exc.strerror or type(exc).__name__) from None
    if known is not None:
        bytes_digest = digest(data)
        if bytes_digest == known.digest:
            return replace(known, path=name)
        return source_from_bytes(data, name, reader, bytes_digest)
    return source_from_bytes(data, name, reader)


def _refuse_folder(path: str | os.PathLike[str]) -> NoReturn:
    try:
        os.listdir(path)
    except OSError as exc:
        raise SourceError("DL004", reason=f"folder cannot be read: {exc.strerror or exc}") from None
    raise SourceError("DL004", reason="is a directory")


def read_head(path: str | os.PathLike[str], size: int = 6000) -> str:
    """The text of a report's head (its title): the first `size` bytes of a plain-text file, decoded as
    the whole file would be, or the extracted text of a published one. A batch reads every report's head
    to pair it with last year's, so a plain file is not read whole for it."""
    from .extract import LEGACY, READERS

    suffix = Path(path).suffix.lower()
    reader = READERS.get(suffix)
    if reader == "image":
        return ""  # a page picture named on its own: not worth a page of OCR for a title
    if reader == "pdf":
        from .extract import ExtractError
        from .extract.pdf import first_page

        try:
            return first_page(read_bytes(path, MAX_PUBLISHED_BYTES))
        except (OSError, ExtractError, ModuleNotFoundError):
            return ""
        except Exception:  # noqa: BLE001 - a damaged file is reported when it is checked
            return ""
    if reader in ("html", "docx"):
        return _published_head(path, reader)
    if reader or suffix in LEGACY:
        return read_source(path).text
    try:
        data = read_start(path, size)
    except OSError as exc:
        raise SourceError("DL004", reason=exc.strerror or type(exc).__name__) from None
    if len(data) < size:
        return decode(data).text
    if not data.startswith(_ANY_BOM) and b"\x00" not in data:
        try:  # most heads: UTF-8 cut inside its last character at most, decoded without it in one call
            return Source.from_text(codecs.utf_8_decode(data, "strict", False)[0]).text
        except UnicodeDecodeError:
            pass
    return decode(_whole_characters(data)).text


def _published_head(path: str | os.PathLike[str], reader: str) -> str:
    """A page's or Word file's text as far as the lines its title is read from: the reader stops there (a
    page's walk, a Word file's XML is most of its reading, and a batch reads each report's head before it
    checks it). A file whose text could pass the extraction bound is read whole, as its check reads it:
    refused there, it names no title here either."""
    import importlib

    try:
        data = read_bytes(path, byte_limit(reader))
    except OSError:
        return read_source(path).text  # the check's own finding (DL002, DL004), raised as a SourceError
    try:
        text = importlib.import_module(f".extract.{reader}", __package__).head(data, HEAD_LINES + 1)  # whole lines
    except Exception:  # noqa: BLE001 - a damaged file is reported when it is checked
        return ""
    return read_source(path).text if text is None else text


def _whole_characters(head: bytes) -> bytes:
    """A file's first bytes without the character cut in two at their end, in whichever encoding
    `decode` will find (a character of UTF-8 or GB18030 is up to 4 bytes, of UTF-16 2 or 4)."""
    for encoding in ("utf-16",) if head.startswith(_UTF16_BOMS) else ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(head, final=False)
        except UnicodeDecodeError:
            continue
        pending = len(decoder.getstate()[0])
        return head[:len(head) - pending]
    return head


def byte_limit(reader: str | None) -> int:
    return (MAX_HTML_BYTES if reader == "html" else MAX_PUBLISHED_BYTES) if reader else MAX_BYTES


def source_from_bytes(data: bytes, name: str, reader: str | None, bytes_digest: str = "") -> Source:
    """A file's bytes (from disk or standard input) as a Source: extracted by `reader`, or decoded."""
    bytes_digest = bytes_digest or digest(data)
    if reader:
        from .extract import ExtractError, extract

        try:
            text, published, doubtful = extract(data, reader)
        except ExtractError as exc:
            raise SourceError(exc.code, **exc.args_) from None
        return Source.from_text(text, name, encoding=f"extracted-{reader}", digest=bytes_digest, published=published,
                                doubtful=tuple(doubtful))
    return decode(data, name, bytes_digest)


def digest(data: bytes) -> str:
    try:  # hashlib's own BLAKE2, without hashlib: importing hashlib loads OpenSSL (7 ms of a start-up)
        from _blake2 import blake2b
    except ImportError:  # a Python built without it
        from hashlib import blake2b

    return blake2b(data, digest_size=16).hexdigest()


def raw_text(data: bytes, source: Source) -> str:
    """The file's text as on disk (newlines untouched), decoded as `source` was."""
    if source.bom:
        data = data[len(BOMS[source.encoding]):]
    return data.decode(source.encoding)


def encode(text: str, source: Source) -> bytes:
    return (BOMS[source.encoding] if source.bom else b"") + text.encode(source.encoding)
