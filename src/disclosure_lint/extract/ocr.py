"""Scanned pages read offline: a page image to characters with boxes, for the same line and cell
reconstruction as a PDF's text layer (`pdf._lines`): rows by the boxes' vertical centres, cells by the
gaps between boxes, never by the order the OCR engine lists its boxes in.

Needs the `ocr` extra: rapidocr-onnxruntime (PP-OCR detection and recognition models shipped inside
the wheel, run by ONNX Runtime; nothing is downloaded at run time). Each recognised box is spread over
its characters (a full-width character twice as wide as a digit); its confidence stays with each of
its characters, so that a digit read with low confidence is known downstream.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

from .pdf import Char  # a scan's characters are placed as a PDF's text layer's are

DPI = 200  # rendering resolution of a scanned PDF page
LOW = 0.5  # below this confidence a character is doubtful (a clean lone 0 reads at 0.55-0.85)
UNREAD = "?"  # a cell with ink OCR reads nothing in (parse reads it as a cell of no value; DL009 marks it)

Reading = tuple[list[Char], list[float], list[int]]  # a page's characters, their confidences, their cells


def reading_keys(data: bytes, pages: list[int]) -> list[str]:
    """Where the pages' readings are kept: the file's bytes, the page, and what read it (this module's
    code, the engine's version, the resolution), so a new reader never serves an old reading."""
    digest = hashlib.blake2b(data, digest_size=20).hexdigest()
    return [hashlib.blake2b(f"ocr\0{_reader()}\0{digest}\0{page}".encode(), digest_size=20).hexdigest()
            for page in pages]


@cache
def _reader() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        engine_version = version("rapidocr-onnxruntime")
    except PackageNotFoundError:
        raise ModuleNotFoundError("the ocr extra is not installed", name="rapidocr_onnxruntime") from None
    return f"{DPI}:{engine_version}:{hashlib.blake2b(Path(__file__).read_bytes()).hexdigest()}"


def kept(key: str) -> Reading | None:
    """A page's reading kept by an earlier run, if the run keeps them (`extract.STORE`)."""
    from . import STORE

    return None if STORE is None else STORE.get_raw(key, _loaded)


def keep(key: str, reading: Reading) -> None:
    from . import STORE

    if STORE is not None:
        chars, scores, cells = reading
        STORE.put_raw(key, json.dumps({"chars": chars, "scores": scores, "cells": cells}, ensure_ascii=False))


def _loaded(body: str) -> Reading:
    """A kept reading, every field checked (a malformed one raises: the page is read again)."""
    data = json.loads(body)
    chars = [(str(c), float(left), float(bottom), float(right), float(top))
             for c, left, bottom, right, top in data["chars"]]
    scores = [float(v) for v in data["scores"]]
    cells = [int(v) for v in data["cells"]]
    if not len(chars) == len(scores) == len(cells) or any(len(c[0]) != 1 for c in chars):
        raise ValueError("malformed reading")
    return chars, scores, cells


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
    import multiprocessing

    from rapidocr_onnxruntime import RapidOCR

    # A worker of a `--jobs` pool is one of several processes sharing the cores: one thread each, or the
    # runtime's threads fight over them (two workers ran slower than one).
    if multiprocessing.parent_process() is not None:
        import cv2

        cv2.setNumThreads(1)
        return RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
    return RapidOCR()


def _ink(image: Any) -> Any:
    """The page's ink as a mask (white on black), the paper told from the ink by Otsu's threshold."""
    import cv2

    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    return cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]


def rules_of(image: Any) -> Any:
    """The mask of the page's table rules (long horizontal and vertical strokes)."""
    import cv2
    import numpy as np

    ink = _ink(image)
    # strokes longer than a character is tall are rules: a digit 1 or a 一 never is
    _n, _l, stats, _c = cv2.connectedComponentsWithStats(ink, connectivity=8)
    tall = sorted(int(h) for h in stats[1:, 3] if 6 <= h <= 150)
    glyph = tall[len(tall) // 2] if tall else 30
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(25, glyph * 4), 1)))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(15, int(glyph * 1.5)))))
    # a vertical stroke is a rule only where it meets a horizontal rule: a bold heading's strokes near a
    # table do not (read as rules they cut the heading into cells)
    meets = cv2.dilate(across, np.ones((7, 7), np.uint8))
    count, labels, _stats, _c = cv2.connectedComponentsWithStats(down, connectivity=8)
    touching = np.unique(labels[(meets > 0) & (down > 0)])
    verticals = np.isin(labels, touching[touching > 0]).astype(np.uint8) * 255
    return cv2.dilate(across | verticals, np.ones((3, 3), np.uint8))


