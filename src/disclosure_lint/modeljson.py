"""The report model as plain JSON data (what `dlint parse` prints)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .model import Report, Span


def _pos(report: Report, span: Span | None) -> dict[str, int] | None:
    if span is None:
        return None
    line, col = report.source.position(span.start)
    end_line, end_col = report.source.position(span.end)
    return {"line": line, "column": col, "end_line": end_line, "end_column": end_col}


def _value(v: Any) -> Any:
    return str(v) if isinstance(v, Decimal) else v


def report_dict(report: Report) -> dict[str, Any]:
    return {
        "path": report.source.path,
        "encoding": report.source.encoding,
        "title": report.title,
        "year": report.year,
        "agency": report.agency,
        "template": report.template,
        "sections": [
            {"id": s.id, "heading": s.heading.title if s.heading else None,
             "number": s.heading.number if s.heading else None,
             "span": _pos(report, s.heading.span if s.heading else None),
             "body": _pos(report, s.body)}
            for s in report.sections.values()
        ],
        "headings": [{"number": h.number, "title": h.title, "section": h.section, "span": _pos(report, h.span)}
                     for h in report.headings],
        "tables": {
            tid: {"span": _pos(report, t.span), "rows": [
                {"id": r.id, "label": r.label, "line": report.source.position(r.span.start)[0],
                 # in column order, a blank (empty or a mark such as `/`) as null at its place
                 "cells": [_value(c.value) for c in r.cells],
                 "raw": [c.raw for c in r.cells],
                 "expected": r.expected, "form": r.form, "unreadable": r.unreadable, "recovered": r.recovered,
                 "condensed": r.condensed, **({"splits": r.splits} if r.unreadable else {})}
                for r in t.rows.values()]}
            for tid, t in report.tables.items()
        },
        "paragraphs": [{"section": p.section, "span": _pos(report, p.span), "text": p.text[:80]}
                       for p in report.paragraphs],
    }
