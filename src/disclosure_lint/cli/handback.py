"""`dlint annotate` and `check --annotate`: each report's findings marked on a copy of the original."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .args import _explicit_lang


def annotating(stream: Any, paths: dict[str, Path], out_dir: Path, lang: str) -> Iterator[Any]:
    """Pass the results on, writing each report's annotated copy on the way."""
    from ..annotate import write_copy

    for result, settings in stream:
        path = paths.get(result.path)
        if path is not None:
            try:
                _target, said = write_copy(path, result, out_dir, lang)
            except (OSError, ValueError) as exc:
                said = ("无法生成批注副本：" if lang == "zh" else "cannot write the marked copy: ") + str(exc)
            print(f"dlint: {result.path}: {said}", file=sys.stderr)
        yield result, settings


def _cmd_annotate(args: argparse.Namespace, out: IO[str]) -> int:
    from ..config import Overrides
    from ..runner import Runner, collect_files

    overrides = Overrides(config=Path(args.config) if args.config else None, isolated=args.isolated,
                          lang=_explicit_lang(args))
    found = collect_files(args.paths, (), True)
    files = outside(found.files, Path(args.output_dir))
    if not files:
        print("dlint: 错误：没有找到报告文件" if (_explicit_lang(args) or "zh") == "zh"
              else "dlint: error: no report files found", file=sys.stderr)
        return 2
    runner = Runner(overrides)
    lang = runner.settings(files[0][0]).lang
    for _ in annotating(runner.run(files, 1), {d: p for p, d in files}, Path(args.output_dir), lang):
        pass
    return 0


def outside(files: list[tuple[Path, str]], out_dir: Path) -> list[tuple[Path, str]]:
    """The files to check, less the marked copies of an earlier run (they are not reports to mark again)."""
    root = out_dir.resolve()
    return [(p, d) for p, d in files if root not in p.resolve().parents]
