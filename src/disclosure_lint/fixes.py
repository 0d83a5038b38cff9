"""Applying safe fixes: edits made on the file's own text, written atomically in its own encoding.

Offsets of edits point into the normalised text (every newline "\\n"); they are mapped onto the text
as it is on disk, so CRLF, CR and mixed line endings, the BOM and the encoding all survive. A file
that changed on disk since it was read is left alone.
"""

from __future__ import annotations

import difflib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diagnostics import Edit
from .safeio import read_bytes
from .source import MAX_BYTES, Source, digest, encode, raw_text


@dataclass
class FixOutcome:
    path: str
    old: str  # as on disk
    new: str
    applied: int  # diagnostics whose fix was taken
    error: str | None = None

    @property
    def changed(self) -> bool:
        return self.new != self.old

    def diff(self) -> str:
        return "".join(difflib.unified_diff(self.old.splitlines(keepends=True), self.new.splitlines(keepends=True),
                                            f"a/{self.path}", f"b/{self.path}"))


def _raw_line_starts(raw: str) -> list[int]:
    """Line starts in the on-disk text, splitting on CRLF, CR and LF exactly as the source did."""
    starts = [0]
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\r":
            i += 2 if i + 1 < n and raw[i + 1] == "\n" else 1
            starts.append(i)
        elif ch == "\n":
            i += 1
            starts.append(i)
        else:
            i += 1
    return starts


def _to_raw(offset: int, source: Source, raw_starts: list[int]) -> int:
    line, col = source.position(offset)
    return raw_starts[line - 1] + col - 1


def plan(result: Any, data: bytes) -> FixOutcome:
    """The fixed text of one file result, from the bytes now on disk (not written)."""
    source: Source = result.source
    if source.encoding.startswith("extracted"):
        return FixOutcome(result.path, "", "", 0, "text extracted from a published file is not written back; fix the original")
    old = raw_text(data, source)
    if digest(data) != source.digest:
        return FixOutcome(result.path, old, old, 0, "changed on disk since it was read; not fixed")
    edits: list[Edit] = []
    applied = 0
    taken_until = -1
    fixes = sorted((d.fix for d in result.diagnostics if d.fix and d.fix.applicability == "safe"),
                   key=lambda f: min(e.start for e in f.edits))
    for fix in fixes:
        ordered = sorted(fix.edits, key=lambda e: e.start)
        if ordered[0].start <= taken_until:
            continue  # overlaps a fix already taken: the next run will apply it
        edits.extend(ordered)
        taken_until = max(e.end for e in ordered)
        applied += 1
    if not edits:
        return FixOutcome(result.path, old, old, 0)
    starts = _raw_line_starts(old)
    pieces, pos = [], 0
    for e in edits:
        a, b = _to_raw(e.start, source, starts), _to_raw(e.end, source, starts)
        pieces.append(old[pos:a])
        pieces.append(e.text.replace("\n", source.newline))
        pos = b
    pieces.append(old[pos:])
    return FixOutcome(result.path, old, "".join(pieces), applied)


def fix_file(result: Any, path: Path, write: bool) -> FixOutcome:
    try:
        data = read_bytes(path, MAX_BYTES)
    except OSError as exc:
        return FixOutcome(result.path, "", "", 0, f"cannot read: {exc.strerror or exc}")
    outcome = plan(result, data)
    if not write or not outcome.changed or outcome.error:
        return outcome
    try:
        payload = encode(outcome.new, result.source)
    except UnicodeEncodeError:
        outcome.error = f"the fixed text cannot be written as {result.source.encoding}; not fixed"
        return outcome
    try:
        atomic_write(path, payload)
    except OSError as exc:
        outcome.error = f"cannot write: {exc.strerror or exc}"
    return outcome


def atomic_write(path: Path, payload: bytes) -> None:
    """Write to a temporary file in the same folder, then rename over the original (keeping its mode)."""
    target = path.resolve()  # through a symlink: replace the file, keep the link
    mode = stat.S_IMODE(target.stat().st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".dlint-tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
