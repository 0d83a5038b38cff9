"""Table kinds (DL2xx): the 勾稽关系 as equations, cell validity, row completeness.

Every arithmetic rule is an equation `sum(lhs) = sum(rhs)` over cells. Collecting the equations
of all arithmetic rules of a table lets a failing rule say which single cell, if corrected,
would make every failing equation hold at once (a wrong cell breaks its row and its column).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from operator import itemgetter
from typing import Any, NamedTuple

from ..compiled import regex
from ..diagnostics import Finding
from ..hookspecs import hookimpl
from ..model import Report, Row, Span, Table
from ..template import template
from . import Kind, line_span

Cell = tuple[str, int]  # (row id, column index)
_RAW = itemgetter(0)  # a model cell's text as printed
_VALUE = itemgetter(1)
_WHOLE = frozenset({int})  # the value types of a row whose every cell is a whole number (most rows)
_NONE = type(None)


def _value_types(row: Row) -> set[type]:
    """The types of a row's cell values, gathered in C (`None in values` compares every count with None)."""
    return set(map(type, map(_VALUE, row.cells)))


# A relation's cells and what its message needs besides the values: `(lhs, rhs, describe's arguments)`.
Relation = tuple[tuple[Cell, ...], tuple[Cell, ...], tuple[Any, ...]]


def _residual(lhs: tuple[Cell, ...], rhs: tuple[Cell, ...], values: dict[Cell, Any]) -> Any:
    return sum(map(values.__getitem__, lhs)) - sum(map(values.__getitem__, rhs))


def _tmpl(report: Report) -> Any:
    return template("2019" if report.template == "2019" else "2021")


def _values(report: Report, table_id: str) -> dict[Cell, Any]:
    """Every cell of a table with a value, by (row id, column): read once a report for the table's rules."""
    key = "values:" + table_id
    values = report.memo.get(key)
    if values is None:
        values = report.memo[key] = _read_values(report.table(table_id))
    return values


def _read_values(table: Table) -> dict[Cell, Any]:
    out: dict[Cell, Any] = {}
    for rid, row in table.rows.items():
        vals = row.values()
        if vals is None:
            continue
        for i, v in enumerate(vals):
            if v is not None:
                out[(rid, i)] = v
    return out


_TOP_ORDINAL = regex(r"^[一二三四五六七八九十]+、")


def _short(report: Report, table_id: str, rid: str) -> str:
    """A row's label short enough for an equation: `一、本年新收…`, `（七）总计`, `1.属于国家秘密`."""
    table = _tmpl(report).tables[table_id]
    spec = table.row(rid)
    label = spec.label if spec and spec.label else table.short or rid
    top = _TOP_ORDINAL.match(label)
    keep = top.end() + 4 if top else 9
    return label if len(label) <= keep + 1 else label[:keep] + "…"


def _col_name(report: Report, table_id: str, col: int) -> str:
    cols = _tmpl(report).tables[table_id].columns
    return cols[col] if col < len(cols) else str(col + 1)


