"""What a rule reports: `Finding` (from a kind) and `Diagnostic` (formatted, ready to print)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import Span

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace source[start:end] with `text` (offsets into the decoded text)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    edits: tuple[Edit, ...]
    applicability: str = "safe"  # only safe fixes are ever applied automatically


@dataclass(frozen=True, slots=True)
class Finding:
    """A kind's raw result: where, which message variant, and the values to fill it with."""

    span: Span
    args: dict[str, Any] = field(default_factory=dict)
    variant: str = "message"
    help: str | None = None  # a help variant of the rule, filled with the same args
    fix: Fix | None = None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    name: str
    severity: str
    message: str
    span: Span
    help: str | None = None
    fix: Fix | None = None
