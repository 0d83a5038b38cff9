"""The `dlint` command: check, rules, rule, parse. Exit codes: 0 clean, 1 findings, 2 usage/config/internal."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from . import __version__
from .output import FORMATS

MACHINE_FORMATS = ("json", "json-lines", "sarif", "github", "junit", "gitlab")


def _lang(args: argparse.Namespace, default: str = "zh") -> str:
    lang = args.lang or os.environ.get("DLINT_LANG") or default
    return "en" if lang.lower().startswith("en") else "zh"


def _explicit_lang(args: argparse.Namespace) -> str | None:
    """The language asked for on the command line or in DLINT_LANG (the configuration comes after)."""
    return _lang(args) if (args.lang or os.environ.get("DLINT_LANG")) else None


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
    common(c, FORMATS)
    c.add_argument("--select", default=None, help="comma-separated codes, prefixes (DL2), names or ALL to run")
    c.add_argument("--extend-select", default="", help="codes, prefixes or names to add to the selection")
    c.add_argument("--ignore", default="", help="comma-separated codes, prefixes or names to skip")
    c.add_argument("--rules-file", action="append", default=[], help="an extra YAML rule file")
    c.add_argument("--config", default=None, help="use this .dlint.yaml or pyproject.toml for every file")
    c.add_argument("--isolated", action="store_true", help="ignore all configuration files")
    c.add_argument("--show-settings", action="store_true", help="print the settings used for the first file")
    c.add_argument("--year", type=int, default=None, help="the reporting year, overriding the title's")
    c.add_argument("--agency", default=None, help="the agency's name, overriding the title's")
    c.add_argument("--fail-on", choices=("error", "warning", "info"), default=None,
                   help="the lowest severity that makes the exit code 1 (default: error)")
    c.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    c.add_argument("--fix", action="store_true", help="apply safe fixes (spaces inside Chinese text) in place")
    c.add_argument("--diff", action="store_true", help="show the safe fixes as a diff, write nothing")
    c.add_argument("--baseline", default=None, help="report only findings not recorded in this baseline file")
    c.add_argument("--write-baseline", default=None, help="record today's findings in this file and exit 0")
    c.add_argument("--statistics", action="store_true", help="print the count per rule instead of each finding")
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
    except BrokenPipeError:  # `dlint check … | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print("dlint: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"dlint: error: {exc}", file=sys.stderr)
        return 2
    finally:
        if handle:
            handle.close()


class _Options:
    def __init__(self, args: argparse.Namespace, out: IO[str], lang: str = "zh", rules: Sequence[Any] = ()) -> None:
        self.no_color = bool(getattr(args, "no_color", False) or os.environ.get("NO_COLOR"))
        self.color_forced = None if out is sys.stdout else False
        self.lang = lang
        self.rules = rules


def _default_format(out: IO[str]) -> str:
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "full" if out.isatty() else "concise"


def _cmd_check(args: argparse.Namespace, out: IO[str]) -> int:
    from .config import Overrides
    from .runner import Runner, collect, fails

    split = lambda s: tuple(x.strip() for x in (s or "").split(",") if x.strip())  # noqa: E731
    overrides = Overrides(config=Path(args.config) if args.config else None, isolated=args.isolated,
                          select=split(args.select) or None if args.select is not None else None,
                          ignore=split(args.ignore), extend_select=split(args.extend_select), year=args.year,
                          agency=args.agency, lang=_explicit_lang(args), fail_on=args.fail_on,
                          rules_files=tuple(Path(p) for p in args.rules_file))
    runner = Runner(overrides, _explicit_lang(args))
    files = collect(args.paths)
    if not files:
        print("dlint: error: no report files found", file=sys.stderr)
        return 2
    if args.show_settings:
        import json

        settings = runner.settings(files[0][0])
        runner.engine(settings)  # validates the selectors
        json.dump({"file": files[0][1], **settings.as_dict()}, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    checked = [runner.check(path, display) for path, display in files]
    if args.fix or args.diff:
        checked = _fix(args, runner, files, checked, out)
        if args.diff:
            return 1 if checked else 0
    results = [r for r, _ in checked]
    lang = runner.lang or (checked[0][1].lang if checked else "zh")
    if args.write_baseline:
        from .baseline import write_baseline

        n = write_baseline(results, Path(args.write_baseline))
        print(f"dlint: wrote {n} finding(s) of {len(results)} file(s) to {args.write_baseline}", file=sys.stderr)
        return 0
    fixed_since = None
    if args.baseline:
        from .baseline import apply_baseline, load_baseline

        _, fixed_since = apply_baseline(results, load_baseline(Path(args.baseline)))
    fmt = args.format or _default_format(out)
    rules = next(iter(runner._engines.values())).rules if runner._engines else []
    options = _Options(args, out, lang, rules)
    if args.statistics and fmt not in MACHINE_FORMATS:
        _statistics(results, out)
    else:
        _writer(fmt).write(results, out, options)
    if fmt not in MACHINE_FORMATS and not args.quiet:
        _summary(results, out, lang, fixed_since)
    elif fixed_since:
        print(f"dlint: {fixed_since} baseline finding(s) are fixed now", file=sys.stderr)
    if args.exit_zero:
        return 0
    return 1 if any(fails(r, s) for r, s in checked) else 0


def _fix(args: argparse.Namespace, runner: Any, files: list[tuple[Path, str]], checked: list[Any],
         out: IO[str]) -> list[Any]:
    """--diff: print the diffs and return the files that would change. --fix: write, then check again."""
    from .fixes import fix_file

    changed = []
    again = []
    for (path, display), (result, settings) in zip(files, checked):
        if result.source is None or not any(d.fix for d in result.diagnostics):
            again.append((result, settings))
            continue
        outcome = fix_file(result, path, write=args.fix and not args.diff)
        if outcome.error:
            print(f"dlint: {display}: {outcome.error}", file=sys.stderr)
        if args.diff:
            if outcome.changed and not outcome.error:
                out.write(outcome.diff())
                changed.append(display)
            continue
        if outcome.changed and not outcome.error:
            print(f"dlint: {display}: fixed {outcome.applied} finding(s)", file=sys.stderr)
            again.append(runner.check(path, display))
        else:
            again.append((result, settings))
    return changed if args.diff else again


def _statistics(results: list[Any], out: IO[str]) -> None:
    from collections import Counter

    counts = Counter((d.code, d.name, d.severity, d.fix is not None) for r in results for d in r.diagnostics)
    for (code, name, severity, fixable), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        out.write(f"{n:>5}  {code}  {'[*] ' if fixable else '    '}{name:<32} {severity}\n")


def _summary(results: list[Any], out: IO[str], lang: str, fixed_since: int | None = None) -> None:
    diagnostics = [d for r in results for d in r.diagnostics]
    counts = {s: sum(1 for d in diagnostics if d.severity == s) for s in ("error", "warning", "info")}
    fixable = sum(1 for d in diagnostics if d.fix)
    if lang == "en":
        line = (f"Checked {len(results)} file(s): {counts['error']} error(s), {counts['warning']} warning(s), "
                f"{counts['info']} info.")
        if fixable:
            line += f" {fixable} fixable with --fix."
        if fixed_since:
            line += f" {fixed_since} baseline finding(s) are fixed now."
    else:
        line = f"检查了{len(results)}个文件：错误{counts['error']}个，警告{counts['warning']}个，提示{counts['info']}个。"
        if fixable:
            line += f"其中{fixable}个可用 --fix 自动修复。"
        if fixed_since:
            line += f"基线中有{fixed_since}个问题已经修正。"
    out.write(line + "\n")


def _writer(fmt: str) -> Any:
    import importlib

    from .output import module_name

    return importlib.import_module(f"{__package__}.output.{module_name(fmt)}")


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