class _Arithmetic(Kind):
    """Shared by the relation kinds: build equations, check them, suggest a single-cell fix."""

    def __init__(self, rule: Any) -> None:
        super().__init__(rule)
        # a rule's relations depend only on the template and the rows printed: made once for each such case
        self._relations: dict[tuple[str, frozenset[str]], tuple[list[Relation], frozenset[Cell]]] = {}
        self._siblings: tuple[Any, list[_Arithmetic]] | None = None  # (the run's rules, the table's kinds)

    def relations(self, report: Report) -> tuple[list[Relation], frozenset[Cell]]:
        """Every relation of the rule over the rows the template has or the report printed, and the cells
        they read."""
        tmpl = _tmpl(report)
        key = (tmpl.id, frozenset(report.table(self.params["table"]).rows))
        if key not in self._relations:
            if len(self._relations) > 64:
                self._relations.clear()
            relations = self.make_relations(tmpl.tables[self.params["table"]], key[1])
            self._relations[key] = (relations, frozenset(c for lhs, rhs, _how in relations for c in (*lhs, *rhs)))
        return self._relations[key]

    def make_relations(self, spec: Any, printed: frozenset[str]) -> list[Relation]:
        raise NotImplementedError

    def present(self, report: Report, values: dict[Cell, Any]) -> list[Relation]:
        """The relations whose cells all have values (all of them in a table read whole)."""
        relations, cells = self.relations(report)
        if cells <= values.keys():
            return relations
        has = values.__contains__
        return [r for r in relations if all(map(has, r[0])) and all(map(has, r[1]))]

    def residuals(self, report: Report, values: dict[Cell, Any]) -> list[tuple[Relation, Any]]:
        """Each relation with its cells' values and how far its sides are apart (0: it holds)."""
        return [(r, _residual(r[0], r[1], values)) for r in self.present(report, values)]

    def _describe(self, report: Report, values: dict[Cell, Any], *args: Any) -> dict[str, Any]:
        raise NotImplementedError

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        table_id = self.params["table"]
        if report.template not in ("2021", "2019", "unknown"):
            return
        table = report.table(table_id)
        if not table:
            return
        values = _values(report, table_id)
        sums = self._sums(report, ctx, table_id, values)
        own = sums.residuals.get(self.rule.code)
        if own is None:  # a rule the run's rules do not hold (a kind called on its own)
            own = self.residuals(report, values)
        judged: _Judged | None = None
        for (lhs, _rhs, how), diff in own:
            if diff == 0:
                continue
            if judged is None:
                judged = sums.judged or _judge(sums.residuals, own, values)
                if sums.residuals:  # the run's rules' judgement: the same for each of them
                    sums.judged = judged
            cell, new, broken = judged
            args = dict(self._describe(report, values, *how), diff=abs(diff))
            help_variant = None
            where = lhs[0]
            if cell is not None:
                where = cell
                args.update(cell=f"{_short(report, table_id, cell[0])} {_col_name(report, table_id, cell[1])}",
                            old=values[cell], new=new, broken=broken)
                help_variant = "suggest"
            row = table.rows[where[0]]
            span = row.cells[where[1]].span if where[1] < len(row.cells) else row.span
            yield Finding(span, args, help=help_variant)

    def _sums(self, report: Report, ctx: Any, table_id: str, values: dict[Cell, Any]) -> _Sums:
        """Every arithmetic rule of the run over this table, its relations with their residuals: read once a
        report for all of them (a relation's residual was read by its rule, and again by each rule that
        judged the table), with the judgement of the table made at the first failure (a wrong cell fails a
        row's rule and a column's). Kept in the report's memo for the run's rules."""
        key = "sums:" + table_id
        kept = report.memo.get(key)
        if kept is not None and kept.rules is ctx.rules:
            return kept
        sums = report.memo[key] = _Sums(ctx.rules, {k.rule.code: k.residuals(report, values)
                                                    for k in self.siblings(ctx, table_id)})
        return sums

    def siblings(self, ctx: Any, table_id: str) -> list[_Arithmetic]:
        """The run's arithmetic kinds of this table, made once a run (their relations kept with them)."""
        if self._siblings is None or self._siblings[0] is not ctx.rules:
            self._siblings = (ctx.rules, [_KINDS[rule.kind](rule) for rule in ctx.rules if rule.kind in ("column-sum", "row-sum")
                                          and rule.params.get("table") == table_id])
        return self._siblings[1]


class _Sums:
    """A table's arithmetic in one report, for the run's rules (`rules`)."""

    __slots__ = ("rules", "residuals", "judged")

    def __init__(self, rules: Any, residuals: dict[str, list[tuple[Relation, Any]]]) -> None:
        self.rules = rules
        self.residuals = residuals  # rule code -> its relations and their residuals
        self.judged: _Judged | None = None


