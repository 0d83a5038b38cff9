"""Stage 4: the pluggy plugin manager, the rule registry, selection and running."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Finding
from .model import Report, Span
from .rulebook import Rule, _line_of, load_rules
from .template import rules_dir
from .yamlload import ConfigError

_ORDER = attrgetter("span.start", "code", "span.end")  # findings in the text's order: a key made in C

BUILTIN_KINDS = ("structure", "tables", "fees", "years", "prose", "counts", "crossyear", "aggregate", "text", "inputs")


@dataclass
class Context:
    """What a kind may know besides the report: the options of this run and the other rules."""

    lang: str = "zh"
    year: int | None = None  # a configured reporting year overrides the title's
    agency: str | None = None  # a configured agency name overrides the title's
    rules: list[Rule] = field(default_factory=list)
    # the same body's report of the year before, when the run has one (cross-year rules)
    previous: Any = None  # Callable[[Report], tuple[str, Report] | None]
    similarity: float | None = None  # a configured copied-text threshold overrides the rule's
    # the member reports of a declared aggregate: Callable[[Report], list[tuple[str, Report | None]] | None]
    members: Any = None

    def previous_of(self, report: Report) -> tuple[str, Report] | None:
        """(path, model) of last year's report of the same body, or None."""
        return self.previous(report) if self.previous else None

    def members_of(self, report: Report) -> list[tuple[str, Report | None]] | None:
        """(path, model or None when unreadable or missing) of each member, when `report` is a declared
        aggregate; None otherwise."""
        return self.members(report) if self.members else None

    def year_of(self, report: Report) -> int | None:
        return self.year if self.year is not None else report.year

    def agency_of(self, report: Report) -> str | None:
        return self.agency or report.agency


def _plugin_manager(warn: Any) -> Any:
    import importlib

    import pluggy

    from . import hookspecs

    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for name in BUILTIN_KINDS:
        pm.register(importlib.import_module(f"{__package__}.kinds.{name}"), name=f"dlint.{name}")
    for ep in _entry_points("dlint"):
        if pm.get_plugin(ep.name) is not None:
            continue
        try:
            pm.register(ep.load(), name=ep.name)
        except Exception as exc:  # noqa: BLE001 - a broken plugin is reported and skipped
            warn(f"dlint: plugin {ep.name!r} failed to load and was skipped: {exc}")
    pm.check_pending()
    return pm


def _scan_doubts(report: Report, diagnostics: list[Diagnostic], lang: str) -> list[Diagnostic]:
    """A table's arithmetic failing where OCR read one of its numbers with low confidence may be the
    reading's fault, not the report's: such a finding becomes information and says why."""
    doubtful_tables = [t.span for t in report.tables.values()
                       if t and any(t.span.start <= s < t.span.end for s, _e, _c in report.source.doubtful)]
    note = ("（扫描件中该表有识别置信度低的数字，可能是识别误差，请对照原件）" if lang == "zh"
            else " (the scan's table has numbers read with low confidence: this may be a reading error; check the original)")
    out = []
    for d in diagnostics:
        if d.code.startswith("DL2") and d.severity != "info" and any(s.start <= d.span.start < s.end for s in doubtful_tables):
            d = d._replace(severity="info", message=d.message + note)
        out.append(d)
    return out


_PLAIN = frozenset((str, int))
_new = tuple.__new__


def matches(code: str, name: str, selector: str) -> bool:
    """A selector is ALL, a code, a code prefix (DL2) or a kebab name."""
    return selector == "ALL" or code.startswith(selector.upper()) or name == selector


def _entry_points(group: str) -> list[Any]:
    """Installed entry points of `group`. importlib.metadata costs more to import than a whole check of
    a report, so the distributions' entry_points.txt files are looked at first and the real API is
    used only when one of them declares the group."""
    marker = f"[{group}]"
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(entry or ".", name, "entry_points.txt"), encoding="utf-8") as fh:
                        if marker in fh.read():
                            from importlib.metadata import entry_points

                            return list(entry_points(group=group))
                except (OSError, UnicodeDecodeError):
                    continue
    return []


def _matches(rule: Rule, selector: str) -> bool:
    return matches(rule.code, rule.name, selector)


