"""Stage 2: segmented text to classified `Line`s with the Lark line grammar (built once, cached)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from .model import Cell, Line, Span
from .segment import segments
from .source import Source
from .textutil import fold_digits

_GRAMMAR = Path(__file__).with_name("grammar") / "report.lark"
_CHUNK = re.compile(r"[^ \t\u3000|]+")
_CELL = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[/／]|[-—–－]{1,2}|无|不适用")
_GLUED = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


@cache
def parser():  # noqa: ANN201 - lark is imported lazily
    """The LALR parser over the line grammar. Lark caches the compiled grammar on disk."""
    from lark import Lark

    # Every state accepts every line terminal, so the basic lexer is exact here, and faster.
    return Lark(_GRAMMAR.read_text(encoding="utf-8"), parser="lalr", lexer="basic",
                cache=True, maybe_placeholders=False)


def parse_lines(source: Source) -> list[Line]:
    """Classify every logical line of the source. Never raises on any text."""
    text = source.text
    folded = fold_digits(text)  # one pass for the whole text: the fold maps characters one to one
    segs = segments(text)
    joined = "\n".join(text[s:e] for s, e in segs)
    tree = parser().parse(joined)
    lines: list[Line] = []
    kinds: dict[int, tuple[str, str]] = {}
    for child in tree.children:
        token = child.children[0]
        kinds[token.line - 1] = (child.data, str(token))
    for i, (s, e) in enumerate(segs):
        kind, value = kinds.get(i, ("blank", ""))
        span = Span(s, e)
        if kind in ("row", "numbers"):
            label, cells = split_cells(value, s, folded[s:e])
            lines.append(Line(kind, value, span, label, cells))
        else:
            lines.append(Line(kind, value, span))
    return lines


def split_cells(line: str, offset: int = 0, folded: str | None = None) -> tuple[str, tuple[Cell, ...]]:
    """The label and the trailing cells of a row line (scanned right to left, linear time)."""
    if folded is None:
        folded = fold_digits(line)  # same length: the fold maps characters one to one
    chunks = list(_CHUNK.finditer(folded))
    cells: list[Cell] = []
    label_end = 0
    for m in reversed(chunks):
        if _CELL.fullmatch(m.group()):
            cells.append(_cell(line, folded, m.start(), m.end(), offset))
            continue
        glued = _GLUED.search(m.group())
        if glued and glued.start() > 0:  # a number glued to its label: `行政许可3189`
            label_end = m.start() + glued.start()
            cells.append(_cell(line, folded, label_end, m.end(), offset))
        else:
            label_end = m.end()
        break
    cells.reverse()
    return line[:label_end].strip(" \t\u3000|"), tuple(cells)


def _cell(line: str, folded: str, start: int, end: int, offset: int) -> Cell:
    raw = folded[start:end]
    value: int | Decimal | None = None
    if raw[0].isdigit():
        plain = raw.replace(",", "")
        try:
            value = Decimal(plain) if "." in plain else int(plain)
        except (ValueError, InvalidOperation):
            value = None
    return Cell(line[start:end], value, Span(offset + start, offset + end))
