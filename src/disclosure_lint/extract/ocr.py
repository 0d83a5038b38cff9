"""Scanned pages read offline: a page image to characters with boxes, for the same line and cell
reconstruction as a PDF's text layer (`pdf._lines`): rows by the boxes' vertical centres, cells by the
gaps between boxes, never by the order the OCR engine lists its boxes in.

Needs the `ocr` extra: rapidocr-onnxruntime (PP-OCR detection and recognition models shipped inside
the wheel, run by ONNX Runtime; nothing is downloaded at run time). Each recognised box is spread over
its characters (a full-width character twice as wide as a digit); its confidence stays with each of
its characters, so that a digit read with low confidence is known downstream.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

DPI = 200  # rendering resolution of a scanned PDF page
LOW = 0.5  # below this confidence a character is doubtful (a clean lone 0 reads at 0.55-0.85)

Char = tuple[str, float, float, float, float]  # character, left, bottom, right, top (points, y up)


PAGE_SECONDS = 30.0  # time a page's OCR adds to the file's time limit (a text page takes milliseconds)


def more_time(seconds: float) -> None:
    """Extend the running time limit (DL007) by `seconds`: a scan is slow by nature, not by fault."""
    import signal

    if hasattr(signal, "getitimer"):
        remaining, _interval = signal.getitimer(signal.ITIMER_REAL)
        if remaining > 0:
            signal.setitimer(signal.ITIMER_REAL, remaining + seconds)


@cache
def engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def rules_of(image: Any) -> Any:
    """The mask of the page's table rules (long horizontal and vertical strokes)."""
    import cv2
    import numpy as np

    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    # strokes longer than a character is tall are rules: a digit 1 or a 一 never is
    _n, _l, stats, _c = cv2.connectedComponentsWithStats(ink, connectivity=8)
    tall = sorted(int(h) for h in stats[1:, 3] if 6 <= h <= 150)
    glyph = tall[len(tall) // 2] if tall else 30
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(25, glyph * 4), 1)))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(15, int(glyph * 1.5)))))
    # a vertical stroke is a rule only in a grid, next to horizontal rules: a heading's tall strokes are not
    grid = cv2.dilate(across, cv2.getStructuringElement(cv2.MORPH_RECT, (1, glyph * 8)))
    return cv2.dilate(across | (down & grid), np.ones((3, 3), np.uint8))


def cells_of(rules: Any, line_height: float) -> list[tuple[int, int, int, int]]:
    """The table cells the rules enclose (x, y, width, height): one line of text high, at most a few."""
    import cv2

    height, width = rules.shape
    count, _labels, stats, _centres = cv2.connectedComponentsWithStats(255 - rules, connectivity=4)
    out = []
    for i in range(count):
        x, y, w, h, area = (int(v) for v in stats[i])
        if 8 < w < width * 0.6 and line_height * 0.6 < h < line_height * 3.5 and area > 0.5 * w * h:
            out.append((x, y, w, h))
    return out


_NUMERIC = str.maketrans({"o": "0", "O": "0", "〇": "0", "|": " ", "l": "1", "I": "1"})


def _numeric(text: str) -> str:
    """A box of table numbers: letters OCR confuses with digits, read as the digits (a box of numbers
    is told by having digits and nothing but digits and those look-alikes)."""
    squeezed = text.replace(" ", "")
    if squeezed and any(ch.isdigit() for ch in squeezed) and all(ch.isdigit() or ch in "oO〇|lI.," for ch in squeezed):
        return text.translate(_NUMERIC)
    if squeezed and set(squeezed) <= set("oO〇"):
        return text.translate(_NUMERIC)
    return text


def chars_of(image: Any, height: float, scale: float) -> tuple[list[Char], list[float]]:
    """Characters with boxes in page points (y up) and each one's confidence, from an image (a numpy
    array) of a page `height` points high rendered at `scale` pixels a point."""
    import numpy as np

    more_time(PAGE_SECONDS)
    rules = rules_of(image)
    clean = image.copy()
    clean[rules > 0] = 255  # a rule is never read as 1, l or |, and ruled cells are recognised one by one
    found = list(engine()(clean)[0] or [])
    heights = sorted(max(p[1] for p in b) - min(p[1] for p in b) for b, _t, _s in found) or [30.0]
    line_height = heights[len(heights) // 2]
    centres = [(sum(p[0] for p in b) / 4, sum(p[1] for p in b) / 4) for b, _t, _s in found]
    # a cell the detector passed over (a lone 0 in a wide cell) is recognised on its own
    for x, y, w, h in cells_of(rules, line_height):
        if any(x <= cx <= x + w and y <= cy <= y + h for cx, cy in centres):
            continue
        crop = clean[y + 2:y + h - 2, x + 2:x + w - 2]
        ink = np.argwhere(crop.min(axis=2) < 128) if crop.ndim == 3 else np.argwhere(crop < 128)
        if len(ink) < 6:
            continue  # an empty cell
        (top, left), (bottom, right) = ink.min(axis=0), ink.max(axis=0)
        pad = int(line_height * 0.4)
        piece = np.full((bottom - top + 1 + 2 * pad, right - left + 1 + 2 * pad, 3), 255, dtype=clean.dtype)
        piece[pad:-pad, pad:-pad] = crop[top:bottom + 1, left:right + 1][..., :3]
        read, _ = engine()(piece, use_det=False, use_cls=False, use_rec=True)
        if read and read[0][0].strip():
            x0, y0 = x + 2 + left, y + 2 + top
            box = [[x0, y0], [x + 2 + right, y0], [x + 2 + right, y + 2 + bottom], [x0, y + 2 + bottom]]
            found.append((box, read[0][0], float(read[0][1])))
    chars: list[Char] = []
    scores: list[float] = []
    for box, raw, score in found:
        text = _numeric(raw)
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        left, right, top, bottom = min(xs) / scale, max(xs) / scale, min(ys) / scale, max(ys) / scale
        weights = [1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text]
        unit = (right - left) / (sum(weights) or 1)
        x = left
        for ch, w in zip(text, weights):
            if not ch.isspace():
                chars.append((ch, x, height - bottom, x + w * unit, height - top))
                scores.append(float(score))
            x += w * unit
    return chars, scores
