"""`path:line:col: CODE message`, one finding a line (the default when not on a terminal)."""

from __future__ import annotations

from typing import IO, Any

from . import shown_path


def write(results: list[Any], stream: IO[str], options: Any) -> None:
    for r in results:
        for d in r.diagnostics:
            line, col = r.position(d.span.start)
            message = d.message.replace("\n", " ").replace("\r", " ")
            stream.write(f"{shown_path(r.path)}:{line}:{col}: {d.code} [{d.severity}] {message}\n")
