"""Word files (.docx): paragraphs and tables in document order, read from word/document.xml.

Merged cells: a horizontally merged cell (gridSpan) is one cell; a vertically merged one (vMerge)
gives its text at its first row only. Blank cells stay blank (the report then has a row with no
numbers, which the table rules report), never zeros.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree as ET

from . import MAX_INFLATED, too_large

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _join(parts: list[str]) -> str:
    """Pieces of one cell or paragraph split by line breaks: Chinese joins with nothing, Latin with a space."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and (out[-1].isascii() and out[-1].isalnum()) and (part[0].isascii() and part[0].isalnum()):
            out += " "
        out += part
    return out


def _text(node: ET.Element) -> str:
    parts, current = [], []
    for el in node.iter():
        if el.tag == W + "t" and el.text:
            current.append(el.text)
        elif el.tag == W + "tab":
            current.append("\t")
        elif el.tag in (W + "br", W + "cr"):
            parts.append("".join(current))
            current = []
    parts.append("".join(current))
    return _join(parts)


def _table(tbl: ET.Element) -> list[str]:
    lines = []
    for tr in tbl.findall(W + "tr"):
        cells = []
        for tc in tr.findall(W + "tc"):
            props = tc.find(W + "tcPr")
            merge = props.find(W + "vMerge") if props is not None else None
            if merge is not None and merge.get(W + "val", "continue") == "continue":
                continue  # the rest of a vertically merged cell
            text = _join([_text(p) for p in tc.iter(W + "p")])
            cells.append(text)
        if any(cells):  # empty cells keep their column: a blank, not a zero
            lines.append("\t".join(cells))
    return lines


def extract(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo("word/document.xml")
        if info.file_size > MAX_INFLATED:  # a zip bomb is refused, not inflated
            raise too_large(" bytes", info.file_size, MAX_INFLATED)
        with z.open(info) as fh:  # the declared size may lie: never read more than the bound
            xml = fh.read(MAX_INFLATED + 1)
        if len(xml) > MAX_INFLATED:
            raise too_large(" bytes", len(xml), MAX_INFLATED)
        root = ET.fromstring(xml)
    body = root.find(W + "body")
    lines: list[str] = []
    # a content control (w:sdt, as templates and forms wrap the report in) holds blocks of its own
    stack = list(reversed(list(body))) if body is not None else []
    while stack:
        child = stack.pop()
        if child.tag == W + "p":
            text = _text(child).strip()
            if text:
                lines.append(text)
        elif child.tag == W + "tbl":
            lines.extend(_table(child))
        elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"):
            inner = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            stack.extend(reversed(list(inner if inner is not None else [])))
    return "\n".join(lines) + "\n"
