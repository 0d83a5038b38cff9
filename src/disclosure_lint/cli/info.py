"""The commands that explain: rules, rule, parse, extract; and clean (the cache)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import IO

from ..words import localise
from .args import _lang
from .check import _cache_dir


def _cmd_rules(args: argparse.Namespace, out: IO[str]) -> int:
    from ..engine import Engine

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
    from ..engine import Engine

    engine = Engine()
    rule = engine.rule(args.code)
    if rule is None:
        print(f"dlint: 错误：没有规则 {args.code!r}（见 dlint rules）" if _lang(args) == "zh"
              else f"dlint: error: no rule {args.code!r} (see `dlint rules`)", file=sys.stderr)
        return 2
    lang = _lang(args)
    if args.format == "json":
        import json

        json.dump({"code": rule.code, "name": rule.name, "severity": rule.severity, "kind": rule.kind,
                   "summary": rule.summary, "why": rule.why, "help": rule.helps.get("message", {}),
                   "examples": rule.examples}, out,
                  ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    from ..examples import shown

    head = {"zh": ("检查什么", "为什么", "怎么改", "不合格的例子", "合格的例子", "严重程度"),
            "en": ("What it checks", "Why", "How to fix", "Failing example", "Passing example", "Severity")}[lang]
    out.write(f"# {rule.code} {rule.name}\n\n")
    out.write(f"## {head[0]}\n{rule.summary[lang]}\n\n## {head[1]}\n{rule.why[lang]}\n\n")
    fix = rule.helps.get("message", {}).get(lang)
    if fix:
        out.write(f"## {head[2]}\n{fix}\n\n")
    out.write(f"## {head[5]}\n{rule.severity}\n\n")
    for title, key in ((head[3], "fail"), (head[4], "pass")):
        for example in rule.examples.get(key, [])[:1]:
            out.write(f"## {title}\n```\n{shown(example).rstrip()}\n```\n\n")
    return 0


def _cmd_parse(args: argparse.Namespace, out: IO[str]) -> int:
    from ..build import build
    from ..modeljson import report_dict
    from ..source import SourceError, read_source

    try:
        source = read_source(args.path)
    except SourceError as exc:
        print(f"dlint: 错误：{args.path}：无法读取（{exc.code}）" if _lang(args) == "zh"
              else f"dlint: error: {args.path}: cannot read ({exc.code})", file=sys.stderr)
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


def _cmd_extract(args: argparse.Namespace, out: IO[str]) -> int:
    from ..source import SourceError, read_source

    if not args.no_cache:  # a scan's pages read by `dlint check` are not read again, nor these by it
        from ..cache import Cache
        from ..extract import keep_readings_in

        keep_readings_in(Cache(_cache_dir(args)))

    target = Path(args.output) if args.output else None
    several = len(args.files) > 1
    if several and target is not None:
        target.mkdir(parents=True, exist_ok=True)
    status = 0
    for name in args.files:
        try:
            text = read_source(name).text
        except SourceError as exc:
            reason = exc.args_.get("reason") or (f"pip install 'disclosure-lint[{exc.args_['extra']}]'"
                                                 if exc.code == "DL006" else exc.code)
            print(f"dlint: {name}：无法提取文本（{localise(str(reason), _lang(args))}）" if _lang(args) == "zh"
                  else f"dlint: {name}: cannot extract ({reason})", file=sys.stderr)
            status = 1
            continue
        if target is None:
            if several:
                out.write(f"==> {name} <==\n")
            out.write(text if text.endswith("\n") else text + "\n")
        else:
            dest = target / (Path(name).stem + ".txt") if several else target
            dest.write_text(text, encoding="utf-8")
    return status


def _cmd_clean(args: argparse.Namespace, out: IO[str]) -> int:
    from ..cache import clean

    root = _cache_dir(args)
    _done, what = clean(root)
    print(f"dlint: {root}: {localise(what, _lang(args))}", file=sys.stderr)
    return 0
