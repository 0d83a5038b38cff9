"""Bounded reads of files dlint did not write: a regular file only (a FIFO or a device would block or
never end), and no more than a limit (a rule file pointing at /dev/zero must not fill the memory).
And atomic writes of files dlint makes: a reader never sees half of one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

SETTINGS_LIMIT = 1 << 20  # rule files, configurations, baselines, cache entries: 1 MB


class ReadRefused(OSError):
    """Not a regular file, or larger than the limit: the message says which."""


class NotRegular(ReadRefused):
    """A folder, a FIFO, a device."""

    def __init__(self, message: str, is_dir: bool) -> None:
        super().__init__(message)
        self.is_dir = is_dir


class TooLarge(ReadRefused):
    def __init__(self, message: str, size: int) -> None:
        super().__init__(message)
        self.size = size


def read_bytes(path: str | os.PathLike[str], limit: int) -> bytes:
    """The file's bytes. O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer;
    O_BINARY: Windows would otherwise turn CRLF into LF and stop at a Ctrl-Z."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                 | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(f"{path}: not a regular file", stat.S_ISDIR(info.st_mode))
        if info.st_size > limit:
            raise TooLarge(f"{path}: {info.st_size:,} bytes, over the limit of {limit:,}", info.st_size)
        data = read_upto(fd, limit + 1)
        if len(data) > limit:  # grew while read
            raise TooLarge(f"{path}: over the limit of {limit:,} bytes", len(data))
        return data
    finally:
        os.close(fd)


def read_start(path: str | os.PathLike[str], size: int) -> bytes:
    """A file's first `size` bytes (fewer at its end), read by its descriptor: a buffered file object costs
    as much again as the reading, and a batch reads every report's head for its title."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        return read_upto(fd, size)
    finally:
        os.close(fd)


def read_upto(fd: int, n: int) -> bytes:
    """Up to `n` bytes of an open file, fewer only at its end."""
    chunks, size = [], 0
    while size < n:
        chunk = os.read(fd, min(1 << 16, n - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_text(path: str | os.PathLike[str], limit: int = SETTINGS_LIMIT) -> str:
    return read_bytes(path, limit).decode("utf-8")


def write_atomic(path: Path, data: bytes, tmp: Path | None = None) -> None:
    """Write `data` to a temporary file beside `path` (`tmp`, or a fresh name) and rename it over `path`:
    the previous file stays whole if anything fails, and the temporary file is removed then."""
    if tmp is None:
        import tempfile

        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".dlint-tmp")
        tmp = Path(name)
        handle = os.fdopen(fd, "wb")
    else:
        handle = open(tmp, "wb")  # noqa: SIM115 - closed below, before the rename
    try:
        with handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False
