"""pluggy hook specifications. Built-in kinds are plugins exactly like third-party ones."""

from __future__ import annotations

from pathlib import Path

import pluggy

PROJECT = "dlint"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def dlint_kinds() -> dict[str, type]:
    """Rule kinds this plugin provides: kind name -> class with `check(report, rule, ctx)`."""


@hookspec
def dlint_rule_files() -> list[Path]:
    """Extra YAML rule files this plugin ships (rules instantiating any registered kind)."""
