"""The machine format: {"version": 1, "files": [...]} (no rich import on this path)."""

from __future__ import annotations

import json
from typing import IO, Any

from . import span


def diagnostic_dict(r: Any, d: Any) -> dict[str, Any]:
    line, col, end_line, end_col = span(r, d)
    return {"code": d.code, "name": d.name, "severity": d.severity, "message": d.message,
            "line": line, "column": col, "end_line": end_line, "end_column": end_col, "help": d.help,
            "fixable": d.fix is not None}


def file_dict(r: Any) -> dict[str, Any]:
    rep = r.report
    return {"path": r.path, "template": rep.template if rep else None, "year": rep.year if rep else None,
            "agency": rep.agency if rep else None,
            "diagnostics": [diagnostic_dict(r, d) for d in r.diagnostics]}


def write(results: list[Any], stream: IO[str], options: Any) -> None:
    json.dump({"version": 1, "files": [file_dict(r) for r in results]}, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
