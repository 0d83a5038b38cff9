"""Safe YAML loading for rule data and configuration: every problem is a `ConfigError`."""

from __future__ import annotations

import contextlib
from functools import cache
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """A rule file or configuration that cannot be used (exit code 2)."""


def load_yaml(path: Path) -> Any:
    from .safeio import read_text

    try:
        text = read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {exc}" if isinstance(exc, OSError) and str(path) in str(exc)
                          else f"{path}: cannot read ({exc})") from None
    from . import compiled

    data = compiled.get(text)
    if data is compiled.MISSING:
        data = _parse(path, text)
        compiled.put(text, data)
    return data


def _parse(path: Path, text: str) -> Any:
    import yaml

    if _flow_depth(text) > MAX_DEPTH:  # the C parser would overflow the stack long before Python noticed
        raise ConfigError(f"{path}: nested too deeply (more than {MAX_DEPTH} levels)")
    try:
        return yaml.load(text, Loader=_loader())  # noqa: S506 - a safe loader
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path}{where}: invalid YAML: {problem}") from None


MAX_DEPTH = 64


def _flow_depth(text: str) -> int:
    """The deepest nesting of flow collections ([ and {), outside quoted strings."""
    depth = deepest = 0
    quote = ""
    for ch in text:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(0, depth - 1)
        elif ch == "\n":
            quote = ""
    return deepest


@cache
def _loader() -> type:
    """A safe loader (the C one where PyYAML has it) that refuses a key given twice in one mapping:
    the second would silently win, and a rule file means what it says once."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen = set()
            for key_node, _value in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    mark = key_node.start_mark
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {key!r} is given twice (line {mark.line + 1})", mark)
                with contextlib.suppress(TypeError):  # an unhashable key is refused by the base loader
                    seen.add(key)
            return super().construct_mapping(node, deep=deep)

    return Loader
