"""GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`.

Escaping as the runner requires: in the message `%`, CR and LF; in properties also `:` and `,`.
"""

from __future__ import annotations

from typing import IO, Any

from . import span

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def write(results: list[Any], stream: IO[str], options: Any) -> None:
    for r in results:
        for d in r.diagnostics:
            line, col, end_line, end_col = span(r, d)
            props = [f"file={escape_property(r.path)}", f"line={line}", f"col={col}"]
            if end_line == line:
                props.append(f"endColumn={end_col}")
            else:
                props.append(f"endLine={end_line}")
            props.append(f"title={escape_property(f'{d.code} {d.name}')}")
            message = d.message + (f"\n{d.help}" if d.help else "")
            stream.write(f"::{_LEVEL[d.severity]} {','.join(props)}::{escape_data(message)}\n")
