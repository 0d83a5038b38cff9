"""Plain entry points: check a path or a text, get plain results (used by the CLI and by scripts)."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic
from .engine import Context, Engine
from .model import Report
from .source import Excerpt, Source, SourceError, decode, read_source


@dataclass
class FileResult:
    """One file's outcome: plain data (picklable), the model kept only until `light()` drops it."""

    path: str
    source: Source | None
    report: Report | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    template: str | None = None
    year: int | None = None
    agency: str | None = None
    errors: list[str] = field(default_factory=list)  # internal errors: rules that crashed

    def position(self, offset: int) -> tuple[int, int]:
        return self.source.position(offset) if self.source else (1, 1)

    def light(self, keep_source: bool = False, keep_lines: bool = True) -> FileResult:
        """Without the model, and of the source only what the outputs show (unless a fix needs it whole):
        what a worker sends back and what a batch keeps. `keep_lines`: the text of the findings' lines, for
        the outputs that print them."""
        source: Any = self.source
        if not keep_source and isinstance(source, Source):
            offsets = {o for d in self.diagnostics for o in (d.span.start, d.span.end)}
            source = Excerpt.of(source, offsets, keep_lines)
        # every field, made directly: dataclasses.replace reads the fields anew at each call
        return FileResult(self.path, source, None, self.diagnostics, self.template, self.year, self.agency, self.errors)


def check_source(source: Source, engine: Engine, ctx: Context, report: Report | None = None) -> FileResult:
    """Check one source; `report` is its model when one was built already."""
    from .build import build

    errors: list[str] = []
    # One report's objects are short-lived and acyclic: the cyclic collector would only walk the
    # growing heap again and again (time superlinear in the report's size), so it waits till the end.
    paused = gc.isenabled()
    gc.disable()
    try:
        try:
            report = report or build(source)
        except Exception as exc:  # noqa: BLE001 - a parser bug is an internal error, not a crash of the batch
            return FileResult(source.path, source, None, [],
                              errors=[f"internal error while parsing: {type(exc).__name__}: {exc}"])
        diagnostics = engine.check(report, ctx, errors)
    finally:
        if paused:
            gc.enable()
    return FileResult(source.path, source, report, diagnostics, report.template, ctx.year_of(report),
                      ctx.agency_of(report), errors)


def check_path(path: str | Path, engine: Engine, ctx: Context, display: str | None = None) -> FileResult:
    name = display if display is not None else str(path)
    try:
        source = read_source(path, name)
    except SourceError as exc:
        return FileResult(name, None, None, engine.input_error(exc.code, exc.args_, ctx.lang))
    return check_source(source, engine, ctx)


def check_bytes(data: bytes, engine: Engine, ctx: Context, path: str = "<bytes>") -> FileResult:
    try:
        source = decode(data, path)
    except SourceError as exc:
        return FileResult(path, None, None, engine.input_error(exc.code, exc.args_, ctx.lang))
    return check_source(source, engine, ctx)


def check_text(text: str, engine: Engine | None = None, ctx: Context | None = None,
               path: str = "<text>") -> FileResult:
    return check_source(Source.from_text(text, path), engine or Engine(), ctx or Context())


# -- plain data, for scripts and clusters -------------------------------------------------------------

_ENGINES: dict[tuple[Any, ...], Engine] = {}


def _engine(select: tuple[str, ...], ignore: tuple[str, ...]) -> Engine:
    key = (tuple(select), tuple(ignore))
    if key not in _ENGINES:
        _ENGINES[key] = Engine(select=key[0], ignore=key[1])
    return _ENGINES[key]


def lint_path(path: str | Path, *, select: tuple[str, ...] = ("ALL",), ignore: tuple[str, ...] = (),
              lang: str = "zh", year: int | None = None) -> dict[str, Any]:
    """Check one file and return plain, picklable data: the `files[]` entry of `--output-format json`.

    Picklable in and out, with the engine built once per process: what a Dask or multiprocessing
    worker calls (see `disclosure_lint.contrib.dask_batch`)."""
    from .output.json import file_dict

    return file_dict(check_path(path, _engine(select, ignore), Context(lang=lang, year=year)))


def lint_text(text: str, path: str = "<text>", *, select: tuple[str, ...] = ("ALL",), ignore: tuple[str, ...] = (),
              lang: str = "zh", year: int | None = None) -> dict[str, Any]:
    """As `lint_path`, for text already in memory."""
    from .output.json import file_dict

    return file_dict(check_text(text, _engine(select, ignore), Context(lang=lang, year=year), path))
