"""The result cache: a file's findings, keyed by its bytes, the dlint version, the settings and the rule
files, so a re-run after fixing one report re-checks only that report.

Entries are JSON (never pickle: a cache folder may be shared), each signed, in one SQLite database under
`.dlint_cache/<version>/`: one file for a whole batch. A file an entry made a new inode, about 0.75 ms of
the kernel's time on an ext4 disk, which a first run over 1,000 reports paid as a quarter of its time; a
row costs 0.05 ms in a transaction of its own, 0.02 ms with 63 others. A corrupt entry, or a database
that is not one, is reported once, removed and rebuilt.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import stat
import sys
import weakref
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from . import __version__
from .compiled import regex
from .diagnostics import SEVERITIES, Diagnostic, Edit, Fix
from .model import Span
from .safeio import SETTINGS_LIMIT, read_bytes

DEFAULT_DIR = ".dlint_cache"
T = TypeVar("T")


def default_dir() -> Path:
    return Path(os.environ.get("DLINT_CACHE_DIR") or DEFAULT_DIR)


def _files_digest(paths: list[Path]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in paths:
        h.update(str(p).encode())
        try:
            h.update(read_bytes(p, SETTINGS_LIMIT))
        except OSError:
            h.update(b"<missing>")
    return h.hexdigest()


class Cache:
    def __init__(self, root: Path) -> None:
        self.root = root / __version__
        self._rules_digest: dict[tuple[Path, ...], str] = {}
        self._warned = False
        self._builtin_rules: tuple[Path, ...] | None = None  # the rule files do not change during a run
        self._db: Any = None  # the connection, opened at the first entry read or written
        self._pid = 0  # the process that opened it: a forked worker opens its own
        self._off = False  # no database here (read-only tree, no sqlite3): findings, just uncached
        self._pending: dict[str, str] = {}  # results not written yet: key -> body (written _BATCH at a time)

    def key(self, digest: str, settings: Any, lang: str) -> str:
        if self._builtin_rules is None:
            from .template import rules_dir

            self._builtin_rules = tuple(sorted(rules_dir().glob("*.yaml")))
        rule_files = self._builtin_rules + tuple(settings.rules_files)
        if rule_files not in self._rules_digest:
            from .engine import _entry_points

            plugins = sorted(f"{ep.name}={ep.value}" for ep in _entry_points("dlint"))
            self._rules_digest[rule_files] = _files_digest(list(rule_files)) + ",".join(plugins)
        parts = [__version__, digest, repr(settings.engine_key()), repr(settings.per_file_ignores), str(settings.year),
                 str(settings.agency), str(settings.similarity), lang, self._rules_digest[rule_files]]
        return hashlib.blake2b("\0".join(parts).encode(), digest_size=20).hexdigest()

    @property
    def database(self) -> Path:
        return self.root / DATABASE

    def get(self, key: str) -> dict[str, Any] | None:
        def findings(body: str) -> dict[str, Any]:
            data = json.loads(body)
            if not isinstance(data, dict) or not isinstance(data["diagnostics"], list):
                raise ValueError("malformed")
            data["diagnostics"] = [_diagnostic(d) for d in data["diagnostics"]]
            return data

        return self.get_raw(key, findings)

    def put(self, key: str, result: Any) -> None:
        """A result, written with the next ones in one transaction (`flush`): a row a transaction cost a
        batch's first run as much again as the rows themselves. Until then it is read from memory."""
        data = {"template": result.template, "year": result.year, "agency": result.agency,
                "diagnostics": [_plain(d) for d in result.diagnostics]}
        if not self._pending:
            _UNWRITTEN.add(self)  # written at exit at the latest
        self._pending[key] = json.dumps(data, ensure_ascii=False)
        if len(self._pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the results kept in memory (a batch calls it at its end, a worker at the end of each task).
        A result lost in a crash is checked again at the next run: an entry may be lost, never made wrong."""
        if not self._pending:
            return
        rows = [(key, body, _mac(key, body)) for key, body in self._pending.items()]
        self._pending.clear()
        _UNWRITTEN.discard(self)
        self._write(rows)

    def _write(self, rows: list[tuple[str, str, str]]) -> None:
        """(key, body, mac) rows written in one transaction; a database that cannot take them is handled as
        any other failure (the entries are then only not cached)."""
        sqlite3 = _sqlite3()
        if sqlite3 is None:
            return
        try:
            db = self._connect(create=True)
            if db is None:
                return
            db.execute("BEGIN")
            try:
                db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", rows)
                db.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:
            self._failed(exc)

    def get_raw(self, key: str, load: Callable[[str], T]) -> T | None:
        """The entry under `key` read by `load` (which raises on a malformed body), or None. An entry this
        user's dlint did not sign, or one that does not load, is corrupt: warned about once and removed."""
        sqlite3 = _sqlite3()
        if sqlite3 is None:
            return None
        if key in self._pending:
            return load(self._pending[key])
        try:
            db = self._connect(create=False)
            if db is None:
                return None
            # a body over the limit is not read into memory: a planted database is as untrusted as a file
            row = db.execute("SELECT CASE WHEN length(body) <= ? THEN body END, mac FROM entries WHERE key = ?",
                             (SETTINGS_LIMIT, key)).fetchone()
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
            return None
        if row is None:
            return None
        try:
            body, mac = row
            if not isinstance(body, str) or not hmac.compare_digest(str(mac), _mac(key, body)):
                raise ValueError("not written by this user's dlint")  # a forged or copied entry, or too large
            return load(body)
        except (ValueError, KeyError, TypeError, IndexError):
            self._corrupt(f"the cache entry {key} in {self.database}")
            with contextlib.suppress(sqlite3.Error):
                db.execute("DELETE FROM entries WHERE key = ?", (key,))
            return None

    def put_raw(self, key: str, body: str) -> None:
        """An entry written at once (a scanned page's reading: kept for the check that follows)."""
        self._write([(key, body, _mac(key, body))])

    def check_database(self) -> None:
        """Open the database once in this process, before it forks its workers: one that is not a database is
        then found, reported and removed once, not by every worker at the same moment."""
        sqlite3 = _sqlite3()
        if sqlite3 is None:
            return
        self.flush()  # nothing of this process's is left for a worker to write again
        try:
            self._connect(create=False)
        except sqlite3.DatabaseError as exc:
            self._failed(exc)
        self._close()  # a connection is not carried across a fork

    def _failed(self, exc: Exception) -> None:
        """A database that could not be used: locked past the timeout, read-only, a full disk (the findings
        are then only not cached); or one that is not a database, or damaged: reported, removed, made anew."""
        if not isinstance(exc, _sqlite3().OperationalError):
            self._corrupt(f"the cache database {self.database}")
            self._reset()

    def _corrupt(self, what: str) -> None:
        if not self._warned:
            print(f"dlint: warning: {what} is corrupt; it is rebuilt", file=sys.stderr)
            self._warned = True

    def _reset(self) -> None:
        """A database that is not one (or a damaged one) removed, to be made anew at the next entry."""
        self._close()
        for path in _database_files(self.root):
            try:
                path.unlink(missing_ok=True)
            except OSError:
                self._off = True

    def _close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None

    def _connect(self, create: bool) -> Any:
        """This process's connection (None: no database, and `create` not asked, or none can be had)."""
        if self._db is not None and self._pid == os.getpid():
            return self._db
        self._db = None  # a connection made before a fork is the parent's
        if self._off:
            return None
        path = self.database
        for part in _database_files(self.root):  # a FIFO would block the open, a link lead elsewhere
            try:
                info = os.lstat(part)
            except FileNotFoundError:
                continue  # each of them: a log left beside no database is opened all the same
            except OSError:  # a folder that cannot be searched
                self._off = True
                return None
            if not stat.S_ISREG(info.st_mode):
                print(f"dlint: warning: the cache database {part} is not a regular file; results are not cached",
                      file=sys.stderr)
                self._off = True
                return None
        if not create and not path.exists():
            return None
        sqlite3 = _sqlite3()
        if sqlite3 is None:
            return None
        try:
            if create:
                self.root.mkdir(parents=True, exist_ok=True)
                ignore = self.root.parent / ".gitignore"
                if not ignore.exists():  # like ruff's cache: never committed by accident
                    ignore.write_text("# created by dlint\n*\n", encoding="utf-8")
                tag = self.root.parent / MARKER
                if not tag.exists():  # what `dlint clean` looks for before it deletes anything
                    tag.write_text(_TAG, encoding="utf-8")
        except OSError:
            self._off = True
            return None
        # autocommit (a batch's results are written in transactions of their own, `flush`); write-ahead log,
        # synced at its checkpoints only: a cache's entry may be lost, never made wrong
        db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            with contextlib.suppress(sqlite3.OperationalError):  # no shared memory (NFS): SQLite's own journal
                db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, body TEXT NOT NULL, mac TEXT NOT NULL)")
        except BaseException:
            db.close()
            raise
        self._db, self._pid = db, os.getpid()
        return db