class _Judged(NamedTuple):
    cell: Cell | None  # the cell that mends every failing relation, if one does
    new: Any  # its corrected value
    broken: int  # how many failing relations it is in: all of them


def _judge(residuals: dict[str, list[tuple[Relation, Any]]], own: list[tuple[Relation, Any]],
           values: dict[Cell, Any]) -> _Judged:
    """The one cell whose correction would mend every failing relation of the table's arithmetic rules
    (those of the run; a rule's own when the run has none)."""
    related = [item for items in residuals.values() for item in items] or own
    failing = [(r[0], r[1], diff) for r, diff in related if diff != 0]
    cell, new = _suggest(failing, [(r[0], r[1]) for r, diff in related if diff == 0], values)
    return _Judged(cell, new, len(failing) if cell is not None else 0)  # the cell is in every failing one


def _coef(lhs: tuple[Cell, ...], rhs: tuple[Cell, ...], cell: Cell) -> int:
    return lhs.count(cell) - rhs.count(cell)


def _suggest(failing: list[tuple[tuple[Cell, ...], tuple[Cell, ...], Any]],
             holding: list[tuple[tuple[Cell, ...], tuple[Cell, ...]]],
             values: dict[Cell, Any]) -> tuple[Cell | None, Any]:
    """The one cell whose correction satisfies every failing relation (its sides and residual) and breaks
    no holding one. It is in every failing relation: the same for each failing rule of the table."""
    if not failing:
        return None, None
    first_lhs, first_rhs, _diff = failing[0]
    candidates = []
    for cell in set(first_lhs) | set(first_rhs):
        if any(_coef(lhs, rhs, cell) == 0 for lhs, rhs, _d in failing):
            continue
        if any(_coef(lhs, rhs, cell) != 0 for lhs, rhs in holding):
            continue
        news = {values[cell] - d / _coef(lhs, rhs, cell) for lhs, rhs, d in failing}
        if len(news) != 1:
            continue
        new = news.pop()
        if new < 0 or (isinstance(values[cell], int) and new != int(new)):
            continue
        candidates.append((cell, int(new) if isinstance(values[cell], int) else Decimal(new)))
    if len(candidates) == 1:
        return candidates[0]
    return None, None


class ColumnSum(_Arithmetic):
    """For every column: sum of the `lhs` rows equals sum of the `rhs` rows (rows the template has)."""

    def make_relations(self, spec: Any, printed: frozenset[str]) -> list[Relation]:
        known = {r.id for r in spec.rows}
        # a condensed row (（六）其他处理 as one row) stands for its parts
        lhs = [r for r in spec.substitute(self.params["lhs"], printed) if r in known or r in printed]
        rhs = [r for r in spec.substitute(self.params["rhs"], printed) if r in known or r in printed]
        return [(tuple((r, col) for r in lhs), tuple((r, col) for r in rhs), (lhs, rhs, col))
                for col in range(len(spec.columns))]

    def _describe(self, report: Report, values: dict[Cell, Any], lhs: list[str], rhs: list[str], col: int) -> dict[str, Any]:
        table_id = self.params["table"]
        show_l = "+".join(f"{_short(report, table_id, r)}({values[(r, col)]})" for r in lhs)
        if len(rhs) > 3:
            total = sum(values[(r, col)] for r in rhs)
            show_r = f"{self.params.get('rhs_name', '合计')}({total})"
        else:
            show_r = "+".join(f"{_short(report, table_id, r)}({values[(r, col)]})" for r in rhs)
        return {"col": col + 1, "colname": _col_name(report, table_id, col), "lhs": show_l, "rhs": show_r}


