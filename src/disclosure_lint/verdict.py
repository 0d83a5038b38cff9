"""A report's verdict for supervisors: 不合格 (fail), 合格 (pass), or 无法核对 (cannot be checked).

A report whose statistical tables are missing, published as images or unreadable cannot be found
compliant: its arithmetic was never checked. It gets its own verdict instead of passing silently.
"""

from __future__ import annotations

from typing import Any

# Findings that mean the tables (or the whole file) could not be checked.
UNCHECKED = {"DL001", "DL002", "DL003", "DL004", "DL005", "DL006", "DL007", "DL008", "DL209", "DL208"}
LABELS = {"zh": {"fail": "不合格", "pass": "合格", "unchecked": "无法核对"},
          "en": {"fail": "fail", "pass": "pass", "unchecked": "not checkable"}}


def verdict(result: Any) -> str:
    """fail: an error the report itself is at fault for; unchecked: its tables (or the file) could not be
    read, and nothing else is wrong; pass: otherwise."""
    if any(d.severity == "error" and d.code not in UNCHECKED for d in result.diagnostics):
        return "fail"
    if any(d.code in UNCHECKED for d in result.diagnostics):
        return "unchecked"
    return "pass"


def label(v: str, lang: str) -> str:
    return LABELS["en" if lang == "en" else "zh"][v]
