"""One JSON object per finding per line, for streaming into log pipelines (`jq`, BigQuery, ...)."""

from __future__ import annotations

import json
from typing import IO, Any

from .json import diagnostic_dict


def write(results: list[Any], stream: IO[str], options: Any) -> None:
    for r in results:
        for d in r.diagnostics:
            stream.write(json.dumps({"path": r.path, **diagnostic_dict(r, d)}, ensure_ascii=False) + "\n")
