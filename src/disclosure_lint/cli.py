"""The `dlint` command: check, rules, rule, parse. Exit codes: 0 clean, 1 findings, 2 usage/config/internal."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from . import __version__

REPORT_SUFFIXES = (".txt", ".md")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def _lang(args: argparse.Namespace) -> str:
    lang = args.lang or os.environ.get("DLINT_LANG", "zh")
    return "en" if lang.lower().startswith("en") else "zh"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dlint", description="政府信息公开工作年度报告合规检查 / compliance linter "
                                "for government information-disclosure annual reports")
    p.add_argument("--version", action="version", version=f"dlint {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp: argparse.ArgumentParser, formats: Sequence[str]) -> None:
        sp.add_argument("--output-format", "--format", dest="format", choices=formats, default=None,
                        help="output format")
        sp.add_argument("--lang", choices=("zh", "en"), default=None, help="message language (or DLINT_LANG)")
        sp.add_argument("-o", "--output-file", default=None, help="write the output to this file")

    c = sub.add_parser("check", help="check reports (files or directories)")
    c.add_argument("paths", nargs="+", help="report files, or directories searched for *.txt and *.md")
    common(c, ("full", "concise", "json"))
    c.add_argument("--select", default="ALL", help="comma-separated codes, prefixes (DL2) or names to run")
    c.add_argument("--ignore", default="", help="comma-separated codes, prefixes or names to skip")
    c.add_argument("--rules-file", action="append", default=[], help="an extra YAML rule file")
    c.add_argument("--year", type=int, default=None, help="the reporting year, overriding the title's")
    c.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    c.add_argument("--quiet", "-q", action="store_true", help="print findings only, no summary")
    c.add_argument("--no-color", action="store_true", help="no colours (NO_COLOR is respected too)")

    r = sub.add_parser("rules", help="list all rules")
    common(r, ("full", "json"))
    one = sub.add_parser("rule", help="explain one rule")
    one.add_argument("code", help="rule code or name, e.g. DL201 or requests-balance")
    common(one, ("full", "json"))

    pa = sub.add_parser("parse", help="show what dlint understood of a report")
    pa.add_argument("path")
    common(pa, ("json", "full"))
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code in (0, None) else 2
    from .yamlload import ConfigError

    out: IO[str] = sys.stdout
    handle = None
    try:
        if getattr(args, "output_file", None):
            handle = open(args.output_file, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
            out = handle
        return _COMMANDS[args.command](args, out)
    except ConfigError as exc:
        print(f"dlint: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"dlint: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("dlint: interrupted", file=sys.stderr)
        return 130
    finally:
        if handle:
            handle.close()


def _collect(paths: Sequence[str]) -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.suffix.lower() in REPORT_SUFFIXES and f.is_file())
            found.extend((f, str(f)) for f in files)
        else:
            found.append((p, raw))
    return found


class _Options:
    def __init__(self, args: argparse.Namespace, out: IO[str]) -> None:
        self.no_color = bool(getattr(args, "no_color", False) or os.environ.get("NO_COLOR"))
        self.color_forced = None if out is sys.stdout else False


def _cmd_check(args: argparse.Namespace, out: IO[str]) -> int:
    from .api import check_path
    from .engine import Context, Engine

    split = lambda s: [x.strip() for x in s.split(",") if x.strip()]  # noqa: E731
    engine = Engine(args.rules_file, split(args.select) or ["ALL"], split(args.ignore))
    ctx = Context(lang=_lang(args), year=args.year)
    files = _collect(args.paths)
    if not files:
        print("dlint: error: no report files found", file=sys.stderr)
        return 2
    results = [check_path(path, engine, ctx, display) for path, display in files]
    fmt = args.format or ("full" if out.isatty() else "concise")
    _writer(fmt).write(results, out, _Options(args, out))
    diagnostics = [d for r in results for d in r.diagnostics]
    if fmt != "json" and not args.quiet:
        _summary(results, diagnostics, out, ctx.lang)
    if args.exit_zero:
        return 0
    return 1 if any(d.severity == "error" for d in diagnostics) else 0


def _summary(results: list[Any], diagnostics: list[Any], out: IO[str], lang: str) -> None:
    counts = {s: sum(1 for d in diagnostics if d.severity == s) for s in ("error", "warning", "info")}
    fixable = sum(1 for d in diagnostics if d.fix)
    if lang == "en":
        line = (f"Checked {len(results)} file(s): {counts['error']} error(s), {counts['warning']} warning(s), "
                f"{counts['info']} info.")
        if fixable:
            line += f" {fixable} fixable with --fix."
    else:
        line = f"检查了{len(results)}个文件：错误{counts['error']}个，警告{counts['warning']}个，提示{counts['info']}个。"
        if fixable:
            line += f"其中{fixable}个可用 --fix 自动修复。"
    out.write(line + "\n")


def _writer(fmt: str) -> Any:
    import importlib

    return importlib.import_module(f"{__package__}.output.{fmt}")


def _cmd_rules(args: argparse.Namespace, out: IO[str]) -> int:
    from .engine import Engine

    engine = Engine()
    lang = _lang(args)
    if args.format == "json":
        import json

        json.dump([{"code": r.code, "name": r.name, "severity": r.severity, "kind": r.kind,
                    "summary": r.summary[lang]} for r in engine.all_rules], out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    for r in engine.all_rules:
        out.write(f"{r.code}  {r.name:<28} {r.severity:<8} {r.summary[lang]}\n")
    return 0


def _cmd_rule(args: argparse.Namespace, out: IO[str]) -> int:
    from .engine import Engine

    engine = Engine()
    rule = engine.rule(args.code)
    if rule is None:
        print(f"dlint: error: no rule {args.code!r} (see `dlint rules`)", file=sys.stderr)
        return 2
    lang = _lang(args)
    if args.format == "json":
        import json

        json.dump({"code": rule.code, "name": rule.name, "severity": rule.severity, "kind": rule.kind,
                   "summary": rule.summary, "why": rule.why, "examples": rule.examples}, out,
                  ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    head = {"zh": ("检查什么", "为什么", "不合格的例子", "合格的例子", "严重程度"),
            "en": ("What it checks", "Why", "Failing example", "Passing example", "Severity")}[lang]
    out.write(f"# {rule.code} {rule.name}\n\n")
    out.write(f"## {head[0]}\n{rule.summary[lang]}\n\n## {head[1]}\n{rule.why[lang]}\n\n")
    out.write(f"## {head[4]}\n{rule.severity}\n\n")
    for title, key in ((head[2], "fail"), (head[3], "pass")):
        for example in rule.examples.get(key, [])[:1]:
            out.write(f"## {title}\n```\n{example.rstrip()}\n```\n\n")
    return 0


def _cmd_parse(args: argparse.Namespace, out: IO[str]) -> int:
    from .build import build
    from .modeljson import report_dict
    from .source import SourceError, read_source

    try:
        source = read_source(args.path)
    except SourceError as exc:
        print(f"dlint: error: {args.path}: cannot read ({exc.code})", file=sys.stderr)
        return 2
    data = report_dict(build(source))
    import json

    if args.format == "full":
        for tid, table in data["tables"].items():
            out.write(f"{tid}:\n")
            for row in table["rows"]:
                out.write(f"  {row['id']:<4} line {row['line']:<4} {row['cells']}  {row['label']}\n")
        return 0
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return 0


_COMMANDS = {"check": _cmd_check, "rules": _cmd_rules, "rule": _cmd_rule, "parse": _cmd_parse}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
