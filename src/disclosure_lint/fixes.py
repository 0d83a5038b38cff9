"""Applying safe fixes: edits made on the file's own text, written atomically in its own encoding.

Offsets of edits point into the normalised text (every newline "\\n"); they are mapped onto the text
as it is on disk, so CRLF, CR and mixed line endings, the BOM and the encoding all survive. A file
that changed on disk since it was read is left alone.
"""

from __future__ import annotations

import contextlib
import difflib
import glob
import os
import stat
import tempfile
import time
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


def refusal(path: Path, roots: tuple[Path, ...] = ()) -> str | None:
    """Why a file is not rewritten unless the user forces it: a read-only file (someone meant it), one
    with several hard links (the other names would keep the old text), a link out of the checked tree."""
    try:
        info = path.lstat()
        target = path.resolve()
        real = target.stat()
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISLNK(info.st_mode):
        bases = [r.resolve() for r in roots or (Path.cwd(),)]
        if not any(base in target.parents for base in bases):
            return f"a link to {target}, outside the checked folders; not fixed (--force-fix to write it)"
    if not real.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        return "read-only; not fixed (--force-fix to write it)"
    if real.st_nlink > 1:
        return f"has {real.st_nlink} hard links, which would keep the old text; not fixed (--force-fix to write it)"
    return None


def fix_file(result: Any, path: Path, write: bool, force: bool = False, roots: tuple[Path, ...] = ()) -> FixOutcome:
    try:
        data = read_bytes(path, MAX_BYTES)
    except OSError as exc:
        return FixOutcome(result.path, "", "", 0, f"cannot read: {exc.strerror or exc}")
    outcome = plan(result, data)
    if not write or not outcome.changed or outcome.error:
        return outcome
    why = None if force else refusal(path, roots)
    if why:
        outcome.error = why
        return outcome
    try:
        payload = encode(outcome.new, result.source)
    except UnicodeEncodeError:
        outcome.error = f"the fixed text cannot be written as {result.source.encoding}; not fixed"
        return outcome
    try:
        atomic_write(path, payload, expected=data)
    except ChangedOnDisk:
        outcome.error = "changed on disk while being fixed; not fixed"
    except OSError as exc:
        outcome.error = f"cannot write: {exc.strerror or exc}"
    return outcome


class ChangedOnDisk(OSError):
    """The file changed between reading it and replacing it."""


STALE_TMP = 60  # seconds: a temporary file this old is a killed run's, not a running one's


def atomic_write(path: Path, payload: bytes, expected: bytes | None = None) -> None:
    """Write to a temporary file in the same folder, then rename over the original, keeping its mode,
    owner and extended attributes. With `expected`, the file's identity and bytes are compared again
    right before the rename: an edit made meanwhile is not overwritten (the window left is the
    moment between that comparison and the rename itself)."""
    target = path.resolve()  # through a symlink: replace the file, keep the link
    before = target.stat()
    _remove_stale_temporaries(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".dlint-tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(before.st_mode))
        if hasattr(os, "chown"):
            with contextlib.suppress(PermissionError):  # only root may give a file away
                os.chown(tmp, before.st_uid, before.st_gid)
        _copy_xattrs(target, tmp)
        if expected is not None:
            now = target.stat()
            same = (now.st_ino, now.st_size, now.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)
            if not same or now.st_size != len(expected) or read_bytes(target, len(expected)) != expected:
                raise ChangedOnDisk(str(target))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _copy_xattrs(src: Path, dst: str) -> None:
    if not hasattr(os, "listxattr"):
        return
    with contextlib.suppress(OSError):
        for name in os.listxattr(src):
            with contextlib.suppress(OSError):
                os.setxattr(dst, name, os.getxattr(src, name))


def _remove_stale_temporaries(target: Path) -> None:
    """Temporary files a killed run left beside this file."""
    now = time.time()
    for old in target.parent.glob(f".{glob.escape(target.name)}.*.dlint-tmp"):
        with contextlib.suppress(OSError):
            if now - old.stat().st_mtime > STALE_TMP:
                old.unlink()
