"""An aggregate report (a county's, or a department's with its units) against its members' reports:
table 三 and table 四 of the aggregate equal the sums of its members', cell by cell.

Only where the user declared the grouping (`--aggregates FILE`): dlint never guesses which reports an
aggregate covers. A member whose report is missing is reported once, and then nothing is summed (a
partial sum would only make every cell differ).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..diagnostics import Finding
from ..hookspecs import hookimpl
from ..model import Report, Span
from ..template import template
from . import Kind

TABLES = ("requests", "review_litigation")


class AggregateSums(Kind):
    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        members = ctx.members_of(report)
        if members is None:
            return
        missing = [path for path, model in members if model is None]
        aspect = self.params.get("aspect", "sums")
        if aspect == "missing":
            if missing:
                yield Finding(report.title_span or Span(0, 0), {"count": len(missing), "members": "、".join(missing)})
            return
        if missing or not members:
            return
        tmpl = template("2019" if report.template == "2019" else "2021")
        names = "、".join(path for path, _ in members)
        for table_id in TABLES:
            table = report.table(table_id)
            spec = tmpl.tables.get(table_id)
            if not table or spec is None:
                continue
            rowspecs = {r.id: r for r in spec.rows}
            for row_id, row in table.rows.items():
                values = table.values(row_id)
                rowspec = rowspecs.get(row_id)
                if values is None or rowspec is None:
                    continue
                parts = [m.table(table_id).values(row_id) if m.table(table_id) else None for _, m in members]
                if any(p is None for p in parts):
                    continue  # a member without this row read: nothing to sum
                for col, value in enumerate(values):
                    cells = [p[col] if col < len(p) else None for p in parts]  # type: ignore[index]
                    if value is None or any(c is None for c in cells):
                        continue
                    total = sum(cells)  # type: ignore[arg-type]
                    if total != value:
                        label = rowspec.label or spec.short or table_id
                        columns = rowspec.columns
                        yield Finding(row.cells[col].span, {
                            "row": label if len(label) <= 16 else label[:15] + "…", "col": col + 1,
                            "colname": columns[col] if col < len(columns) else str(col + 1),
                            "value": value, "sum": total, "count": len(members), "members": names})


@hookimpl
def dlint_kinds() -> dict[str, type]:
    return {"aggregate-sums": AggregateSums}
