"""`dlint check`: find the files, run them, apply fixes, print the results, decide the exit code."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from ..words import localise
from .args import MACHINE_FORMATS, _explicit_lang, _lang


class _Options:
    def __init__(self, args: argparse.Namespace, out: IO[str], lang: str = "zh", rules: Any = list) -> None:
        self.no_color = bool(getattr(args, "no_color", False) or os.environ.get("NO_COLOR")
                             or getattr(args, "color", "auto") == "never")
        self.color = getattr(args, "color", "auto")
        self.color_forced = None if out is sys.stdout else False
        self.lang = lang
        self._rules = rules
        self.configs: Any = list  # the configuration files used by the run (None: the defaults)

    @property
    def rules(self) -> Sequence[Any]:
        """The rules of the run (loaded on demand: a run served from the cache may never need them)."""
        return self._rules()


def _format(args: argparse.Namespace, out: IO[str]) -> str:
    """The output format: the one asked for, else the one the place of the output calls for."""
    if args.format:
        return args.format
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "full" if out.isatty() else "concise"


def _cmd_check(args: argparse.Namespace, out: IO[str]) -> int:
    from ..config import Overrides
    from ..runner import Runner, collect, collect_files, default_jobs

    split = lambda s: tuple(x.strip() for x in (s or "").split(",") if x.strip())  # noqa: E731
    overrides = Overrides(config=Path(args.config) if args.config else None, isolated=args.isolated,
                          select=split(args.select) or None if args.select is not None else None,
                          ignore=split(args.ignore), extend_select=split(args.extend_select), year=args.year,
                          agency=args.agency, lang=_explicit_lang(args), fail_on=args.fail_on,
                          time_limit=args.time_limit,
                          exclude=split(args.exclude) if args.exclude is not None else None,
                          extend_exclude=split(args.extend_exclude),
                          rules_files=tuple(Path(p) for p in args.rules_file))
    cache_dir = None if args.no_cache or args.fix or args.diff else _cache_dir(args)
    if args.paths == ["-"]:
        return _check_stdin(args, overrides, out)
    if "-" in args.paths:
        print("dlint: 错误：`-`（标准输入）只能单独检查" if _lang(args) == "zh"
              else "dlint: error: `-` (standard input) is checked alone", file=sys.stderr)
        return 2
    scope = overrides.settings_for(Path(args.paths[0]))  # whose exclusions apply to the folders named
    found = collect_files(args.paths, scope.exclude + scope.extend_exclude, not args.no_respect_gitignore)
    files = found.files
    if args.annotate:  # the marked copies of an earlier run are not reports
        from .handback import outside

        files = outside(files, Path(args.annotate))
    if args.show_files:
        for _path, display in files:
            out.write(display + "\n")
        return 0
    if not files:
        print("dlint: 错误：没有找到报告文件" if _lang(args) == "zh" else "dlint: error: no report files found",
              file=sys.stderr)
        return 2
    if cache_dir is not None:  # the title pre-pass below may read a scan's first page: kept for the check
        from ..cache import Cache
        from ..extract import keep_readings_in

        keep_readings_in(Cache(cache_dir))
    runner = Runner(overrides, cache_dir)
    jobs = args.jobs if args.jobs and args.jobs > 0 else default_jobs()
    if args.previous or len(files) > 1:  # last year's reports: given, or among the files checked
        from ..runner import index_reports

        runner.use_peers(index_reports(collect(args.previous) + files if args.previous else files, jobs,
                                       meanwhile=lambda: runner.warm(files[0][0])))
    runner.keep_sources = bool(args.fix or args.diff)
    from ..output import READ_LINES

    # the findings' lines travel from the workers and stay with the results only for what shows them
    runner.keep_lines = (_format(args, out) in READ_LINES
                         or bool(args.baseline or args.write_baseline or args.annotate))
    if args.aggregates:
        from ..runner import load_aggregates

        runner.aggregates = load_aggregates(Path(args.aggregates))
    first = runner.settings(files[0][0])
    if args.show_settings:
        import json

        runner.engine(first)  # validates the selectors
        shown = first.as_dict()
        if shown["similarity-threshold"] is None:  # the effective value: the rule's own threshold
            rule = runner.engine(first).rule("DL603")
            shown["similarity-threshold"] = float(rule.params.get("threshold", 0.5)) if rule else 0.5
        json.dump({"file": files[0][1], **shown}, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    lang = first.lang  # the command line's language, else the configuration's
    stream = runner.run(files, jobs)
    if args.fix or args.diff:
        stream = _fix(args, runner, dict((d, p) for p, d in files), stream, out)
    if args.annotate:
        from .handback import annotating

        stream = annotating(stream, dict((d, p) for p, d in files), Path(args.annotate), lang)
    if args.diff:
        changed = sum(1 for _ in stream)
        return 1 if changed else 0
    return _emit(args, out, stream, lang, lambda: runner.engine(first).rules, len(files), found.skipped)


def _emit(args: argparse.Namespace, out: IO[str], stream: Any, lang: str, rules: Any, count: int,
          skipped: Any) -> int:
    """The results of a run, whatever their source (files or standard input): baseline, output format,
    summary, exit code."""
    fmt = _format(args, out)
    tally = _Tally()
    tally.skipped = skipped
    baseline = None
    if args.baseline:
        from ..baseline import load_baseline

        baseline = load_baseline(Path(args.baseline))
    results = tally.wrap(stream, baseline)
    if sys.stderr.isatty() and fmt not in MACHINE_FORMATS and count >= 20 and not args.quiet:
        results = _progress(results, count)
    if args.write_baseline:
        from ..baseline import write_baseline

        n = write_baseline(results, Path(args.write_baseline))
        print(f"dlint: wrote {n} finding(s) of {tally.files} file(s) to {args.write_baseline}" if lang == "en"
              else f"dlint: 已将{tally.files}个文件的{n}个问题记入基线 {args.write_baseline}", file=sys.stderr)
        return 2 if tally.errors else 0
    options = _Options(args, out, lang, rules)
    options.configs = lambda: [c or None for c in tally.configs]
    if args.statistics and fmt not in MACHINE_FORMATS:
        for _ in results:
            pass
        _statistics(tally, out)
    else:
        _writer(fmt).write(results, out, options)
    if args.output_file and not args.quiet:  # the report went to a file: say where, and the tally
        wrote = (f"dlint: wrote {tally.files} file(s)' findings to {args.output_file}" if lang == "en"
                 else f"dlint: 已将{tally.files}个文件的检查结果写入 {args.output_file}")
        print(wrote, file=sys.stderr)
        _summary(tally, sys.stderr, lang)
    elif fmt not in MACHINE_FORMATS and not args.quiet:
        _summary(tally, out, lang, batch=out.isatty() and tally.files > 1)
    elif tally.fixed_since or tally.hidden:
        print(f"dlint: {tally.hidden} finding(s) hidden by the baseline, {tally.fixed_since} fixed now"
              if lang == "en" else f"dlint: 基线隐藏了{tally.hidden}个问题，{tally.fixed_since}个已修正", file=sys.stderr)
    for message in tally.errors:
        print(f"dlint: 错误：{localise(message, lang)}" if lang == "zh" else f"dlint: error: {message}", file=sys.stderr)
    if tally.errors:
        return 2
    if args.exit_zero:
        return 0
    return 1 if tally.failed else 0


def _cache_dir(args: argparse.Namespace) -> Path:
    from ..cache import default_dir

    return Path(args.cache_dir) if args.cache_dir else default_dir()


def _check_stdin(args: argparse.Namespace, overrides: Any, out: IO[str]) -> int:
    """`dlint check - --stdin-filename NAME`: the report on standard input, named NAME (as ruff does)."""
    from ..api import FileResult, check_source
    from ..extract import reader_for
    from ..runner import Runner
    from ..source import SourceError, byte_limit, source_from_bytes

    if args.fix or args.diff or args.write_baseline:
        print("dlint: 错误：--fix、--diff 和 --write-baseline 需要文件，不能用于标准输入" if _lang(args) == "zh"
              else "dlint: error: --fix, --diff and --write-baseline need files, not standard input", file=sys.stderr)
        return 2
    name = args.stdin_filename or "-"
    runner = Runner(overrides, None)
    where = Path(args.stdin_filename) if args.stdin_filename else Path.cwd() / "stdin.txt"
    settings = runner.settings(where)
    ctx = runner.context(settings)
    engine = runner.engine(settings)
    reader = reader_for(where)
    limit = byte_limit(reader)
    data = sys.stdin.buffer.read(limit + 1)
    try:
        if len(data) > limit:
            raise SourceError("DL002", size=len(data), limit=limit)
        result = check_source(source_from_bytes(data, name, reader), engine, ctx)
    except SourceError as exc:
        result = FileResult(name, None, None, engine.input_error(exc.code, exc.args_, ctx.lang))
    return _emit(args, out, iter([(result, settings)]), settings.lang, lambda: engine.rules, 1, {})


class _Tally:
    """Counts kept while results stream past: the summary, statistics and the exit code need no more."""

    def __init__(self) -> None:
        from collections import Counter

        self.files = 0
        self.failed = False
        self.severity: Counter[str] = Counter()
        self.rules: Counter[tuple[str, str, str, bool]] = Counter()
        self.report_errors: Counter[str] = Counter()
        self.fixable = 0
        self.fixed_since = 0
        self.hidden = 0  # findings the baseline knew, not shown
        self.skipped: Any = {}  # files passed over in the folders, by reason
        self.verdicts: Counter[str] = Counter()  # fail / pass / unchecked, a report each
        self.errors: list[str] = []
        self.configs: dict[str, None] = {}  # the configuration files used, in the order first met

    def wrap(self, stream: Any, baseline: Any) -> Any:
        from ..runner import fails
        from ..verdict import verdict

        for result, settings in stream:
            if baseline is not None:
                from ..baseline import apply_baseline

                hidden, fixed = apply_baseline([result], baseline)
                self.hidden += hidden
                self.fixed_since += fixed
            self.files += 1
            self.verdicts[verdict(result)] += 1
            self.configs.setdefault(str(settings.path) if settings.path else "", None)
            self.failed = self.failed or fails(result, settings)
            self.errors.extend(f"{result.path}: {e}" for e in result.errors)
            for d in result.diagnostics:
                self.severity[d.severity] += 1
                self.rules[(d.code, d.name, d.severity, d.fix is not None)] += 1
                self.fixable += d.fix is not None
                if d.severity == "error":
                    self.report_errors[result.path] += 1
            yield result


def _progress(results: Any, total: int) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("dlint"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("check", total=total)
        for r in results:
            bar.advance(task)
            yield r


def _fix(args: argparse.Namespace, runner: Any, paths: dict[str, Path], stream: Any, out: IO[str]) -> Any:
    """--diff: print each diff, yield the files that would change. --fix: write, check again, yield results."""
    from ..fixes import fix_file

    # the checked tree: the folders named, and the folders of the files named (a link out of it is not followed)
    roots = tuple(Path(os.path.abspath(p)) if os.path.isdir(p) else Path(os.path.abspath(p)).parent for p in args.paths)
    for result, settings in stream:
        path = paths[result.path]
        if result.source is None or not any(d.fix for d in result.diagnostics):
            if not args.diff:
                yield result, settings
            continue
        outcome = fix_file(result, path, write=not args.diff, force=args.force_fix, roots=roots)
        if outcome.error:
            print(f"dlint: {result.path}: {localise(outcome.error, _lang(args))}", file=sys.stderr)
            if outcome.error.startswith(("cannot write", "cannot read")):
                result.errors.append(f"--fix failed: {outcome.error}")  # exit 2: the fix was asked and not done
        if args.diff:
            if outcome.changed and not outcome.error:
                out.write(outcome.diff())
                yield result.path
            continue
        if outcome.changed and not outcome.error:
            print(f"dlint: {result.path}: fixed {outcome.applied} finding(s)" if _lang(args) == "en"
                  else f"dlint: {result.path}: 已修复{outcome.applied}个问题", file=sys.stderr)
            result, settings = runner.check(path, result.path)
        yield result, settings


def _statistics(tally: Any, out: IO[str]) -> None:
    for (code, name, severity, fixable), n in sorted(tally.rules.items(), key=lambda kv: (-kv[1], kv[0])):
        out.write(f"{n:>5}  {code}  {'[*] ' if fixable else '    '}{name:<32} {severity}\n")


def _summary(tally: Any, out: IO[str], lang: str, batch: bool = False) -> None:
    counts = tally.severity
    en = lang == "en"
    if en:
        line = (f"Checked {tally.files} file(s): {counts['error']} error(s), {counts['warning']} warning(s), "
                f"{counts['info']} info.")
        if tally.fixable:
            line += f" {tally.fixable} fixable with --fix."
        if tally.hidden:
            line += f" {tally.hidden} finding(s) hidden by the baseline."
        if tally.fixed_since:
            line += f" {tally.fixed_since} baseline finding(s) are fixed now."
    else:
        line = f"检查了{tally.files}个文件：错误{counts['error']}个，警告{counts['warning']}个，提示{counts['info']}个。"
        if tally.fixable:
            line += f"其中{tally.fixable}个可用 --fix 自动修复。"
        if tally.hidden:
            line += f"基线中已记录的{tally.hidden}个问题未显示。"
        if tally.fixed_since:
            line += f"基线中有{tally.fixed_since}个问题已经修正。"
    if tally.files > 1:  # a supervisor's question first: how many reports pass, fail, cannot be checked
        v = tally.verdicts
        line += (f" Reports: {v['fail']} fail, {v['pass']} pass, {v['unchecked']} not checkable." if en
                 else f"报告：不合格{v['fail']}份，合格{v['pass']}份，无法核对{v['unchecked']}份。")
    if tally.skipped:  # files found in the folders and passed over: say how many and why
        reasons = {"not a report (README, LICENSE …)": "非报告文件（README、LICENSE等）", "ignored by git": "被.gitignore忽略",
                   "excluded": "按exclude排除"}
        parts = [f"{n} {why}" if en else f"{reasons.get(why, why)}{n}个" for why, n in sorted(tally.skipped.items())]
        line += (f"\nSkipped: {', '.join(parts)}." if en else f"\n跳过：{'，'.join(parts)}。")
    used = [c for c in tally.configs if c]
    if used:  # a configuration changes what is checked: say which one (a parent folder's may apply)
        line += (f"\nConfiguration: {', '.join(used)}" if en else f"\n使用的配置：{'、'.join(used)}")
    if batch and tally.rules:
        from collections import Counter

        per_rule: Counter[str] = Counter()
        for (code, name, _sev, _fx), n in tally.rules.items():
            per_rule[f"{code} {name}"] += n
        head = "Most frequent rules" if en else "最常见的问题"
        line = f"{head}:\n" + "".join(f"  {n:>5}  {k}\n" for k, n in per_rule.most_common(5)) + line
        if tally.report_errors:
            head = "Reports with most errors" if en else "错误最多的报告"
            line = (f"{head}:\n" + "".join(f"  {n:>5}  {p}\n" for p, n in tally.report_errors.most_common(5))
                    + line)
    out.write(line + "\n")


def _writer(fmt: str) -> Any:
    import importlib

    from ..output import module_name

    return importlib.import_module(f"disclosure_lint.output.{module_name(fmt)}")
