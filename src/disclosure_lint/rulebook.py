"""Rule definitions: YAML entries (rules/checks.yaml and plugin/extra files) validated on load."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .compiled import regex
from .diagnostics import SEVERITIES
from .yamlload import ConfigError, load_yaml

_CODE = regex(r"^[A-Z]{2,4}\d{3}$")
_NAME = regex(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
LANGS = ("zh", "en")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    kind: str
    severity: str
    summary: dict[str, str]
    messages: dict[str, dict[str, str]]  # variant -> lang -> template ("message" is the default)
    helps: dict[str, dict[str, str]]
    why: dict[str, str]
    params: dict[str, Any] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    origin: str = ""

    def text(self, variant: str, lang: str, args: dict[str, Any], *, helps: bool = False) -> str:
        table = self.helps if helps else self.messages
        templates = table.get(variant) or table.get("message") or {}
        template = templates.get(lang) or templates.get("zh") or ""
        try:
            return template.format(**args)
        except (KeyError, IndexError, ValueError):
            return template


_FIELD = regex(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _lang_map(value: Any, where: str, key: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(value.get(lang), str) for lang in LANGS):
        raise ConfigError(f"{where}: `{key}` needs text in both languages: {{zh: …, en: …}}")
    for lang in LANGS:
        _check_template(value[lang], where, key)
    return {lang: value[lang] for lang in LANGS}


def _check_template(text: str, where: str, key: str) -> None:
    """Only plain named fields ({row}, {diff}): `{x.__class__}` or `{x[0]}` would reach into Python
    objects, and a nested field in a format spec could too."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ConfigError(f"{where}: `{key}` is not a valid message template ({exc})") from None
    for _literal, name, spec, _conversion in parts:
        if name is not None and (not _FIELD.match(name) or "{" in (spec or "")):
            raise ConfigError(f"{where}: `{key}` may only use plain named fields such as {{row}}, not {{{name}}}")


def _line_of(path: Path, index: int) -> int | None:
    import yaml

    from .safeio import read_text

    try:
        root = yaml.compose(read_text(path))
        rules = next(value for key, value in root.value if key.value == "rules")  # type: ignore[union-attr]
        return rules.value[index].start_mark.line + 1
    except Exception:  # noqa: BLE001 - only used to point at the entry
        return None


def load_rules(path: Path) -> list[Rule]:
    data = load_yaml(path)
    entries = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: expected a mapping with a `rules:` list")
    rules = []
    for i, entry in enumerate(entries):
        line = None
        try:
            rules.append(_rule(entry, path))
        except ConfigError as exc:
            line = _line_of(path, i)
            where = f"{path}:{line}" if line else str(path)
            raise ConfigError(f"{where}: {exc}") from None
    return rules


def _rule(entry: Any, path: Path) -> Rule:
    if not isinstance(entry, dict):
        raise ConfigError("each rule is a mapping")
    code, name, kind = entry.get("code"), entry.get("name"), entry.get("kind")
    if not isinstance(code, str) or not _CODE.match(code):
        raise ConfigError(f"code {code!r} must look like DL123")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(f"{code}: name {name!r} must be kebab-case")
    if not isinstance(kind, str):
        raise ConfigError(f"{code}: `kind` is required")
    severity = entry.get("severity", "error")
    if severity not in SEVERITIES:
        raise ConfigError(f"{code}: severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    where = code
    messages = {"message": _lang_map(entry.get("message"), where, "message")}
    for variant, text in (entry.get("messages") or {}).items():
        messages[variant] = _lang_map(text, where, f"messages.{variant}")
    helps = {}
    if entry.get("help") is not None:
        helps["message"] = _lang_map(entry["help"], where, "help")
    for variant, text in (entry.get("helps") or {}).items():
        helps[variant] = _lang_map(text, where, f"helps.{variant}")
    params = entry.get("params") or {}
    if not isinstance(params, dict):
        raise ConfigError(f"{code}: `params` must be a mapping")
    _check_patterns(params, code)
    examples = entry.get("examples") or {}
    if not isinstance(examples, dict):
        raise ConfigError(f"{code}: `examples` must be a mapping with pass/fail lists")
    return Rule(code, name, kind, severity, _lang_map(entry.get("summary"), where, "summary"),
                messages, helps, _lang_map(entry.get("why"), where, "why"), params,
                {k: list(v) for k, v in examples.items()}, str(path))


_PATTERN_KEYS = ("pattern", "require", "received", "none")


def _check_patterns(value: Any, where: str) -> None:
    """Every regular expression of a rule compiles and runs in bounded time: a repeat inside a repeat
    (`(a+)+`, `(\\d*\\s?)*`) backtracks exponentially on a near miss, so it is refused at load."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in _PATTERN_KEYS and isinstance(item, str):
                _check_pattern(item, f"{where}: `{key}`")
            else:
                _check_patterns(item, where)
    elif isinstance(value, list):
        for item in value:
            _check_patterns(item, where)


def _check_pattern(pattern: str, where: str) -> None:
    try:
        import re._parser as sre  # type: ignore[import-not-found]
    except ImportError:  # Python 3.10
        import sre_parse as sre  # type: ignore[no-redef]
    try:
        tree = sre.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        raise ConfigError(f"{where}: not a valid regular expression ({exc})") from None
    if _nested_repeat(tree, sre, inside=False):
        raise ConfigError(f"{where}: a repeat inside a repeat ({pattern!r}) can take exponential time; "
                          "rewrite it without nesting quantifiers")


def _nested_repeat(tree: Any, sre: Any, inside: bool) -> bool:
    repeats = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
    for op, av in tree:
        if op in repeats:
            _lo, hi, sub = av
            if (hi > 1 and inside) or _nested_repeat(sub, sre, inside or hi > 1):
                return True
            continue
        subs = [av[-1]] if op == sre.SUBPATTERN else list(av[1]) if op == sre.BRANCH else \
            [av[1]] if op in (sre.ASSERT, sre.ASSERT_NOT) else []
        if any(_nested_repeat(sub, sre, inside) for sub in subs):
            return True
    return False

