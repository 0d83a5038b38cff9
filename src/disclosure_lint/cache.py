"""The result cache: a file's findings, keyed by its bytes, the dlint version, the settings and the rule
files, so a re-run after fixing one report re-checks only that report.

Entries are small JSON files under `.dlint_cache/` (never pickle: a cache folder may be shared). A
corrupt entry is reported once, removed and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from dataclasses import astuple
from pathlib import Path
from typing import Any

from . import __version__
from .diagnostics import Diagnostic, Edit, Fix
from .model import Span

DEFAULT_DIR = ".dlint_cache"


def default_dir() -> Path:
    return Path(os.environ.get("DLINT_CACHE_DIR") or DEFAULT_DIR)


def _files_digest(paths: list[Path]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in paths:
        h.update(str(p).encode())
        try:
            h.update(p.read_bytes())
        except OSError:
            h.update(b"<missing>")
    return h.hexdigest()


class Cache:
    def __init__(self, root: Path) -> None:
        self.root = root / __version__
        self._rules_digest: dict[tuple[Path, ...], str] = {}
        self._warned = False

    def key(self, digest: str, settings: Any, lang: str) -> str:
        from .template import rules_dir

        rule_files = tuple(sorted(rules_dir().glob("*.yaml"))) + tuple(settings.rules_files)
        if rule_files not in self._rules_digest:
            from .engine import _entry_points

            plugins = sorted(f"{ep.name}={ep.value}" for ep in _entry_points("dlint"))
            self._rules_digest[rule_files] = _files_digest(list(rule_files)) + ",".join(plugins)
        parts = [__version__, digest, repr(settings.engine_key()), repr(settings.per_file_ignores), str(settings.year),
                 str(settings.agency), str(settings.similarity), lang, self._rules_digest[rule_files]]
        return hashlib.blake2b("\0".join(parts).encode(), digest_size=20).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        path = self._path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            data["diagnostics"] = [_diagnostic(d) for d in data["diagnostics"]]
            return data
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            if not self._warned:
                print(f"dlint: warning: the cache entry {path} is corrupt; it is rebuilt", file=sys.stderr)
                self._warned = True
            path.unlink(missing_ok=True)
            return None

    def put(self, key: str, result: Any) -> None:
        data = {"template": result.template, "year": result.year, "agency": result.agency,
                "diagnostics": [_plain(d) for d in result.diagnostics]}
        path = self._path(key)
        try:
            # parallel workers may create the folders at the same moment: exist_ok everywhere
            path.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.root.parent / ".gitignore"
            if not ignore.exists():  # like ruff's cache: never committed by accident
                ignore.write_text("# created by dlint\n*\n", encoding="utf-8")
            tmp = path.with_name(f".{path.name}.{os.getpid()}")
            tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only tree still gets its findings, just uncached


def clean(root: Path) -> bool:
    if not root.exists():
        return False
    shutil.rmtree(root)
    return True


def _plain(d: Diagnostic) -> dict[str, Any]:
    return {"code": d.code, "name": d.name, "severity": d.severity, "message": d.message,
            "span": [d.span.start, d.span.end], "help": d.help,
            "fix": None if d.fix is None else {"edits": [astuple(e) for e in d.fix.edits],
                                               "applicability": d.fix.applicability}}


def _diagnostic(d: dict[str, Any]) -> Diagnostic:
    fix = d["fix"]
    return Diagnostic(d["code"], d["name"], d["severity"], d["message"], Span(*d["span"]), d["help"],
                      None if fix is None else Fix(tuple(Edit(*e) for e in fix["edits"]), fix["applicability"]))
