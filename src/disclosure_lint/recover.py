"""Cells recovered from flattened rows: crawlers drop the separators between cells, so a row reads
`一、本年新收政府信息公开申请数量81010010` (= 8 1 0 1 0 0 10).

A run of digits is split into cells only when the arithmetic of its table (row totals, T3-balance,
T3-results, table 四's block totals) admits exactly one split of every such run. A row whose run
has several splits consistent with the arithmetic stays unreadable: a wrong split would only produce
false findings.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import replace

from .model import Cell, Row, Span

_RUN = re.compile(r"[0-9]+")
MAX_COMBINATIONS = 200_000  # joint choices tried across a table before giving up (unreadable)
# Table 三 (2019 and 2021 templates): column 7 = columns 1-6; per column R1+R2 = R24+R25 and R24 = R3..R23.
_RESULT_ROWS = [f"R{i}" for i in range(3, 24)]
# Table 四: three blocks of four results and their total.
_T4_BLOCKS = [(4, (0, 1, 2, 3)), (9, (5, 6, 7, 8)), (14, (10, 11, 12, 13))]


def _splits(digits: str, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way to cut `digits` into `parts` numbers without leading zeros (0 itself is fine)."""
    n = len(digits)
    if parts > n:
        return
    for cuts in itertools.combinations(range(1, n), parts - 1):
        bounds = (0, *cuts, n)
        pieces = [digits[a:b] for a, b in zip(bounds, bounds[1:])]
        if all(p == "0" or p[0] != "0" for p in pieces):
            yield tuple(int(p) for p in pieces)


def _run_of(row: Row) -> str | None:
    """The digit run of a flattened row (its only cell, all digits), or None."""
    if not row.unreadable or len(row.cells) != 1 or not _RUN.fullmatch(row.cells[0].raw):
        return None
    return row.cells[0].raw


def _cells(row: Row, values: tuple[int, ...]) -> tuple[Cell, ...]:
    run = row.cells[0]
    out, pos = [], 0
    for v in values:
        text = str(v)
        start = run.span.start + pos
        out.append(Cell(text, v, Span(start, start + len(text))))
        pos += len(text)
    return tuple(out)


def recover_requests(rows: dict[str, Row]) -> dict[str, Row]:
    """Table 三: recover every flattened row, or none (the arithmetic ties the rows together)."""
    runs = {rid: digits for rid, r in rows.items() if (digits := _run_of(r)) is not None}
    if not runs:
        return rows
    options: dict[str, list[tuple[int, ...]]] = {}
    for rid, digits in runs.items():
        options[rid] = [s for s in _splits(digits, rows[rid].expected) if sum(s[:6]) == s[6]]
        if not options[rid]:
            return rows
    fixed = {rid: r.values() for rid, r in rows.items() if rid not in runs}
    if any(v is None or None in v for v in fixed.values()) or set(fixed) | set(runs) != {f"R{i}" for i in range(1, 26)}:
        return rows  # arithmetic over a table with gaps would not pin anything down
    ambiguous = [rid for rid in runs if len(options[rid]) > 1]
    if math.prod(len(options[rid]) for rid in ambiguous) > MAX_COMBINATIONS:
        return rows
    solutions = []
    for choice in itertools.product(*(options[rid] for rid in ambiguous)):
        values = {**fixed, **{rid: options[rid][0] for rid in runs}, **dict(zip(ambiguous, choice))}
        if all(values["R1"][c] + values["R2"][c] == values["R24"][c] + values["R25"][c]
               and values["R24"][c] == sum(values[r][c] for r in _RESULT_ROWS) for c in range(7)):
            solutions.append({rid: values[rid] for rid in runs})
            if len(solutions) > 1:  # the options are distinct splits, so two solutions differ: no guessing
                return rows
    if not solutions:
        return rows
    out = dict(rows)
    for rid, values in solutions[0].items():
        out[rid] = replace(rows[rid], cells=_cells(rows[rid], values), unreadable=False, recovered=True)
    return out


def recover_review(rows: dict[str, Row]) -> dict[str, Row]:
    """Table 四: 15 cells whose three block totals must hold."""
    row = rows.get("T4")
    digits = _run_of(row) if row else None
    if row is None or digits is None:
        return rows
    found = set()
    for split in _splits(digits, row.expected):
        if all(split[t] == sum(split[p] for p in parts) for t, parts in _T4_BLOCKS):
            found.add(split)
            if len(found) > 1:
                return rows
    if len(found) != 1:
        return rows
    return {**rows, "T4": replace(row, cells=_cells(row, found.pop()), unreadable=False, recovered=True)}


def recover_plain(rows: dict[str, Row]) -> dict[str, Row]:
    """Table 二 has no arithmetic: a run splits only when it has one digit per cell."""
    out = dict(rows)
    for rid, row in rows.items():
        digits = _run_of(row)
        if digits is not None and len(digits) == row.expected:
            out[rid] = replace(row, cells=_cells(row, tuple(int(d) for d in digits)), unreadable=False, recovered=True)
    return out


def recover(table_id: str, rows: dict[str, Row], kept_cells: bool = True) -> dict[str, Row]:
    """`kept_cells`: the crawl kept every cell of table 三, so a run of table 二 with one digit per
    cell is not a blank cell dropped beside a two-digit number."""
    if table_id == "requests":
        return recover_requests(rows)
    if table_id == "review_litigation":
        return recover_review(rows)
    return recover_plain(rows) if kept_cells else rows