DATABASE = "entries.sqlite3"
_BATCH = 64  # results a transaction
_UNWRITTEN: weakref.WeakSet[Cache] = weakref.WeakSet()  # the caches holding results not written yet


@atexit.register
def _write_unwritten() -> None:
    """A batch writes its results at its end; what a caller of `put` left unwritten is written here."""
    for store in list(_UNWRITTEN):
        store.flush()


@cache
def _sqlite3() -> Any:
    """The sqlite3 module, imported when the cache is first used; None in a Python built without it (its
    findings are then not cached)."""
    try:
        import sqlite3
    except ImportError:
        return None
    return sqlite3


def _database_files(root: Path) -> list[Path]:
    return [root / f"{DATABASE}{suffix}" for suffix in ("", "-wal", "-shm", "-journal")]


MARKER = "CACHEDIR.TAG"  # the standard cache-directory tag: dlint made this folder
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is a result cache created by dlint.\n"
_ENTRY = regex(r"^(?:[0-9a-f]{2}|\.?[0-9a-f]{40}\.json(?:\.\d+)?)$")


def clean(root: Path) -> tuple[bool, str]:
    """Remove dlint's entries from a cache folder dlint made (its tag present), and the folder when
    nothing else is left in it. A folder without the tag is never touched: it may be anything."""
    if not root.is_dir():
        return False, "no cache"
    if not (root / MARKER).is_file():
        return False, "not a dlint cache (no CACHEDIR.TAG): left untouched"
    kept = []
    for child in root.iterdir():
        if child.name in (MARKER, ".gitignore"):
            continue
        if child.is_dir() and not child.is_symlink() and _is_version(child):
            databases = {p.name for p in _database_files(child)}
            for sub in child.iterdir():
                if sub.name in databases and sub.is_file() and not sub.is_symlink():
                    sub.unlink()
                elif sub.is_dir() and not sub.is_symlink() and _ENTRY.match(sub.name) and \
                        all(_ENTRY.match(f.name) and f.is_file() for f in sub.iterdir()):
                    shutil.rmtree(sub)  # an entry folder of an earlier dlint (a file an entry)
                else:
                    kept.append(sub)
            if not any(child.iterdir()):
                child.rmdir()
        else:
            kept.append(child)
    if kept:
        return True, f"removed dlint's entries; kept {len(kept)} other item(s)"
    for name in (MARKER, ".gitignore"):
        (root / name).unlink(missing_ok=True)
    root.rmdir()
    return True, "removed"


