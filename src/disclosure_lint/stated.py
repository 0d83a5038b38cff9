"""Numbers the prose states about table quantities (`共收到政府信息公开申请112件`, `行政复议14起`).

The patterns are data: each table of a template lists `stated` entries, a pattern with a group `n`
and the table cells (`R1.6`, or a sum of cells) the number may equal. The build stage uses them as
extra constraints when it splits flattened rows; the prose rules compare them with the tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from .model import Line
from .template import TableSpec
from .textutil import fold_digits


@dataclass(frozen=True, slots=True)
class Stated:
    """A number the prose states: one of `alternatives` (each a list of (row, column)) must equal it."""

    value: int
    alternatives: tuple[tuple[tuple[str, int], ...], ...]


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _cell(ref: str) -> tuple[str, int]:
    row, _, col = ref.rpartition(".")
    return row, int(col)


def stated_numbers(spec: TableSpec, lines: Iterable[Line]) -> list[Stated]:
    """Every whole number the prose lines state about the table's quantities."""
    out: list[Stated] = []
    entries = [(_compiled(e["pattern"]), tuple(tuple(_cell(r) for r in alt) for alt in e["equals"]))
               for e in spec.stated]
    if not entries:
        return out
    for ln in lines:
        folded = fold_digits(ln.text)
        for pattern, alternatives in entries:
            for m in pattern.finditer(folded):
                digits = m.group("n")
                if digits.isdigit() and len(digits) <= 9:
                    out.append(Stated(int(digits), alternatives))
    return out