def upright(image: Any) -> Any:
    """The page turned level when it was scanned askew (a fraction of a degree to a few degrees): the
    table rules are found by long horizontal and vertical strokes, which a tilt breaks up. The tilt is
    the median slope of the page's long straight lines (table rules, underlines); a page without any
    is left as it is. Positions stay those of the levelled page (a tilt of 1° moves a point by less than
    2 % of its distance from the page's centre)."""
    import math

    import cv2
    import numpy as np

    ink = _ink(image)
    height, width = ink.shape
    lines = cv2.HoughLinesP(ink, 1, math.pi / 1800, threshold=width // 4, minLineLength=width // 4, maxLineGap=6)
    if lines is None:
        return image
    slopes = [math.degrees(math.atan2(y2 - y1, x2 - x1)) for x1, y1, x2, y2 in lines.reshape(-1, 4) if x2 != x1]
    slopes = [a for a in slopes if abs(a) < 5]
    if len(slopes) < 3:
        return image
    angle = float(np.median(slopes))
    if abs(angle) < 0.1:
        return image  # level enough: strokes this long stay within a pixel or two
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(image, turn, (width, height), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))


def cells_of(rules: Any, line_height: float) -> list[tuple[int, int, int, int]]:
    """The table cells the rules enclose (x, y, width, height): from one line of text high to a few."""
    import cv2

    height, width = rules.shape
    rules = _closed(rules, line_height)
    count, _labels, stats, _centres = cv2.connectedComponentsWithStats(255 - rules, connectivity=4)
    out = []
    for i in range(count):
        x, y, w, h, area = (int(v) for v in stats[i])
        if 8 < w < width * 0.6 and line_height * 0.6 < h < line_height * 8 and area > 0.5 * w * h:
            out.append((x, y, w, h))
    return out


def _by_cell(clean: Any, cells: list[tuple[int, int, int, int]], line_height: float, found: list) -> list:
    """Every ruled cell one line high is recognised on its own (in batches): the detector joins the
    numbers of narrow neighbouring cells into one box (`110 01 1000` for 10 | 1 | 0 | 0 | 0), passes
    over a lone 0 in a wide cell and puts a cell's number on a wrapped label's line. The detector's boxes
    that lie mostly in such cells give way to the cells' readings."""
    import numpy as np

    pieces, boxes = [], []
    for x, y, w, h in cells:
        crop = clean[y + 2:y + h - 2, x + 2:x + w - 2]
        if crop.size == 0:
            continue
        dark = (crop.min(axis=2) if crop.ndim == 3 else crop) < 128
        ink = np.argwhere(dark)
        if len(ink) < 6:
            boxes.append(((x, y, w, h), None))  # an empty cell: what the detector saw there is a rule's trace
            continue
        (top, left), (bottom, right) = ink.min(axis=0), ink.max(axis=0)
        if not _one_line(dark.any(axis=1)[top:bottom + 1], line_height):
            continue  # a label wrapped in its cell, or a header written downwards: the detector reads it
        pad = int(line_height * 0.4)
        piece = np.full((bottom - top + 1 + 2 * pad, right - left + 1 + 2 * pad, 3), 255, dtype=clean.dtype)
        piece[pad:-pad, pad:-pad] = _contrast(crop[top:bottom + 1, left:right + 1])
        # the box's middle is the cell's: the numbers of one table row stand on one line whatever their ink
        x0, x1 = x + 2 + left, x + 2 + right
        half = (bottom - top) / 2
        y0, y1 = y + h / 2 - half, y + h / 2 + half
        pieces.append(piece)
        boxes.append(((x, y, w, h), [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]))
    if not boxes:
        return found
    readings = iter(engine().text_rec(pieces)[0] if pieces else [])
    read = []
    for k, (_cell, box) in enumerate(boxes):
        if box is None:
            continue
        text, score = next(readings)
        bare = text.strip(_SPECKS)
        if bare and bare.isdigit():
            text = bare  # `(0`, `1'`: a speck of the scan read beside a cell's number
        # ink that reads as nothing (a smudge, a stamp over the number) is a cell all the same: marked
        # unreadable, with no confidence, rather than lost (the row would shift its numbers left)
        legible = any(ch.isdigit() or ch.isalpha() for ch in text)  # a stray `.` or `-` is no reading
        read.append((box, text, float(score), k) if legible else (box, UNREAD, 0.0, k))
    cells_seen = [cell for cell, _box in boxes]

    def in_cells(box: list) -> bool:
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
        area = max(1.0, (right - left) * (bottom - top))
        covered = sum(max(0, min(right, x + w) - max(left, x)) * max(0, min(bottom, y + h) - max(top, y))
                      for x, y, w, h in cells_seen)
        return covered >= 0.5 * area

    return [f for f in found if not in_cells(f[0])] + read


