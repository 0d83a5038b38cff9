"""Rule definitions: YAML entries (rules/checks.yaml and plugin/extra files) validated on load."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import SEVERITIES
from .yamlload import ConfigError, load_yaml

_CODE = re.compile(r"^[A-Z]{2,4}\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
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


def _lang_map(value: Any, where: str, key: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(value.get(lang), str) for lang in LANGS):
        raise ConfigError(f"{where}: `{key}` needs text in both languages: {{zh: …, en: …}}")
    return {lang: value[lang] for lang in LANGS}


def _line_of(path: Path, index: int) -> int | None:
    import yaml

    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
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
    examples = entry.get("examples") or {}
    if not isinstance(examples, dict):
        raise ConfigError(f"{code}: `examples` must be a mapping with pass/fail lists")
    return Rule(code, name, kind, severity, _lang_map(entry.get("summary"), where, "summary"),
                messages, helps, _lang_map(entry.get("why"), where, "why"), params,
                {k: list(v) for k, v in examples.items()}, str(path))