class RowSum(_Arithmetic):
    """In each row: the total cell equals the sum of its part cells (one or more blocks a row)."""

    def make_relations(self, spec: Any, printed: frozenset[str]) -> list[Relation]:
        return [(((row_spec.id, block["total"]),), tuple((row_spec.id, p) for p in block["parts"]), (row_spec.id, block))
                for row_spec in spec.rows for block in self.params["blocks"]]

    def _describe(self, report: Report, values: dict[Cell, Any], rid: str, block: dict[str, Any]) -> dict[str, Any]:
        total, parts = block["total"], block["parts"]
        return {"row": _short(report, self.params["table"], rid), "parts": "+".join(str(values[(rid, p)]) for p in parts),
                "total": values[(rid, total)], "block": block.get("name", ""), "sum": sum(values[(rid, p)] for p in parts)}


class CellValidity(Kind):
    """Cells are numbers: a blank mark is a defect, not a zero; counts are whole numbers."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        for table_id in self.params["tables"]:
            table = report.table(table_id)
            spec = _tmpl(report).tables.get(table_id)
            if not table or spec is None:
                continue
            empty: list[Row] = []
            blank_columns = _blank_columns(table)
            for col, cells in blank_columns.items():  # a whole column left blank: once, not a finding a row
                yield Finding(cells[0].span, {"col": col + 1, "colname": _col_name(report, table_id, col),
                                              "count": len(cells)}, "column")
            for rid, row in table.rows.items():
                if not any(map(_RAW, row.cells)):  # no cells, or only empty fields
                    empty.append(row)
                    continue
                if row.unreadable:
                    continue
                kinds = _value_types(row)
                if kinds == _WHOLE:
                    continue  # most rows: every cell a whole number
                row_spec = spec.row(rid)
                whole = not (row_spec and row_spec.decimal)
                if _NONE not in kinds and not (whole and Decimal in kinds):
                    continue
                for i, cell in enumerate(row.cells):
                    if cell.blank:
                        if i in blank_columns:
                            continue
                        variant = "message"
                    elif whole and isinstance(cell.value, Decimal):
                        variant = "decimal"
                    else:
                        continue
                    args = {"row": _short(report, table_id, rid), "col": i + 1, "colname": _col_name(report, table_id, i)
                            if table_id != "proactive" else (row_spec.columns[i] if row_spec and
                                                             i < len(row_spec.columns) else str(i + 1)),
                            "raw": cell.raw}
                    yield Finding(cell.span, args, variant)
            if empty:  # one finding a table: a crawler that drops blank cells empties many rows
                names = "、".join(_short(report, table_id, r.id) for r in empty[:6])
                yield Finding(empty[0].span, {"count": len(empty), "rows": names + ("…" if len(empty) > 6 else "")},
                              "empty_row")


def _blank_columns(table: Table) -> dict[int, list]:
    """Columns blank in three or more of the rows that have numbers elsewhere."""
    out: dict[int, list] = {}
    for row in table.rows.values():
        if row.unreadable or len(row.cells) != row.expected or not any(map(_RAW, row.cells)):
            continue
        if _NONE not in _value_types(row):
            continue  # most rows: no blank cell
        for i, c in enumerate(row.cells):
            if c.value is None:  # blank
                out.setdefault(i, []).append(c)
    return {i: cells for i, cells in out.items() if len(cells) >= 3}


class CellCount(Kind):
    """A row has exactly the template's number of cells (table 四: 15)."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        for table_id in self.params["tables"]:
            table = report.table(table_id)
            for rid, row in table.rows.items():
                if row.unreadable or not row.cells or len(row.cells) == row.expected:
                    continue
                args = {"row": _short(report, table_id, rid), "got": len(row.cells), "expected": row.expected}
                variant = "review" if table_id == "review_litigation" else "message"
                yield Finding(row.span, args, variant)


