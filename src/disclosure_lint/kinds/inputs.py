"""Input kinds (DL0xx): files that cannot be read as a report. The source stage raises them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..diagnostics import Finding
from ..hookspecs import hookimpl
from ..model import Report, Span
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
    return {"input": InputProblem, "doubtful-reading": DoubtfulReading}


UNREAD = "?"  # what the OCR reader puts in a cell whose ink it cannot read (extract/ocr.UNREAD)


class DoubtfulReading(Kind):
    """A scan's table number that OCR read with low confidence: marked for a person to look at."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        doubtful = report.source.doubtful
        if not doubtful:
            return
        tables = [t.span for t in report.tables.values() if t]
        text = report.source.text
        for start, end, score in doubtful:
            if not any(span.start <= start < span.end for span in tables):
                continue
            read = text[start:end]
            if read.strip() == UNREAD:
                yield Finding(Span(start, end), {"text": read, "score": f"{score:.0%}"}, "unread")
            elif any(ch.isdigit() for ch in read):
                yield Finding(Span(start, end), {"text": read, "score": f"{score:.0%}"})
