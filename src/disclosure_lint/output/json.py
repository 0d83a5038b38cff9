"""The machine format: {"version": 1, "files": [...]} (no rich import on this path)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from . import span


def diagnostic_dict(r: Any, d: Any) -> dict[str, Any]:
    line, col, end_line, end_col = span(r, d)
    return {"code": d.code, "name": d.name, "severity": d.severity, "message": d.message,
            "line": line, "column": col, "end_line": end_line, "end_column": end_col, "help": d.help,
            "fixable": d.fix is not None}


def file_dict(r: Any) -> dict[str, Any]:
    return {"path": r.path, "template": r.template, "year": r.year, "agency": r.agency,
            "diagnostics": [diagnostic_dict(r, d) for d in r.diagnostics]}


def _indented(value: Any, indent: str) -> str:
    """The text of json.dumps(value, ensure_ascii=False, indent=2) at that indent, each scalar written by the
    C encoder (with an indent, json falls back to its Python encoder: slower, and its nested functions left
    a cycle for the collector per file)."""
    if isinstance(value, dict) and value:
        inner = indent + "  "
        return ("{\n" + ",\n".join(f"{inner}{json.dumps(k, ensure_ascii=False)}: {_indented(v, inner)}"
                                    for k, v in value.items()) + "\n" + indent + "}")
    if isinstance(value, list) and value:
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + _indented(v, inner) for v in value) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False)


def write(results: Iterable[Any], stream: IO[str], options: Any) -> None:
    """Streamed file by file (a batch of thousands is never held whole); the same text as one json.dump."""
    stream.write('{\n  "version": 1,\n  "files": [')
    sep = "\n"
    for r in results:
        stream.write(sep + "    " + _indented(file_dict(r), "    "))
        sep = ",\n"
    stream.write("\n  ]" if sep == ",\n" else "]")
    # the run's configuration files (null: the defaults): a parent folder's configuration is never silent
    configs = getattr(options, "configs", list)()
    stream.write(',\n  "configs": ' + json.dumps(configs, ensure_ascii=False) + "\n}\n")
