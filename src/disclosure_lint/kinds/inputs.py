"""Input kinds (DL0xx): files that cannot be read as a report. The source stage raises them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..diagnostics import Finding
from ..hookspecs import hookimpl
from ..model import Report
from . import Kind


class InputProblem(Kind):
    """Reported by the source stage (binary, too large, undecodable, unreadable, empty)."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        if self.params.get("empty") and not report.source.text.strip():
            yield Finding(report.lines[0].span if report.lines else _zero(), {})


def _zero() -> Any:
    from ..model import Span

    return Span(0, 0)


@hookimpl
def dlint_kinds() -> dict[str, type]:
    return {"input": InputProblem}
