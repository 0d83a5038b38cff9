"""GitLab code quality report (a JSON array of issues), for `artifacts:reports:codequality`."""

from __future__ import annotations

import hashlib
import json
from typing import IO, Any

from ..baseline import fingerprints
from . import span

_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def write(results: list[Any], stream: IO[str], options: Any) -> None:
    issues = []
    for r in results:
        for d, fp in zip(r.diagnostics, fingerprints(r)):
            line, col, end_line, end_col = span(r, d)
            issues.append({
                "type": "issue", "check_name": f"{d.code} {d.name}", "description": f"{d.code}: {d.message}",
                "categories": ["Compliance"], "severity": _SEVERITY[d.severity],
                # unique per file and finding, stable across unrelated edits
                "fingerprint": hashlib.sha256(f"{r.path}\0{fp}".encode()).hexdigest()[:32],
                "location": {"path": r.path, "lines": {"begin": line, "end": end_line},
                             "positions": {"begin": {"line": line, "column": col},
                                           "end": {"line": end_line, "column": end_col}}},
            })
    json.dump(issues, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
