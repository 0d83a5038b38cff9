"""Word files (.docx): paragraphs and tables in document order, read from word/document.xml.

Merged cells: a horizontally merged cell (gridSpan) is one cell; a vertically merged one (vMerge)
gives its text at its first row only. Blank cells stay blank (the report then has a row with no
numbers, which the table rules report), never zeros.

`traced(data, trace=True)` also says where each character of the text came from: the index of its
`w:t` element in document order and its offset in that element's text (None for a tab, line break or
space the reader made). The hand-back (`annotate`) anchors Word comments through it.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree as ET

from . import MAX_INFLATED, MAX_TEXT, too_large, traced_row

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
Origin = tuple[int, int] | None  # (w:t index in document order, offset in its text)
Traced = tuple[str, list[Origin]]


def _join(parts: list[Traced]) -> Traced:
    """Pieces of one cell or paragraph split by line breaks: Chinese joins with nothing, Latin with a space."""
    out, origins = "", []
    for text, where in parts:
        start = len(text) - len(text.lstrip())
        text = text.strip()
        if not text:
            continue
        if out and (out[-1].isascii() and out[-1].isalnum()) and (text[0].isascii() and text[0].isalnum()):
            out += " "
            origins.append(None)
        out += text
        origins.extend(where[start:start + len(text)])
    return out, origins


_T, _TAB, _BREAKS = W + "t", W + "tab", (W + "br", W + "cr")


def _text(node: ET.Element, index: dict[int, int] | None) -> Traced:
    """A paragraph's text; `index` (each `w:t`'s place in the document) where the origins are wanted, else
    None: no origins are made (a list of every character's, most of an untraced reading)."""
    parts: list[Traced] = []
    text: list[str] = []
    where: list[Origin] = []
    for el in node.iter():
        tag = el.tag
        if tag == _T and el.text:
            text.append(el.text)
            if index is not None:
                t = index[id(el)]
                where.extend((t, k) for k in range(len(el.text)))
        elif tag == _TAB:
            text.append("\t")
            if index is not None:
                where.append(None)
        elif tag in _BREAKS:
            parts.append(("".join(text), where))
            text, where = [], []
    parts.append(("".join(text), where))
    return _join(parts)


def _table(tbl: ET.Element, index: dict[int, int] | None) -> list[Traced]:
    lines = []
    for tr in tbl.findall(W + "tr"):
        cells: list[Traced] = []
        for tc in tr.findall(W + "tc"):
            props = tc.find(W + "tcPr")
            merge = props.find(W + "vMerge") if props is not None else None
            if merge is not None and merge.get(W + "val", "continue") == "continue":
                continue  # the rest of a vertically merged cell
            cells.append(_join([_text(p, index) for p in tc.iter(W + "p")]))
        if any(text for text, _ in cells):  # empty cells keep their column: a blank, not a zero
            lines.append(traced_row(cells))
    return lines


def document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo("word/document.xml")
        if info.file_size > MAX_INFLATED:  # a zip bomb is refused, not inflated
            raise too_large(" bytes", info.file_size, MAX_INFLATED)
        with z.open(info) as fh:  # the declared size may lie: never read more than the bound
            xml = fh.read(MAX_INFLATED + 1)
    if len(xml) > MAX_INFLATED:
        raise too_large(" bytes", len(xml), MAX_INFLATED)
    return xml


def _blocks(children: list[ET.Element], index: dict[int, int] | None, lines: list[Traced]) -> None:
    """The lines of the body's blocks, in order, added to `lines`."""
    # a content control (w:sdt, as templates and forms wrap the report in) holds blocks of its own
    stack = list(reversed(children))
    while stack:
        child = stack.pop()
        if child.tag == W + "p":
            text, where = _text(child, index)
            start = len(text) - len(text.lstrip())
            if text.strip():
                lines.append((text.strip(), where[start:start + len(text.strip())]))
        elif child.tag == W + "tbl":
            lines.extend(_table(child, index))
        elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"):
            inner = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            stack.extend(reversed(list(inner if inner is not None else [])))


def head(data: bytes, lines: int) -> str | None:
    """The text of the first blocks of the document, whole lines, as far as its first `lines` lines (or
    all of it): a batch reads each report's title from its head, and the XML is parsed only that far
    (a Word template's document.xml is 250 KB, 13–17 ms to parse whole). A block is read once the
    parser has begun the next: it is complete. None where the text could pass the extraction bound (the
    file is then read whole, as its check reads it)."""
    xml = document_xml(data)
    if len(xml) > MAX_TEXT:  # the text is shorter than its XML
        return None
    parser = ET.XMLPullParser(events=("start",))
    root = None
    out: list[Traced] = []
    read = 0
    step = 1 << 15
    for at in range(0, len(xml), step):
        parser.feed(xml[at:at + step])
        for _event, element in parser.read_events():
            if root is None:
                root = element
        body = root.find(W + "body") if root is not None else None
        if body is None:
            continue
        complete = list(body)[:-1]
        _blocks(complete[read:], None, out)
        read = len(complete)
        if len(out) >= lines:
            break
    else:  # the whole document was needed: its last block is complete once the parser is closed
        parser.close()
        if root is not None and (body := root.find(W + "body")) is not None:
            _blocks(list(body)[read:], None, out)
    return "".join(text + "\n" for text, _ in out)


def traced(data: bytes, trace: bool = False) -> tuple[str, list[Origin]]:
    """The text and, when traced, each character's origin (an empty list otherwise)."""
    root = ET.fromstring(document_xml(data))
    index = {id(el): i for i, el in enumerate(root.iter(_T))} if trace else None
    body = root.find(W + "body")
    lines: list[Traced] = []
    _blocks(list(body) if body is not None else [], index, lines)
    out, origins = [], []
    for text, where in lines:
        out.append(text + "\n")
        if trace:
            origins.extend(where)
            origins.append(None)
    return "".join(out), origins


def extract(data: bytes) -> str:
    return traced(data)[0]