def _contrast(crop: Any) -> Any:
    """A cell's ink stretched to black on white (a scan's grey, faint or noisy figures read as the printed
    ones do): its darkest ink to black, its paper to white."""
    import numpy as np

    gray = (crop.min(axis=2) if crop.ndim == 3 else crop).astype(np.float32)
    ink, paper = float(np.percentile(gray, 1)), float(np.median(gray))
    if paper - ink < 40:
        out = gray
    else:
        out = np.clip((gray - ink) * 255.0 / (paper - ink), 0, 255)
    return np.repeat(out.astype(np.uint8)[..., None], 3, axis=2)


def _one_line(inked_rows: Any, line_height: float) -> bool:
    """Whether a cell's ink (which of its pixel rows hold ink, top to bottom) is one line of text: no
    blank band between lines, and no taller than a line."""
    if len(inked_rows) > line_height * 1.6:
        return False
    gap = run = 0
    for inked in inked_rows:
        run = 0 if inked else run + 1
        gap = max(gap, run)
    return gap < max(3, line_height * 0.25)


def _closed(rules: Any, line_height: float) -> Any:
    """The rules with a table cut by a page break closed: where vertical rules end together with no
    horizontal rule there (the page's first or last row of a table running over pages), one is drawn."""
    import cv2

    down = cv2.morphologyEx(rules, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(8, int(line_height)))))
    count, _labels, stats, _centres = cv2.connectedComponentsWithStats(down, connectivity=8)
    ends: dict[int, list[int]] = {}
    for i in range(1, count):
        x, y, w, h, _area = (int(v) for v in stats[i])
        for end in (y, y + h - 1):
            ends.setdefault(end // 4, []).append(x + w // 2)
    out = rules
    width = rules.shape[1]
    for bucket, xs in ends.items():
        xs = [x for k, x in enumerate(sorted(xs)) if k == 0 or x - sorted(xs)[k - 1] > 6]  # one a column
        # a table's edge: a rule at each of its columns, a cell apart (a bold heading's strokes stand closer)
        if len(xs) < 3 or xs[-1] - xs[0] < width * 0.3 or min(b - a for a, b in zip(xs, xs[1:])) < line_height * 0.8:
            continue
        y = bucket * 4 + 2
        left, right = xs[0], xs[-1]
        if (rules[max(0, y - 4):y + 5, left:right + 1] > 0).any(axis=0).mean() > 0.9:
            continue  # already closed
        out = out.copy() if out is rules else out
        cv2.line(out, (left, y), (right, y), 255, 3)
    return out


_SPECKS = " ()（）'\"‘’“”`.,，、·:：;；|!！_"  # what a speck of dust or a rule's stub reads as

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


def chars_of(image: Any, height: float, scale: float) -> tuple[list[Char], list[float], list[int]]:
    """Characters with boxes in page points (y up), each one's confidence and the ruled cell it was read
    in (-1: read by the detector), from an image (a numpy array) of a page `height` points high rendered
    at `scale` pixels a point."""

    more_time(PAGE_SECONDS)
    image = upright(image)
    rules = rules_of(image)
    clean = image.copy()
    clean[rules > 0] = 255  # a rule is never read as 1, l or |, and ruled cells are recognised one by one
    found = list(engine()(clean)[0] or [])
    heights = sorted(max(p[1] for p in b) - min(p[1] for p in b) for b, _t, _s in found) or [30.0]
    line_height = heights[len(heights) // 2]
    found = _by_cell(clean, cells_of(rules, line_height), line_height, found)
    chars: list[Char] = []
    scores: list[float] = []
    cells: list[int] = []
    for box, raw, score, *cell in found:
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
                cells.append(cell[0] if cell else -1)
            x += w * unit
    return chars, scores, cells
