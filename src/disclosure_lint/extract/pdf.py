"""PDFs: text rebuilt from the characters' positions, not from the file's drawing order.

Published reports often draw a table row's numbers before its label, and stack header characters
vertically; read in drawing order such a table is scrambled. Here every character is placed by its
box: characters on one baseline make a line, read left to right, and a wide horizontal gap (a table
rule between cells) becomes a tab. Page numbers (`- 3 -`) stay as lines of their own: the grammar
knows them. Needs pypdfium2 (`pip install 'disclosure-lint[pdf]'`).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from typing import Any

from . import MAX_PAGES, MAX_TEXT, too_large

Char = tuple[str, float, float, float, float]  # character, left, bottom, right, top (PDF points)


def _chars(page: Any, room: int) -> list[Char]:
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


def _lines(chars: list[Char], page: int = 0,
           cells: list[int] | None = None) -> list[tuple[str, list[Box | None]]]:
    """The page's lines, each with the box of every character (None for a tab or space the reader made).
    `cells`: the ruled cell each character was read in (a scan's, -1 for none): two cells are two fields
    however narrow the gap between their characters."""
    if not chars:
        return []
    cell_of = {id(c): k for c, k in zip(chars, cells)} if cells else {}
    height = statistics.median(t - b for _, _, b, _, t in chars) or 10.0
    rows: list[tuple[float, list[Char]]] = []
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
        for c in row:
            ch, left, bottom, right, top = c
            cell = cell_of.get(id(c), -1)
            if prev is not None:
                gap = left - prev[1]
                if gap > max(height, width) * 1.2 or (cell != prev[2] and max(cell, prev[2]) >= 0):
                    text.append("\t")  # a cell boundary
                    boxes.append(None)
                elif gap > width * 0.3 and prev[0].isascii() and ch.isascii():
                    text.append(" ")
                    boxes.append(None)
            text.append(ch)
            boxes.append((page, left, bottom, right, top))
            prev = (ch, right, cell)
        lines.append(("".join(text), boxes))
    return lines


# A page with fewer characters than this in its text layer is a scan (a stamp or page number aside).
SCANNED = 20


def traced(data: bytes) -> tuple[str, list[Box | None]]:
    """The text and the box of each of its characters (None for what the reader made: tabs, spaces,
    line ends): the hand-back highlights a finding over these boxes."""
    text, boxes, _doubtful = read_traced(data)
    return text, boxes


def read_traced(data: bytes) -> tuple[str, list[Box | None], list[tuple[int, int, float]]]:
    """Text, boxes, and the doubtful readings: (start, end, confidence) of characters a scan's OCR read
    with low confidence. Pages without a text layer are OCR'd (the `ocr` extra); a file that is all
    scan without the extra is an ExtractError naming it (DL006)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    scores: dict[Box, float] = {}
    try:
        if len(doc) > MAX_PAGES:
            raise too_large(" pages", len(doc), MAX_PAGES)
        pages: list[tuple[list[Char], list[int] | None]] = []
        total = 0
        for i in range(len(doc)):
            chars = _chars(doc[i], MAX_TEXT - total)
            total += len(chars)
            if total > MAX_TEXT:  # stop at the bound, do not build the rest
                raise too_large(" characters", total, MAX_TEXT)
            pages.append((chars, None))
        scans = [i for i, (chars, _) in enumerate(pages) if len(chars) < SCANNED]
        if scans:
            readings = _ocr(data, doc, scans)
            if readings is None:
                if len(scans) == len(doc):
                    from . import ExtractError

                    raise ExtractError("DL006", reader="PDF（扫描件 / scanned）", extra="ocr",
                                       module="rapidocr_onnxruntime")
            else:
                for i, (chars, confidence, cells) in zip(scans, readings):
                    total += len(chars)
                    pages[i] = (chars, cells)
                    for (_ch, left, bottom, right, top), score in zip(chars, confidence):
                        scores[(i, left, bottom, right, top)] = score
                if total > MAX_TEXT:
                    raise too_large(" characters", total, MAX_TEXT)
    finally:
        doc.close()
    lines = [line for i, (chars, cells) in enumerate(pages) for line in _lines(chars, i, cells)]
    if not lines:
        return "\n", [None], []
    boxes: list[Box | None] = []
    for _line, where in lines:
        boxes.extend(where)
        boxes.append(None)
    text = "".join(line + "\n" for line, _ in lines)
    return text, boxes, doubtful_ranges(boxes, scores)


def _ocr(data: bytes, doc: Any, numbers: list[int]) -> list[Any] | None:
    """The readings (characters, confidences, cells) of the scanned pages `numbers`: kept ones from the
    store, the others OCR'd. None without the `ocr` extra."""
    try:
        from . import ocr

        keys = dict(zip(numbers, ocr.reading_keys(data, numbers)))
        readings = {i: r for i, key in keys.items() if (r := ocr.kept(key)) is not None}
        todo = [i for i in numbers if i not in readings]
        for i, reading in _read(data, doc, todo):
            readings[i] = reading
            ocr.keep(keys[i], reading)
    except ModuleNotFoundError:
        return None
    return [readings[i] for i in numbers]


def _read(data: bytes, doc: Any, todo: list[int]) -> Iterator[tuple[int, Any]]:
    """Pages OCR'd, in order: several at once in a pool when the run allows it (`extract.PAGE_JOBS`) and
    this process may have children (a `--jobs` worker may not: it reads its file's pages one by one)."""
    import multiprocessing as mp

    from . import PAGE_JOBS

    jobs = min(PAGE_JOBS, len(todo))
    if jobs > 1 and not mp.current_process().daemon:
        from .ocr import PAGE_SECONDS, more_time

        more_time(PAGE_SECONDS * len(todo))  # the workers' time counts against this process's limit
        # spawned, not forked: a process that has run the OCR engine holds its threads' locks, and a fork
        # of it can wait on them for ever (the engine's start-up dominates a worker's start either way)
        with mp.get_context("spawn").Pool(jobs, _page_worker, (data,)) as pool:
            yield from zip(todo, pool.imap(_page_in_worker, todo, chunksize=1))
        return
    for i in todo:
        yield i, _reading(doc[i])


def _reading(page: Any) -> Any:
    from .ocr import DPI, chars_of

    scale = DPI / 72
    return chars_of(page.render(scale=scale).to_numpy(), page.get_height(), scale)


_DOC: Any = None  # a page worker's own copy of the document


def _page_worker(data: bytes) -> None:
    import signal

    import pypdfium2 as pdfium

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    global _DOC
    _DOC = pdfium.PdfDocument(data)


def _page_in_worker(number: int) -> Any:
    return _reading(_DOC[number])


def first_page(data: bytes) -> str:
    """The text of the first page (read by OCR when it is a scan and the extra is there): where the
    title is, for pairing a report with last year's without reading the whole file."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        if not len(doc):
            return ""
        chars, cells = _chars(doc[0], MAX_TEXT), None
        if len(chars) < SCANNED:
            readings = _ocr(data, doc, [0])
            if readings is not None:
                chars, _confidence, cells = readings[0]
        return "".join(line + "\n" for line, _ in _lines(chars, 0, cells))
    finally:
        doc.close()


def doubtful_ranges(boxes: list[Box | None], scores: dict[Box, float]) -> list[tuple[int, int, float]]:
    """Runs of characters read below the confidence bound, as (start, end, lowest confidence)."""
    if not scores:
        return []
    from .ocr import LOW

    out: list[tuple[int, int, float]] = []
    for i, box in enumerate(boxes):
        score = scores.get(box) if box is not None else None
        if score is None or score >= LOW:
            continue
        if out and out[-1][1] == i:
            out[-1] = (out[-1][0], i + 1, min(out[-1][2], score))
        else:
            out.append((i, i + 1, score))
    return out


def read(data: bytes) -> tuple[str, str, list[tuple[int, int, float]]]:
    """The text, no publication date (a PDF's metadata dates are of the file, not of the publication),
    and the doubtful readings of its scanned pages."""
    text, _boxes, doubtful = read_traced(data)
    return text, "", doubtful


def extract(data: bytes) -> str:
    return read_traced(data)[0]
