"""Numbers the prose states about table quantities (`共收到政府信息公开申请112件`, `行政复议14起`).

The patterns are data: each table of a template lists `stated` entries, a pattern with a group `n`
and the table cells (`R1.6`, or a sum of cells) the number may equal. The build stage uses them as
extra constraints when it splits flattened rows; the prose rules compare them with the tables.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache
from typing import NamedTuple

from .compiled import regex
from .template import TableSpec


class Stated(NamedTuple):
    """A number the prose states: one of `alternatives` (each a list of (row, column)) must equal it."""

    value: int
    alternatives: tuple[tuple[tuple[str, int], ...], ...]


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return regex(pattern)


def _cell(ref: str) -> tuple[str, int]:
    row, _, col = ref.rpartition(".")
    return row, int(col)


def stated_numbers(spec: TableSpec, folded_text: str, outside: Sequence[tuple[int, int]] = ()) -> list[Stated]:
    """Every whole number the text states about the table's quantities. `folded_text`: the source text
    with digits folded; `outside`: sorted (start, end) spans not to read (the tables themselves)."""
    out: list[Stated] = []
    starts = [a for a, _b in outside]
    for e in spec.stated:
        alternatives = tuple(tuple(_cell(r) for r in alt) for alt in e["equals"])
        for m in _compiled(e["pattern"]).finditer(folded_text):
            k = bisect_right(starts, m.start()) - 1
            if k >= 0 and m.start() < outside[k][1]:
                continue  # inside a table
            digits = m.group("n")
            if digits.isdigit() and len(digits) <= 9:
                out.append(Stated(int(digits), alternatives))
    return out
