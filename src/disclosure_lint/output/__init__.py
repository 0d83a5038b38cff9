"""Output formats, one module each. `write(results, stream, options)` prints one run's findings.

`options` carries `lang`, `no_color`, `color_forced` and `rules` (the rules of the run, for formats
that describe them, such as SARIF).
"""

from __future__ import annotations

from typing import Any

FORMATS = ("full", "concise", "json", "json-lines", "sarif", "github", "junit", "gitlab", "html", "csv")


def module_name(fmt: str) -> str:
    return fmt.replace("-", "_")


def span(result: Any, d: Any) -> tuple[int, int, int, int]:
    """1-based (line, column, end line, end column) of a diagnostic, columns in code points."""
    line, col = result.position(d.span.start)
    end_line, end_col = result.position(d.span.end)
    return line, col, end_line, end_col
