"""PDFs: text rebuilt from the characters' positions, not from the file's drawing order.

Published reports often draw a table row's numbers before its label, and stack header characters
vertically; read in drawing order such a table is scrambled. Here every character is placed by its
box: characters on one baseline make a line, read left to right, and a wide horizontal gap (a table
rule between cells) becomes a tab. Page numbers (`- 3 -`) stay as lines of their own: the grammar
knows them. Needs pypdfium2 (`pip install 'disclosure-lint[pdf]'`).
"""

from __future__ import annotations

import statistics
from typing import Any

from . import MAX_PAGES, MAX_TEXT, too_large


def _chars(page: Any, room: int) -> list[tuple[str, float, float, float, float]]:
    """The page's characters; no more than `room` + 1 are read (the caller stops at its bound)."""
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    out = []
    for i in range(min(textpage.count_chars(), room + 1)):
        if raw.FPDFText_IsGenerated(textpage.raw, i) == 1:
            continue
        code = raw.FPDFText_GetUnicode(textpage.raw, i)
        if code in (0, 9, 10, 13, 32, 0xA0, 0x3000, 0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF:
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)  # loose: the font's box, so one line shares a centre
        out.append((chr(code), left, bottom, right, top))
    return out


Box = tuple[int, float, float, float, float]  # page, left, bottom, right, top (PDF points)


def _lines(chars: list[tuple[str, float, float, float, float]], page: int = 0) -> list[tuple[str, list[Box | None]]]:
    """The page's lines, each with the box of every character (None for a tab or space the reader made)."""
    if not chars:
        return []
    height = statistics.median(t - b for _, _, b, _, t in chars) or 10.0
    rows: list[tuple[float, list[tuple[str, float, float, float, float]]]] = []
    for c in sorted(chars, key=lambda c: (-(c[2] + c[4]) / 2, c[1])):
        centre = (c[2] + c[4]) / 2
        if rows and abs(rows[-1][0] - centre) <= height * 0.45:
            rows[-1][1].append(c)
        else:
            rows.append((centre, [c]))
    lines = []
    for _, row in rows:
        row.sort(key=lambda c: c[1])
        width = statistics.median(right - left for _, left, _, right, _ in row) or height / 2
        text, boxes, prev = [], [], None
        for ch, left, bottom, right, top in row:
            if prev is not None:
                gap = left - prev[1]
                if gap > max(height, width) * 1.2:
                    text.append("\t")  # a cell boundary
                    boxes.append(None)
                elif gap > width * 0.3 and prev[0].isascii() and ch.isascii():
                    text.append(" ")
                    boxes.append(None)
            text.append(ch)
            boxes.append((page, left, bottom, right, top))
            prev = (ch, right)
        lines.append(("".join(text), boxes))
    return lines


def traced(data: bytes) -> tuple[str, list[Box | None]]:
    """The text and the box of each of its characters (None for what the reader made: tabs, spaces,
    line ends): the hand-back highlights a finding over these boxes."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        if len(doc) > MAX_PAGES:
            raise too_large(" pages", len(doc), MAX_PAGES)
        lines: list[tuple[str, list[Box | None]]] = []
        total = 0
        for i in range(len(doc)):
            chars = _chars(doc[i], MAX_TEXT - total)
            total += len(chars)
            if total > MAX_TEXT:  # stop at the bound, do not build the rest
                raise too_large(" characters", total, MAX_TEXT)
            lines.extend(_lines(chars, i))
    finally:
        doc.close()
    if not lines:
        return "\n", [None]
    boxes: list[Box | None] = []
    for _line, where in lines:
        boxes.extend(where)
        boxes.append(None)
    return "".join(line + "\n" for line, _ in lines), boxes


def extract(data: bytes) -> str:
    return traced(data)[0]
