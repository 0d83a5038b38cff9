"""Cells recovered from flattened rows: crawlers drop the separators between cells, so a row reads
`一、本年新收政府信息公开申请数量81010010` (= 8 1 0 1 0 0 10).

Each row's digits are split into its cells (integers without leading zeros, `0` itself allowed; a
space inside a run is a cell boundary) under the row's own sums (表三: 总计 = the six applicant
columns; 表四: each block's 总计). The rows of a table are then solved jointly under the table's
column relations (T3-balance, T3-results) and the numbers the prose states about the same
quantities. A row is split only where every solution gives it the same cells; a row that stays
ambiguous is left unreadable alone, with its number of candidate splits, and the rest of the table
is still read. When no split satisfies every relation the table really is wrong: the relations are
relaxed (prose first) and rows are split by the constraints that still single one split out.

The work is bounded: enumerating a row visits at most `ROW_BUDGET` nodes and the joint search at
most `JOINT_BUDGET`, so any input is answered in milliseconds (split or unreadable), never guessed.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from decimal import Decimal

from .model import Cell, Row, Span
from .stated import Stated
from .template import TableSpec
from .textutil import fold_digits

_new = tuple.__new__
ROW_BUDGET = 20_000  # DFS nodes per row
MAX_CANDIDATES = 500  # candidate splits kept per row; more is "too many to tell"
JOINT_BUDGET = 50_000  # nodes of the joint search over a table's ambiguous rows
MAX_SOLUTIONS = 50
MAX_RUN = 120  # digits: longer runs are no table row (and int() refuses past 4,300 digits)


# -- one row -----------------------------------------------------------------------------------

def _chunks(row: Row) -> tuple[list[str], str] | None:
    """The digit chunks of a row printed with fewer cells than the template, and the fraction of a
    decimal last cell (`政府集中采购102339.45` = 10 | 2339.45, or 102 | 339.45, …), or None."""
    if not row.cells or len(row.cells) >= row.expected:
        return None
    out = []
    frac = ""
    for i, c in enumerate(row.cells):
        raw = fold_digits(c.raw).lstrip("+＋-－")  # a sign opens a signed cell: kept by _cells
        if i == len(row.cells) - 1 and isinstance(c.value, Decimal) and raw.count(".") == 1:
            raw, frac = raw.split(".")
            frac = "." + frac
        elif not isinstance(c.value, int):
            return None
        if not raw.isdigit():
            return None
        out.append(raw)
    if sum(len(c) for c in out) < row.expected:
        return None
    return out, frac


class _Budget(Exception):
    pass


def row_splits(chunks: Sequence[str], blocks: Sequence[tuple[int, bool]], limit: int = MAX_CANDIDATES,
               budget: int = ROW_BUDGET) -> list[tuple[int, ...]] | None:
    """Every split of the chunks into cells laid out as `blocks` ((parts, has_total) each), where a
    block's total equals the sum of its parts. None when the budget or the limit is exceeded."""
    digits = "".join(chunks)
    n = len(digits)
    if n > MAX_RUN:
        return None
    if not digits.strip("0"):  # zeros only (most of a crawl's flattened rows): each cell is one `0` (`00` is no
        # number), so the one split has a cell a digit, when the row has that many cells
        return [(0,) * n] if n == sum(parts + has_total for parts, has_total in blocks) else []
    stops: list[int] = []  # the next chunk boundary at or after each position
    pos = 0
    for c in chunks:
        pos += len(c)
        stops.extend([pos] * len(c))
    need_after = [0] * (len(blocks) + 1)  # fewest digits the blocks after block b need
    for b in range(len(blocks) - 1, -1, -1):
        need_after[b] = need_after[b + 1] + blocks[b][0] + (1 if blocks[b][1] else 0)
    out: list[tuple[int, ...]] = []
    nodes = 0
    cells: list[int] = []

    def number(a: int, e: int) -> int | None:
        if e > stops[a] or (digits[a] == "0" and e - a > 1):
            return None
        return int(digits[a:e])

    def block(b: int, pos: int) -> None:
        nonlocal nodes
        if b == len(blocks):
            if pos == n:
                out.append(tuple(cells))
                if len(out) > limit:
                    raise _Budget
            return
        parts, has_total = blocks[b]
        last = b == len(blocks) - 1
        if has_total and last:
            # the final total runs to the end: choose it first, then split the parts to its value
            for k in range(pos + parts, n):
                width = n - k
                # the total is no wider than its parts' digits and at least 1/parts of them
                if width > max(1, k - pos - parts + 2) or width * parts < k - pos:
                    continue
                total = number(k, n)
                if total is not None:
                    split_to(b, pos, k, parts, total, total)
            return
        parts_of(b, pos, parts, 0, 0)

    def split_to(b: int, pos: int, end: int, left: int, target: int, total: int) -> None:
        """Parts of the final block over digits[pos:end] summing to `target`, then the total."""
        nonlocal nodes
        nodes += 1
        if nodes > budget:
            raise _Budget
        if left == 1:
            v = number(pos, end)
            if v is not None and v == target:
                cells.append(v)
                cells.append(total)
                block(b + 1, n)
                cells.pop()
                cells.pop()
            return
        width = len(str(target))
        for e in range(pos + 1, min(end - left + 1, stops[pos]) + 1):
            nodes += 1
            if e - pos > width:
                break
            v = number(pos, e)
            if v is None:
                break
            if v > target:
                break
            rest, remain = end - e, target - v
            if rest > (left - 1) * len(str(remain)):
                continue  # the remaining parts are each no wider than what is left of the target
            if (left - 1) * 10 ** min(rest - left + 2, 12) <= remain:
                continue  # nor can they reach it: the widest takes all but one digit per other part
            cells.append(v)
            split_to(b, e, end, left - 1, target - v, total)
            cells.pop()

    def parts_of(b: int, pos: int, left: int, acc: int, widest: int) -> None:
        nonlocal nodes
        nodes += 1
        if nodes > budget:
            raise _Budget
        parts, has_total = blocks[b]
        if left == 0:
            if not has_total:
                block(b + 1, pos)
                return
            t = str(acc)
            e = pos + len(t)
            if e <= n and digits[pos:e] == t and e <= stops[pos]:
                cells.append(acc)
                block(b + 1, e)
                cells.pop()
            return
        reserve = left - 1 + need_after[b + 1]
        for e in range(pos + 1, min(n - reserve, stops[pos]) + 1):
            v = number(pos, e)
            if v is None:
                break
            w = max(widest, e - pos)
            if has_total and n - e < left - 1 + w + need_after[b + 1]:
                break  # the block's total is at least as wide as its widest part
            cells.append(v)
            parts_of(b, e, left - 1, acc + v, w)
            cells.pop()

    try:
        block(0, 0)
    except _Budget:
        return None
    finally:  # the nested functions call each other: unlinked, they are freed now, not by the cyclic collector
        block = split_to = parts_of = number = None  # type: ignore[assignment]
    return out


