"""Findings as PDF annotations on a copy: a highlight over the offending characters (one rectangle a
line when the text wraps) with the message as its note; a note icon at the place of a finding about a
place (a missing heading). Written with pdfium's own annotation API as an incremental update: the pages'
content is not rewritten, the original bytes stay the copy's first bytes."""

from __future__ import annotations

import ctypes
import io

from ..extract.pdf import Box, traced

_YELLOW = (255, 212, 0, 110)
Rect = tuple[int, float, float, float, float]  # page, left, bottom, right, top


def _rects(boxes: list[Box]) -> list[Rect]:
    """One rectangle per page line: characters whose vertical centres are close share it."""
    rects: list[list[float]] = []
    for page, left, bottom, right, top in boxes:
        centre = (bottom + top) / 2
        last = rects[-1] if rects else None
        if last and last[0] == page and abs((last[2] + last[4]) / 2 - centre) <= (top - bottom) * 0.45:
            last[1], last[2], last[3], last[4] = min(last[1], left), min(last[2], bottom), max(last[3], right), max(last[4], top)
        else:
            rects.append([page, left, bottom, right, top])
    return [(int(r[0]), r[1], r[2], r[3], r[4]) for r in rects]


def _wide(text: str) -> ctypes.Array:
    return ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))


def annotate(data: bytes, findings: list[tuple[int, int, list[str]]]) -> tuple[bytes, list[list[Rect]]]:
    """A copy of the PDF `data` with an annotation per finding (start, end offsets into the extracted
    text, note lines). Returns the copy and, per finding, the rectangles it covers."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    text, origins = traced(data)
    doc = pdfium.PdfDocument(data)
    placed = []
    try:
        pages = {}
        for start, end, lines in findings:
            boxes = [origins[i] for i in range(max(0, start), min(end, len(origins))) if origins[i] is not None]
            place = not boxes
            if place:  # a place: the first character at or after it (its line's start)
                line_start = text.rfind("\n", 0, max(0, start)) + 1
                after = [o for o in origins[line_start:] if o is not None][:1] or [o for o in origins if o][:1]
                boxes = after
            if not boxes:
                placed.append([])
                continue
            rects = _rects(boxes)  # type: ignore[arg-type]
            note = "\n".join(lines)
            for page_no in sorted({r[0] for r in rects}):
                page = pages.setdefault(page_no, doc[page_no])
                mine = [r for r in rects if r[0] == page_no]
                if place:
                    _, left, bottom, _right, top = mine[0]
                    annot = raw.FPDFPage_CreateAnnot(page.raw, raw.FPDF_ANNOT_TEXT)
                    raw.FPDFAnnot_SetRect(annot, raw.FS_RECTF(max(0, left - 20), top, max(0, left - 20) + 16, top - 16))
                else:
                    annot = raw.FPDFPage_CreateAnnot(page.raw, raw.FPDF_ANNOT_HIGHLIGHT)
                    for _, left, bottom, right, top in mine:
                        quad = raw.FS_QUADPOINTSF(left, top, right, top, left, bottom, right, bottom)
                        raw.FPDFAnnot_AppendAttachmentPoints(annot, ctypes.byref(quad))
                    raw.FPDFAnnot_SetRect(annot, raw.FS_RECTF(min(r[1] for r in mine), max(r[4] for r in mine),
                                                              max(r[3] for r in mine), min(r[2] for r in mine)))
                raw.FPDFAnnot_SetColor(annot, raw.FPDFANNOT_COLORTYPE_Color, *_YELLOW)
                raw.FPDFAnnot_SetStringValue(annot, b"Contents", ctypes.cast(_wide(note), raw.FPDF_WIDESTRING))
                raw.FPDFAnnot_SetStringValue(annot, b"T", ctypes.cast(_wide("dlint"), raw.FPDF_WIDESTRING))
                raw.FPDFPage_CloseAnnot(annot)
            placed.append(rects)
        buf = io.BytesIO()
        doc.save(buf, flags=raw.FPDF_INCREMENTAL)
    finally:
        doc.close()
    return buf.getvalue(), placed
