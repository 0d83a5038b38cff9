"""What a rule reports: `Finding` (from a kind) and `Diagnostic` (formatted, ready to print)."""

from __future__ import annotations

from typing import Any, NamedTuple

from .model import Span

SEVERITIES = ("error", "warning", "info")


# Records made for every finding are named tuples; the classes too are made at every start, a named tuple
# ten times faster than a dataclass (whose methods are compiled from generated source).
class Edit(NamedTuple):
    """Replace source[start:end] with `text` (offsets into the decoded text)."""

    start: int
    end: int
    text: str


class Fix(NamedTuple):
    edits: tuple[Edit, ...]
    applicability: str = "safe"  # only safe fixes are ever applied automatically


class Finding(NamedTuple):
    """A kind's raw result: where, which message variant, and the values to fill it with (a named tuple:
    a garbage line can make hundreds of thousands, and a frozen dataclass is made at a third the speed)."""

    span: Span
    args: dict[str, Any] = {}  # shared by findings without args: never changed, only read
    variant: str = "message"
    help: str | None = None  # a help variant of the rule, filled with the same args
    fix: Fix | None = None


class Diagnostic(NamedTuple):
    code: str
    name: str
    severity: str
    message: str
    span: Span
    help: str | None = None
    fix: Fix | None = None