class Engine:
    def __init__(self, extra_rule_files: Iterable[Path] = (), select: Iterable[str] = ("ALL",),
                 ignore: Iterable[str] = (), warn: Any = None, *, extend_select: Iterable[str] = (),
                 severity: Iterable[tuple[str, str]] = (), origin: str = "") -> None:
        warn = warn or (lambda msg: print(msg, file=sys.stderr))
        pm = _plugin_manager(warn)
        self.kinds: dict[str, type] = {}
        for kinds in pm.hook.dlint_kinds():
            self.kinds.update(kinds)
        files = [rules_dir() / "checks.yaml"]
        for extra in pm.hook.dlint_rule_files():
            files.extend(Path(p) for p in extra)
        files.extend(Path(p) for p in extra_rule_files)
        self.all_rules: list[Rule] = []
        seen: dict[str, str] = {}
        for path in files:
            for i, rule in enumerate(load_rules(path)):
                if rule.kind not in self.kinds:
                    line = _line_of(path, i)
                    raise ConfigError(f"{path}{f':{line}' if line else ''}: {rule.code}: unknown kind {rule.kind!r} "
                                      f"(known: {', '.join(sorted(self.kinds))})")
                if rule.code in seen:
                    raise ConfigError(f"{path}: {rule.code} is already defined in {seen[rule.code]}")
                seen[rule.code] = str(path)
                self.all_rules.append(rule)
        select, ignore = [*select, *extend_select], list(ignore)
        where = f"{origin}: " if origin else ""
        for selector in select + ignore:
            self.check_selector(selector, where)
        self.rules = [r for r in self.all_rules
                      if any(_matches(r, s) for s in select) and not any(_matches(r, s) for s in ignore)]
        self.severity: dict[str, str] = {}
        for selector, level in severity:
            self.check_selector(selector, where)
            self.severity.update({r.code: level for r in self.all_rules if _matches(r, selector)})
        self._checkers = [(r, self.kinds[r.kind](r)) for r in self.rules]

    def check_selector(self, selector: str, where: str = "") -> None:
        if not any(_matches(r, selector) for r in self.all_rules):
            raise ConfigError(f"{where}unknown rule selector {selector!r}: use a code (DL201), a prefix (DL2), "
                              "a name (requests-balance) or ALL; `dlint rules` lists them")

    def rule(self, code_or_name: str) -> Rule | None:
        key = code_or_name.strip()
        return next((r for r in self.all_rules if r.code == key.upper() or r.name == key), None)

    def diagnostic(self, rule: Rule, finding: Finding, lang: str,
                   texts: dict[tuple[Any, ...], tuple[str, str | None]] | None = None) -> Diagnostic:
        """The finding with its message and help filled in. `texts` holds those already filled in for one
        report: findings alike (a garbage line's hundreds of thousands) share one message, made once."""
        key = filled = None
        # only args of exactly str or int: equal values of other types may print differently (1 and 1.0,
        # Decimal("5") and Decimal("5.0"))
        if texts is not None and _PLAIN.issuperset(map(type, finding.args.values())):
            key = (rule.code, finding.variant, finding.help, *finding.args.items())
            filled = texts.get(key)
        if filled is None:
            message = rule.text(finding.variant, lang, finding.args)
            variant = finding.help or ("message" if "message" in rule.helps else None)
            help_text = rule.text(variant, lang, finding.args, helps=True) if variant else None
            filled = message, help_text or None
            if key is not None:
                texts[key] = filled
        # made without the named tuple's Python-level __new__
        return _new(Diagnostic, (rule.code, rule.name, self.severity.get(rule.code, rule.severity), filled[0],
                                 finding.span, filled[1], finding.fix))

    def input_error(self, code: str, args: dict[str, Any], lang: str) -> list[Diagnostic]:
        rule = self.rule(code)
        if rule is None or rule not in self.rules:
            return []
        if isinstance(args.get("reason"), str):
            from .words import localise

            args = {**args, "reason": localise(args["reason"], lang)}
        return [self.diagnostic(rule, Finding(Span(0, 0), args), lang)]

    def check(self, report: Report, ctx: Context, errors: list[str] | None = None) -> list[Diagnostic]:
        """Run every selected rule. A rule that crashes is recorded in `errors` (when given) and the
        others still run: one broken rule must not hide the rest, nor stop a batch."""
        ctx.rules = self.rules
        out: list[Diagnostic] = []
        blank = not report.source.text.strip()  # an empty file is one finding, not a missing everything
        texts: dict[tuple[Any, ...], tuple[str, str | None]] = {}
        for rule, checker in self._checkers:
            if blank and rule.kind != "input":
                continue
            try:
                for finding in checker.check(report, ctx):
                    out.append(self.diagnostic(rule, finding, ctx.lang, texts))
            except Exception as exc:  # noqa: BLE001 - reported as an internal error (exit 2)
                if errors is None:
                    raise
                errors.append(f"internal error in {rule.code} ({rule.kind}): {type(exc).__name__}: {exc}")
        if report.source.doubtful:
            out = _scan_doubts(report, out, ctx.lang)
        out.sort(key=_ORDER)
        return out
