"""One row per finding with agency and year, for spreadsheets (UTF-8 with a BOM, so Excel reads 中文)."""

from __future__ import annotations

import csv as _csv
from typing import IO, Any

from ..verdict import label, verdict
from . import span

COLUMNS = ["path", "agency", "year", "template", "verdict", "line", "column", "code", "name", "severity", "message", "help"]


def write(results: Any, stream: IO[str], options: Any) -> None:
    stream.write("\ufeff")
    out = _csv.writer(stream, lineterminator="\r\n")
    out.writerow(COLUMNS)
    lang = getattr(options, "lang", "zh")
    for r in results:
        judged = label(verdict(r), lang)
        for d in r.diagnostics:
            line, col, _, _ = span(r, d)
            out.writerow([_safe(str(v)) for v in (r.path, r.agency or "", r.year or "", r.template or "", judged,
                                                  line, col, d.code, d.name, d.severity, d.message, d.help or "")])


def _safe(text: str) -> str:
    """Every cell: one starting with = + - @ (or a tab or carriage return before them) is a formula to a
    spreadsheet, and the agency and path come from the audited body: quote it so it stays text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
