"""A check run over many files: settings per file (nearest configuration), one engine per distinct
rule selection, per-file ignores. The CLI and the batch tools share it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .api import FileResult, check_path
from .config import Overrides, Settings
from .engine import Context, Engine, matches

REPORT_SUFFIXES = (".txt", ".md")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def collect(paths: list[str]) -> list[tuple[Path, str]]:
    """Files named, and report files under folders named (sorted, hidden folders skipped)."""
    found: list[tuple[Path, str]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.suffix.lower() in REPORT_SUFFIXES and f.is_file()
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            found.extend((f, str(f)) for f in files)
        else:
            found.append((p, raw))
    return found


class Runner:
    def __init__(self, overrides: Overrides, lang: str | None = None) -> None:
        self.overrides = overrides
        self.lang = lang
        self._engines: dict[tuple[Any, ...], Engine] = {}

    def engine(self, settings: Settings) -> Engine:
        key = settings.engine_key()
        if key not in self._engines:
            self._engines[key] = Engine(settings.rules_files, settings.select, settings.ignore,
                                        extend_select=settings.extend_select, severity=settings.severity,
                                        origin=str(settings.path) if settings.path else "")
        return self._engines[key]

    def settings(self, path: Path) -> Settings:
        return self.overrides.settings_for(path)

    def context(self, settings: Settings) -> Context:
        return Context(lang=self.lang or settings.lang, year=settings.year, agency=settings.agency)

    def check(self, path: Path, display: str) -> tuple[FileResult, Settings]:
        settings = self.settings(path)
        engine = self.engine(settings)
        result = check_path(path, engine, self.context(settings), display)
        ignored = settings.ignored_for(str(path))
        if ignored:
            for selector in ignored:
                engine.check_selector(selector, f"{settings.path}: per-file-ignores: ")
            result.diagnostics = [d for d in result.diagnostics if not any(matches(d.code, d.name, s) for s in ignored)]
        return result, settings


def fails(result: FileResult, settings: Settings) -> bool:
    floor = SEVERITY_RANK[settings.fail_on]
    return any(SEVERITY_RANK[d.severity] >= floor for d in result.diagnostics)
