"""Configuration: `[tool.dlint]` in pyproject.toml or `.dlint.yaml`, the nearest one to a checked file.

Every problem is a `ConfigError` naming the file, the key and what is allowed (exit code 2).
"""

from __future__ import annotations

import fnmatch
import os
import stat
import sys
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from .diagnostics import SEVERITIES
from .safeio import read_text
from .yamlload import ConfigError, load_yaml

CONFIG_NAMES = (".dlint.yaml", ".dlint.yml", "pyproject.toml")  # first found in a directory wins
FAIL_ON = ("error", "warning", "info")
_KEYS = {
    "select": "a list of rule codes, prefixes (DL2), names or ALL",
    "ignore": "a list of rule codes, prefixes or names",
    "extend-select": "a list of rule codes, prefixes or names",
    "severity": "a mapping of rule code or name to error, warning or info",
    "per-file-ignores": "a mapping of file glob to a list of rule codes, prefixes or names",
    "year": "the reporting year, an integer such as 2023",
    "agency": "the agency's name, a string",
    "lang": "zh or en",
    "fail-on": "error, warning or info",
    "rules-files": "a list of extra YAML rule files, relative to the configuration file",
    "similarity-threshold": "a number between 0 and 1: the share of last year's text above which DL603 reports copying",
    "time-limit": "seconds one file may take before it is reported as too slow (DL007), a number above 0",
    "exclude": "a list of globs of files and folders not to check (replaces the default, none)",
    "extend-exclude": "a list of globs of files and folders not to check, added to exclude",
}


@dataclass(frozen=True)
class Settings:
    """The resolved options for one file: configuration file first, then the command line on top."""

    path: Path | None = None  # the configuration file used, None for defaults
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    year: int | None = None
    agency: str | None = None
    lang: str = "zh"
    fail_on: str = "error"
    rules_files: tuple[Path, ...] = ()
    similarity: float | None = None
    time_limit: float = 10.0  # seconds one file may take: a pathological file never stalls a batch
    exclude: tuple[str, ...] = ()  # globs of files and folders found in folders, not checked
    extend_exclude: tuple[str, ...] = ()

    def engine_key(self) -> tuple[Any, ...]:
        """Settings that change which rules run and how: one engine per distinct key."""
        return (self.select, self.ignore, self.extend_select, self.severity, self.rules_files)

    def ignored_for(self, path: str, root: Path | None = None) -> tuple[str, ...]:
        """The per-file-ignores selectors whose glob matches `path` (relative to the config's folder)."""
        if not self.per_file_ignores:
            return ()
        rel = _relative(path, root or (self.path.parent if self.path else Path.cwd()))
        out: list[str] = []
        for glob, selectors in self.per_file_ignores:
            if fnmatch.fnmatch(rel, glob) or fnmatch.fnmatch(Path(rel).name, glob):
                out.extend(selectors)
        return tuple(out)

    def as_dict(self) -> dict[str, Any]:
        return {"config": str(self.path) if self.path else None, "select": list(self.select),
                "ignore": list(self.ignore), "extend-select": list(self.extend_select),
                "severity": dict(self.severity), "per-file-ignores": {g: list(s) for g, s in self.per_file_ignores},
                "year": self.year, "agency": self.agency, "lang": self.lang, "fail-on": self.fail_on,
                "rules-files": [str(p) for p in self.rules_files], "similarity-threshold": self.similarity,
                "time-limit": self.time_limit, "exclude": list(self.exclude), "extend-exclude": list(self.extend_exclude)}


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def find_config(start: Path) -> Path | None:
    """The nearest configuration file at or above `start` (a file's folder, or a folder). A folder
    anyone may write to and that is not the user's (/tmp, a shared drop folder) is passed over: its
    configuration could be anyone's, and could switch every rule off."""
    folder = start if start.is_dir() else start.parent
    for d in (folder.resolve(), *folder.resolve().parents):
        for name in CONFIG_NAMES:
            candidate = d / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_dlint(candidate)):
                if _untrusted(d):
                    _warn_untrusted(candidate)
                    continue
                return candidate
    return None


def _untrusted(folder: Path) -> bool:
    if not hasattr(os, "geteuid"):
        return False
    try:
        info = folder.stat()
    except OSError:
        return True
    return bool(info.st_mode & stat.S_IWOTH) and info.st_uid != os.geteuid()


@cache
def _warn_untrusted(path: Path) -> None:
    print(f"dlint: warning: {path} is ignored: its folder is writable by anyone and not yours", file=sys.stderr)