class UnreadableRow(Kind):
    """Digits run together (`81010010`): the cells cannot be told apart; no arithmetic on them."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        for table in report.tables.values():
            name = _tmpl(report).tables[table.id].name.get("zh", table.id)
            unsplit: list[Row] = []  # no split fits: most often a crawl that dropped the blank cells too
            for row in table.rows.values():
                if not row.unreadable:
                    continue
                if row.splits in (0, 1):  # one split fits only where no blank could hide in the run
                    unsplit.append(row)
                    continue
                yield Finding(_cells_span(row), {"row": _short(report, table.id, row.id), "digits": _digits(row),
                                                 "expected": row.expected, "splits": row.splits, "table": name},
                              "many" if row.splits < 0 else "ambiguous")
            if unsplit:  # once a table: a crawler that drops blank cells spoils many rows at once
                first = unsplit[0]
                yield Finding(_cells_span(first), {"row": _short(report, table.id, first.id), "digits": _digits(first),
                                                   "expected": first.expected, "count": len(unsplit), "table": name})


def _digits(row: Row) -> str:
    return " ".join(c.raw for c in row.cells)


def _cells_span(row: Row) -> Span:
    return Span(row.cells[0].span.start, row.cells[-1].span.end) if row.cells else row.span


class RecoveredRows(Kind):
    """Cells split from runs of digits because the table's arithmetic admits one split only (info)."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        for table in report.tables.values():
            rows = [r for r in table.rows.values() if r.recovered]
            if rows:
                first = rows[0]
                yield Finding(Span(first.cells[0].span.start, first.cells[-1].span.end), {
                    "count": len(rows), "row": _short(report, table.id, first.id),
                    "cells": " ".join(c.raw for c in first.cells),
                    "table": _tmpl(report).tables[table.id].name.get("zh", table.id)})


class MissingRows(Kind):
    """Every template row of a table that was found is present."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        if report.template not in ("2021", "2019", "unknown"):
            return
        for table_id in self.params["tables"]:
            table = report.table(table_id)
            spec = _tmpl(report).tables[table_id]
            if not table or len(table.rows) < 3:  # too little of the table to say rows are missing
                continue
            stands_for = spec.condensed.rows if spec.condensed and spec.condensed.id in table.rows else ()
            missing = [r for r in spec.rows if r.id not in table.rows and r.id not in stands_for]
            if missing:
                names = "、".join(_short(report, table_id, r.id) for r in missing[:8])  # labels, never row ids
                if len(missing) > 8:
                    names += f" …（共{len(missing)}行）"
                yield Finding(line_span(report, table.span.start), {"rows": names, "count": len(missing),
                                                                     "table": spec.name.get("zh", table_id)})


class MissingTable(Kind):
    """A statutory-template report whose tables are not in the text at all."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        if report.template not in ("2021", "2019"):
            return
        for table_id in self.params["tables"]:
            if report.table(table_id):
                continue
            sec = report.sections.get(table_id)
            if sec is None or sec.heading is None:
                continue  # the missing heading is reported by DL101
            yield Finding(sec.heading.span, {"section": sec.heading.title})


class CondensedRow(Kind):
    """An older layout's one row printed where the template has several (（六）其他处理, 2019 layout)."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        for table_id, table in report.tables.items():
            spec = _tmpl(report).tables.get(table_id)
            if spec is None or spec.condensed is None:
                continue
            row = table.rows.get(spec.condensed.id)
            if row is not None:
                parts = "、".join(_short(report, table_id, r) for r in spec.condensed.rows)
                yield Finding(row.span, {"label": spec.condensed.label, "count": len(spec.condensed.rows),
                                         "parts": parts})


_KINDS: dict[str, type] = {"column-sum": ColumnSum, "row-sum": RowSum}


@hookimpl
def dlint_kinds() -> dict[str, type]:
    return {**_KINDS, "cell-validity": CellValidity, "cell-count": CellCount,
            "unreadable-row": UnreadableRow, "missing-rows": MissingRows, "missing-table": MissingTable,
            "recovered-rows": RecoveredRows, "condensed-row": CondensedRow}