def _cells(row: Row, values: tuple[int, ...], frac: str = "") -> tuple[Cell, ...]:
    """Cells for a split, each spanning its own digits in the source (the last with its fraction)."""
    out: list[Cell] = []
    spans = [(c.span.start, c.raw) for c in row.cells]
    k, pos = 0, 0
    for i, v in enumerate(values):
        text = str(v)
        if frac and i == len(values) - 1:
            text += frac
            v = Decimal(text)  # type: ignore[assignment]
        start, raw = spans[k]
        if pos == 0 and raw[:1] in "+＋-－":  # a signed chunk: its first cell carries the sign
            text = raw[0] + text
            v = -v if raw[0] in "-－" else v
        end = pos + len(text)
        out.append(_new(Cell, (raw[pos:end], v, _new(Span, (start + pos, start + end)))))  # no Python-level __new__
        pos = end
        if pos >= len(raw) and k + 1 < len(spans):
            k, pos = k + 1, 0
    return tuple(out)


# -- a table -----------------------------------------------------------------------------------

def _relations(spec: TableSpec, present: set[str]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The table's column relations over the rows present (a condensed row standing for its parts)."""
    out = []
    for rel in spec.relations:
        lhs, rhs = spec.substitute(rel[0], present), spec.substitute(rel[1], present)
        if set(lhs) | set(rhs) <= present:
            out.append((lhs, rhs))
    return out


def _holds(rel: tuple[tuple[str, ...], tuple[str, ...]], values: dict[str, Sequence[int | None]], width: int) -> bool:
    lhs, rhs = rel
    for c in range(width):
        left = [values[r][c] for r in lhs]
        right = [values[r][c] for r in rhs]
        if None in left or None in right:
            continue  # a blank takes no part in the arithmetic
        if sum(left) != sum(right):  # type: ignore[arg-type]
            return False
    return True


def _states(stated: Stated, values: dict[str, Sequence[int | None]]) -> bool | None:
    """Whether the stated number fits; None when a cell it needs is unknown."""
    known = False
    for alt in stated.alternatives:
        if any(r not in values or c >= len(values[r]) or values[r][c] is None for r, c in alt):
            continue
        known = True
        if sum(values[r][c] for r, c in alt) == stated.value:  # type: ignore[misc]
            return True
    return False if known else None


def _solve(options: dict[str, list[tuple[int, ...]]], fixed: dict[str, Sequence[int | None]],
           relations: list, stated: list[Stated], width: int) -> dict[str, set[tuple[int, ...]]] | None:
    """Per ambiguous row, the values it takes over all joint solutions; None if the search was cut
    short. An empty dict entry set means no solution at all. Every relation and statement given
    involves at least one of the rows searched (the caller keeps only those)."""
    order = sorted(options, key=lambda r: len(options[r]))
    seen: dict[str, set[tuple[int, ...]]] = {r: set() for r in order}
    values: dict[str, Sequence[int | None]] = dict(fixed)
    # a relation or statement is checked as soon as the last row it needs is chosen
    due: dict[int, list] = {i: [] for i in range(len(order))}
    pos = {r: i for i, r in enumerate(order)}
    for rel in relations:
        due[max(pos[r] for r in rel[0] + rel[1] if r in pos)].append(("rel", rel))
    for st in stated:
        due[max(pos[r] for alt in st.alternatives for r, _c in alt if r in pos)].append(("st", st))
    nodes = 0
    solutions = 0

    def ok(checks: list) -> bool:
        for kind, item in checks:
            if kind == "rel" and not _holds(item, values, width):
                return False
            if kind == "st" and _states(item, values) is False:
                return False
        return True

    def go(i: int) -> None:
        nonlocal nodes, solutions
        if i == len(order):
            solutions += 1
            for r in order:
                seen[r].add(tuple(values[r]))  # type: ignore[arg-type]
            if solutions >= MAX_SOLUTIONS:
                raise _Budget
            return
        rid = order[i]
        for cand in options[rid]:
            nodes += 1
            if nodes > JOINT_BUDGET:
                raise _Budget
            values[rid] = cand
            if ok(due[i]):
                go(i + 1)
        values.pop(rid, None)

    try:
        go(0)
    except _Budget:
        return None
    finally:  # `go` calls itself: unlinked, it is freed now, not by the cyclic collector
        go = ok = None  # type: ignore[assignment]
    return seen


def _blocks(spec: TableSpec, row: Row) -> list[tuple[int, bool]]:
    if spec.row_blocks and row.expected == spec.row_width:
        return [(len(parts), True) for parts in spec.row_blocks]
    return [(row.expected, False)]


def recover_table(spec: TableSpec, rows: dict[str, Row], stated: Callable[[], Sequence[Stated]] = tuple,
                  kept_cells: bool = True) -> dict[str, Row]:
    """Split the table's flattened rows where the constraints single out one split. `stated` gives the
    numbers the prose states about the table; it is asked only when a row needs splitting."""
    rows = dict(rows)
    options: dict[str, list[tuple[int, ...]]] = {}
    runs: dict[str, list[str]] = {}
    fracs: dict[str, str] = {}
    for rid, row in rows.items():
        found = _chunks(row)
        if found is None or ((found[1] or any(c.raw[:1] in "+＋-－" for c in row.cells)) and spec.row_blocks):
            continue  # no signs nor decimals in counts
        chunks, fracs[rid] = found
        runs[rid] = chunks
        splits = row_splits(chunks, _blocks(spec, row))
        if splits is None:  # too many ways to tell apart
            rows[rid] = row._replace(unreadable=True, splits=-1)
        else:
            options[rid] = splits
    if not options:
        return rows
    statements = stated()
    if not spec.row_blocks:
        decided = _decide_plain(options, runs, statements, kept_cells)
        counts = {rid: len(o) for rid, o in options.items()}
    else:
        decided, counts = _decide_joint(spec, rows, options, statements)
    for rid, o in options.items():
        row = rows[rid]
        if rid in decided:
            rows[rid] = row._replace(cells=_cells(row, decided[rid], fracs.get(rid, "")), unreadable=False,
                                recovered=True)
        else:
            rows[rid] = row._replace(unreadable=True, splits=counts.get(rid, len(o)))
    return rows


def _decide_plain(options: dict[str, list[tuple[int, ...]]], chunks: dict[str, list[str]],
                  stated: Sequence[Stated], kept_cells: bool) -> dict[str, tuple[int, ...]]:
    """A table without arithmetic (表二): a row splits when one candidate is left after what the prose
    states of it, or when it has one digit a cell and the crawl kept the blank cells elsewhere."""
    decided = {}
    for rid, cands in options.items():
        about = [s for s in stated if all(r == rid for alt in s.alternatives for r, _c in alt)]
        kept = [c for c in cands if all(_states(s, {rid: c}) is not False for s in about)]
        # `000`, `002`: every digit but the last a zero, so no fewer cells fit (`00` is no number) and
        # no blank cell could have been dropped from it
        tight = all(not c[:-1].strip("0") for c in chunks[rid])
        if len(kept) == 1 and (about or kept_cells or tight):
            decided[rid] = kept[0]
    return decided


def _decide_joint(spec: TableSpec, rows: dict[str, Row], options: dict[str, list[tuple[int, ...]]],
                  stated: Sequence[Stated]) -> tuple[dict[str, tuple[int, ...]], dict[str, int]]:
    fixed = {rid: v for rid, r in rows.items() if rid not in options and (v := r.values()) is not None}
    present = set(fixed) | set(options)
    relations = _relations(spec, present)
    statements = [s for s in stated if any(all(r in present for r, _c in alt) for alt in s.alternatives)]
    width = len(spec.columns)
    # every subset of the constraint families, the largest first and, among equals, the prose dropped
    # first: the table really is wrong where no split satisfies them all, so the rows are split by
    # the largest set of constraints that still holds
    families: list[tuple[list, list]] = [([rel], []) for rel in relations] + ([([], statements)] if statements else [])
    levels = []
    for size in range(len(families), -1, -1):
        for combo in sorted(itertools.combinations(families, size), key=lambda c: -sum(len(f[0]) for f in c)):
            levels.append(([r for f in combo for r in f[0]], [x for f in combo for x in f[1]]))
    decided: dict[str, tuple[int, ...]] = {}
    counts = {rid: len(o) for rid, o in options.items()}
    for rels, sts in levels:
        # a row no split fits takes no part: the relations through it cannot be used
        pending = {rid: o for rid, o in options.items() if rid not in decided and o}
        base = {**fixed, **decided}
        rels = [r for r in rels if set(r[0] + r[1]) & set(pending) and set(r[0] + r[1]) <= set(base) | set(pending)]
        sts = [s for s in sts if any(r in pending for alt in s.alternatives for r, _c in alt)]
        touched = {r for rel in rels for r in rel[0] + rel[1]} | {r for s in sts for alt in s.alternatives for r, _c in alt}
        for rid, o in pending.items():  # rows no constraint touches: one candidate or none
            if rid not in touched and len(o) == 1:
                decided[rid] = o[0]
        joint = {rid: o for rid, o in pending.items() if rid in touched}
        if not joint:
            continue
        seen = _solve(joint, base, rels, sts, width)
        if seen is None or not all(seen.values()):
            continue  # too many combinations, or no solution (the table really is wrong here): relax
        for rid, vals in seen.items():
            counts[rid] = len(vals)
            if len(vals) == 1:
                decided[rid] = next(iter(vals))
        break
    return decided, counts