def _has_tool_dlint(path: Path) -> bool:
    try:
        return "[tool.dlint" in read_text(path)
    except (OSError, UnicodeDecodeError):
        return False


@cache
def load_settings(path: Path | None) -> Settings:
    if path is None:
        return Settings()
    if path.name == "pyproject.toml":
        data = _load_toml(path).get("tool", {}).get("dlint", {})
    else:
        data = load_yaml(path)
        data = {} if data is None else data
    return _validate(data, path)


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(read_text(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply") from None


def _validate(data: Any, path: Path) -> Settings:
    def bad(key: str) -> ConfigError:
        return ConfigError(f"{path}: `{key}` must be {_KEYS[key]}")

    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of keys ({', '.join(_KEYS)})")
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        raise ConfigError(f"{path}: unknown key `{unknown[0]}` (allowed: {', '.join(_KEYS)})")

    def selectors(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise bad(key)
        return tuple(v.strip() for v in value)

    out: dict[str, Any] = {"path": path}
    for key in ("select", "ignore", "extend-select"):
        if key in data:
            out[key.replace("-", "_")] = selectors(key)
    if "severity" in data:
        sev = data["severity"]
        if not isinstance(sev, dict) or not all(isinstance(k, str) and v in SEVERITIES for k, v in sev.items()):
            raise bad("severity")
        out["severity"] = tuple(sorted(sev.items()))
    if "per-file-ignores" in data:
        pfi = data["per-file-ignores"]
        if not isinstance(pfi, dict) or not all(
                isinstance(k, str) and isinstance(v, list) and all(isinstance(x, str) for x in v) for k, v in pfi.items()):
            raise bad("per-file-ignores")
        out["per_file_ignores"] = tuple((k, tuple(v)) for k, v in pfi.items())
    if "year" in data:
        year = data["year"]
        if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2100:
            raise bad("year")
        out["year"] = year
    if "agency" in data:
        if not isinstance(data["agency"], str) or not data["agency"].strip():
            raise bad("agency")
        out["agency"] = data["agency"].strip()
    if "lang" in data:
        if data["lang"] not in ("zh", "en"):
            raise bad("lang")
        out["lang"] = data["lang"]
    if "fail-on" in data:
        if data["fail-on"] not in FAIL_ON:
            raise bad("fail-on")
        out["fail_on"] = data["fail-on"]
    if "rules-files" in data:
        files = data["rules-files"]
        if isinstance(files, str):
            files = [files]
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise bad("rules-files")
        out["rules_files"] = tuple((path.parent / f).resolve() for f in files)
    if "similarity-threshold" in data:
        value = data["similarity-threshold"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise bad("similarity-threshold")
        out["similarity"] = float(value)
    for key, attr in (("exclude", "exclude"), ("extend-exclude", "extend_exclude")):
        if key in data:
            value = data[key]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise bad(key)
            out[attr] = tuple(value)
    if "time-limit" in data:
        value = data["time-limit"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 86400:
            raise bad("time-limit")
        out["time_limit"] = float(value)
    return Settings(**out)


@dataclass
class Overrides:
    """Command-line options: each one given replaces (select) or extends (ignore, extend-select) the file's."""

    config: Path | None = None  # --config: use this file for every checked file
    isolated: bool = False  # --isolated: ignore configuration files
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    year: int | None = None
    agency: str | None = None
    lang: str | None = None
    fail_on: str | None = None
    rules_files: tuple[Path, ...] = field(default_factory=tuple)
    time_limit: float | None = None
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()

    def settings_for(self, target: Path) -> Settings:
        if self.isolated:
            base = Settings()
        elif self.config is not None:
            base = load_settings(self.config.resolve())
        else:
            base = load_settings(find_config(target))
        changes: dict[str, Any] = {}
        if self.select is not None:
            changes["select"] = self.select
        if self.ignore:
            changes["ignore"] = base.ignore + self.ignore
        if self.extend_select:
            changes["extend_select"] = base.extend_select + self.extend_select
        for name in ("year", "agency", "lang", "fail_on", "time_limit"):
            if getattr(self, name) is not None:
                changes[name] = getattr(self, name)
        if self.exclude is not None:
            changes["exclude"] = self.exclude
        if self.extend_exclude:
            changes["extend_exclude"] = base.extend_exclude + self.extend_exclude
        if self.rules_files:
            changes["rules_files"] = base.rules_files + tuple(p.resolve() for p in self.rules_files)
        return replace(base, **changes) if changes else base
