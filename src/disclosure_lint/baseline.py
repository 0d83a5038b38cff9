"""Suppression outside the report: a baseline of today's findings, matched by fingerprint.

An official document cannot carry `noqa` comments, so known findings are recorded in a file beside
it. A fingerprint is the rule, the whitespace-normalised text of the offending line and the
occurrence of that pair in the file: it survives edits elsewhere in the file (no line numbers), and a
finding whose line is edited comes back as new.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .safeio import read_text, write_atomic
from .yamlload import ConfigError

BASELINE_LIMIT = 64 << 20  # a whole province's findings

BASELINE_VERSION = 1


def _line_key(result: Any, offset: int) -> str:
    if result.source is None:
        return ""
    line, _ = result.source.position(offset)
    return " ".join(result.source.line_text(line).split())


def fingerprints(result: Any) -> list[str]:
    """One stable fingerprint per diagnostic of a file result, in the same order."""
    seen: Counter[tuple[str, str]] = Counter()
    out = []
    for d in result.diagnostics:
        key = (d.code, _line_key(result, d.span.start))
        n = seen[key]
        seen[key] += 1
        out.append(hashlib.sha256(f"{key[0]}\0{key[1]}\0{n}".encode()).hexdigest()[:20])
    return out


def _rel(path: str, root: Path) -> str:
    p = Path(path).resolve()
    try:
        return p.relative_to(root.resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def write_baseline(results: Iterable[Any], path: Path) -> int:
    root = path.resolve().parent
    files: dict[str, list[dict[str, str]]] = {}
    for r in results:
        entries = [{"code": d.code, "fingerprint": fp, "message": d.message}
                   for d, fp in zip(r.diagnostics, fingerprints(r))]
        if entries:
            files[_rel(r.path, root)] = entries
    data = {"version": BASELINE_VERSION, "tool": "dlint", "files": dict(sorted(files.items()))}
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    # the previous baseline stays whole if this one cannot be written
    write_atomic(path, text.encode("utf-8"), path.with_name(f".{path.name}.tmp{os.getpid()}"))
    return sum(len(v) for v in files.values())


def load_baseline(path: Path) -> dict[str, Counter[str]]:
    try:
        data = json.loads(read_text(path, BASELINE_LIMIT))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the baseline ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not a dlint baseline ({exc})") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or data.get("version") != BASELINE_VERSION:
        raise ConfigError(f"{path}: not a dlint baseline of version {BASELINE_VERSION} (write one with --write-baseline)")
    root = path.resolve().parent
    out: dict[str, Counter[str]] = {}
    for rel, entries in files.items():
        if not isinstance(entries, list):
            raise ConfigError(f"{path}: entries of {rel!r} must be a list")
        out[(root / rel).resolve().as_posix()] = Counter(e.get("fingerprint") for e in entries if isinstance(e, dict))
    return out


def apply_baseline(results: list[Any], baseline: dict[str, Counter[str]]) -> tuple[int, int]:
    """Drop the findings the baseline knows (in place); return (suppressed, fixed since the baseline)."""
    suppressed = fixed = 0
    for r in results:
        known = Counter(baseline.get(Path(r.path).resolve().as_posix(), Counter()))
        kept = []
        for d, fp in zip(r.diagnostics, fingerprints(r)):
            if known[fp] > 0:
                known[fp] -= 1
                suppressed += 1
            else:
                kept.append(d)
        r.diagnostics = kept
        fixed += sum(known.values())
    return suppressed, fixed