def _is_version(path: Path) -> bool:
    return bool(re.match(r"^\d+\.\d+", path.name))


def _plain(d: Diagnostic) -> dict[str, Any]:
    return {"code": d.code, "name": d.name, "severity": d.severity, "message": d.message,
            "span": [d.span.start, d.span.end], "help": d.help,
            "fix": None if d.fix is None else {"edits": [tuple(e) for e in d.fix.edits],
                                               "applicability": d.fix.applicability}}


def _diagnostic(d: dict[str, Any]) -> Diagnostic:
    """A finding read back from the cache, every field checked (a bad one raises: the entry is rebuilt)."""
    fix = d["fix"]
    start, end = d["span"]
    texts = (d["code"], d["name"], d["message"])
    if (not all(isinstance(t, str) for t in texts) or d["severity"] not in SEVERITIES
            or not (isinstance(d["help"], str) or d["help"] is None)
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)) or not 0 <= start <= end):
        raise ValueError("malformed finding")
    if fix is not None:
        edits = tuple(Edit(int(a), int(b), str(t)) for a, b, t in fix["edits"])
        if fix["applicability"] not in ("safe", "unsafe") or any(not 0 <= e.start <= e.end for e in edits):
            raise ValueError("malformed fix")
        fix = Fix(edits, fix["applicability"])
    return Diagnostic(d["code"], d["name"], d["severity"], d["message"], Span(start, end), d["help"], fix)


@cache
def _user_key() -> bytes:
    """A secret of this user's, kept outside any checked tree: entries it did not sign are not served
    (a cache folder shipped inside an audited repository cannot forge a verdict)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dlint"
    path = base / "cache-key"
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except OSError:
        pass
    key = secrets.token_bytes(32)
    try:
        base.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
    except FileExistsError:  # another process wrote it first
        return path.read_bytes()
    except OSError:
        pass  # no writable home: entries of this process only
    return key


def _mac(key: str, body: str) -> str:
    return hmac.new(_user_key(), f"{key}\0{body}".encode(), hashlib.sha256).hexdigest()
