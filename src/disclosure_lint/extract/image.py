"""Page images (.png, .jpg, .jpeg, .tif, .tiff): a scanned report's pages published as pictures, read by
OCR (the `ocr` extra) into lines and cells exactly as a scanned PDF page is."""

from __future__ import annotations

from .pdf import Box, _lines, doubtful_ranges


def read(data: bytes) -> tuple[str, str, list[tuple[int, int, float]]]:
    text, _boxes, doubtful = read_traced(data)
    return text, "", doubtful


def read_traced(data: bytes) -> tuple[str, list[Box | None], list[tuple[int, int, float]]]:
    from .ocr import chars_of, keep, kept, reading_keys

    key = reading_keys(data, [0])[0]
    reading = kept(key)
    if reading is None:
        import cv2  # rapidocr's own dependency: the image decoded once, its height known
        import numpy as np

        image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
        if image is None:
            raise ValueError("not an image this reader can decode")
        reading = chars_of(image, float(image.shape[0]), 1.0)  # pixels stand for points
        keep(key, reading)
    chars, confidence, cells = reading
    scores = {(0, left, bottom, right, top): score for (_c, left, bottom, right, top), score in zip(chars, confidence)}
    boxes: list[Box | None] = []
    lines = _lines(chars, 0, cells)
    for _line, where in lines:
        boxes.extend(where)
        boxes.append(None)
    text = "".join(line + "\n" for line, _ in lines) or "\n"
    return text, boxes or [None], doubtful_ranges(boxes, scores)


def extract(data: bytes) -> str:
    return read(data)[0]
