"""SARIF 2.1.0 for code-scanning dashboards: rules described in `tool.driver.rules`, stable fingerprints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from .. import __version__
from ..baseline import fingerprints
from . import span

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    p = Path(path)
    return p.resolve().as_uri() if p.is_absolute() else quote(p.as_posix())


def _rule(rule: Any, lang: str) -> dict[str, Any]:
    return {"id": rule.code, "name": rule.name,
            "shortDescription": {"text": rule.summary[lang]}, "fullDescription": {"text": rule.why[lang]},
            "help": {"text": f"{rule.summary[lang]}\n\n{rule.why[lang]}\n\n(dlint rule {rule.code})"},
            "defaultConfiguration": {"level": _LEVEL[rule.severity]},
            "properties": {"tags": [rule.kind]}}


def write(results: list[Any], stream: IO[str], options: Any) -> None:
    rules = list(options.rules)
    index = {r.code: i for i, r in enumerate(rules)}
    out = []
    for r in results:
        for d, fp in zip(r.diagnostics, fingerprints(r)):
            line, col, end_line, end_col = span(r, d)
            result: dict[str, Any] = {
                "ruleId": d.code, "level": _LEVEL[d.severity],
                "message": {"text": d.message + (f"\n{d.help}" if d.help else "")},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": _uri(r.path)},
                    "region": {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col}}}],
                "partialFingerprints": {"dlintFinding/v1": fp},
            }
            if d.code in index:
                result["ruleIndex"] = index[d.code]
            out.append(result)
    log = {"version": "2.1.0", "$schema": SCHEMA, "runs": [{
        "tool": {"driver": {"name": "dlint", "version": __version__, "semanticVersion": __version__,
                            "rules": [_rule(r, options.lang) for r in rules]}},
        "columnKind": "unicodeCodePoints",
        "results": out,
    }]}
    json.dump(log, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
