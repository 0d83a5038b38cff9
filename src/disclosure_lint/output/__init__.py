"""Output formats, one module each. `write(results, stream, options)` prints one run's findings.

`options` carries `lang`, `no_color`, `color_forced` and `rules` (the rules of the run, for formats
that describe them, such as SARIF).
"""

from __future__ import annotations

from typing import Any

FORMATS = ("full", "concise", "json", "json-lines", "sarif", "github", "junit", "gitlab", "html", "csv")
# the formats that print a finding's line of the report, or fingerprint it (baseline.fingerprints)
READ_LINES = frozenset({"full", "html", "sarif", "gitlab"})


def module_name(fmt: str) -> str:
    return fmt.replace("-", "_")


def span(result: Any, d: Any) -> tuple[int, int, int, int]:
    """1-based (line, column, end line, end column) of a diagnostic, columns in code points."""
    line, col = result.position(d.span.start)
    end_line, end_col = result.position(d.span.end)
    return line, col, end_line, end_col


def shown_path(path: str) -> str:
    """A path as one printable line: control characters (a newline in a file name would forge a line
    of output) and undecodable bytes (surrogate escapes) written as escapes."""
    out = []
    for ch in path:
        if ch < " " or ch == "\x7f" or "\ud800" <= ch <= "\udfff":
            out.append(ch.encode("utf-8", "surrogateescape").hex() if "\ud800" <= ch <= "\udfff" else repr(ch)[1:-1])
        else:
            out.append(ch)
    return "".join(out)

