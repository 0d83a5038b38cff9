"""A check run over many files: settings per file (nearest configuration), one engine per distinct
rule selection, per-file ignores. The CLI and the batch tools share it."""

from __future__ import annotations

import bisect
import fnmatch
import gc
import os
import re
import signal
import sys
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import extract
from .api import FileResult, check_source
from .compiled import regex
from .config import Overrides, Settings
from .engine import Context, Engine, matches
from .safeio import read_bytes
from .source import MAX_PUBLISHED_BYTES, SourceError, digest, read_head, read_source

if TYPE_CHECKING:
    from .cache import Cache

REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".xhtml", ".shtml", ".aspx", ".jsp", ".docx", ".pdf", ".doc", ".wps")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


# A repository's own notes are not reports, whatever their suffix.
MARKED_TAG = ".dlint-annotated"  # written into a folder of marked copies: never collected as reports
NOT_REPORTS = regex(r"^(?:readme|changelog|changes|history|license|licence|copying|contributing|authors|notice|"
                         r"agents|code_of_conduct|security|todo)(?:\.[^.]*)?$", re.I)


@dataclass
class Collected:
    """The files to check, and how many were passed over in folders and why."""

    files: list[tuple[Path, str]] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # reason -> count


def collect(paths: list[str], exclude: Sequence[str] = (), respect_gitignore: bool = True) -> list[tuple[Path, str]]:
    return collect_files(paths, exclude, respect_gitignore).files


def collect_files(paths: list[str], exclude: Sequence[str] = (), respect_gitignore: bool = True) -> Collected:
    """Files named (always checked), and report files under folders named: sorted, hidden folders,
    the repository's notes (README, CHANGELOG, LICENSE …), files git ignores and `exclude` globs
    passed over."""
    out = Collected()
    for raw in paths:
        p = Path(raw)
        if not p.is_dir():
            out.files.append((p, raw))
            continue
        # a dangling link is kept: it is reported as unreadable rather than silently skipped; so is a
        # folder that cannot be listed. Entries by os.scandir: a folder's listing says which are files
        # and links, without a stat of each (os.walk and Path objects took most of collecting a batch).
        files: list[str] = []
        stack = [str(p)]
        while stack:
            folder = stack.pop()
            try:
                with os.scandir(folder) as listing:
                    entries = list(listing)
            except OSError:
                files.append(folder)
                continue
            for entry in entries:
                name = entry.name
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    if name.startswith("."):
                        continue
                    if os.path.isfile(os.path.join(entry.path, MARKED_TAG)):  # dlint's own marked copies
                        out.skipped["marked copies (dlint annotate)"] += 1
                    elif exclude and _excluded(Path(entry.path), p, exclude):
                        out.skipped["excluded"] += 1
                    elif not entry.is_symlink():  # a link to a folder is not followed
                        stack.append(entry.path)
                    continue
                if name.startswith(".") or os.path.splitext(name)[1].lower() not in REPORT_SUFFIXES:
                    continue
                try:
                    if not (entry.is_file() or (entry.is_symlink() and not os.path.exists(entry.path))):
                        continue
                except OSError:  # kept: reported as unreadable when it is checked
                    pass
                if NOT_REPORTS.match(name):
                    out.skipped["not a report (README, LICENSE …)"] += 1
                elif exclude and _excluded(Path(entry.path), p, exclude):
                    out.skipped["excluded"] += 1
                else:
                    files.append(entry.path)
        made: dict[str, Path] = {}
        for name in files:
            f = Path(name)
            made.setdefault(str(f), f)
        found = [made[name] for name in sorted(made, key=_path_order)]
        if respect_gitignore:
            ignored = _git_ignored(p, found)
            if ignored:
                out.skipped["ignored by git"] += len(ignored)
                found = [f for f in found if f not in ignored]
        out.files.extend((f, str(f)) for f in found)
    return out


def _path_order(name: str) -> list[str]:
    """The order of Paths (part by part, case-folded where the system folds case), read off their names."""
    return os.path.normcase(name).split(os.sep)


def _excluded(path: Path, root: Path, patterns: Sequence[str]) -> bool:
    if not patterns:
        return False
    rel = path.relative_to(root).as_posix()
    return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(path.name, g) or fnmatch.fnmatch(rel + "/", g)
               for g in patterns)


def _git_ignored(root: Path, files: list[Path]) -> set[Path]:
    """The files git ignores (.gitignore, .git/info/exclude, the global excludes), asked of git itself;
    nothing outside a repository or without git."""
    if not files or not _may_be_in_repository(root):
        return set()
    import subprocess

    real = _real_paths(files)
    try:
        proc = subprocess.run(["git", "-C", str(root), "check-ignore", "--stdin", "-z"],
                              input="\0".join(real).encode("utf-8", "surrogateescape"), capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return set()
    if proc.returncode not in (0, 1):  # 128: not a repository
        return set()
    names = {n for n in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if n}
    return {f for f, r in zip(files, real) if r in names}


def _may_be_in_repository(root: Path) -> bool:
    """Whether git could take `root` for part of a work tree: a `.git` in its real folder or above, or the
    environment naming a repository. Else git is not started (a third of collecting a folder's files; a
    supervisor's folder of submissions is no repository)."""
    if "GIT_DIR" in os.environ or "GIT_WORK_TREE" in os.environ:
        return True
    try:
        real = root.resolve()
    except (OSError, RuntimeError):
        return True
    return any(os.path.lexists(os.path.join(folder, ".git")) for folder in (real, *real.parents))


def _real_paths(files: list[Path]) -> list[str]:
    """Each file's resolved path. A file that is no link is its resolved folder's entry: each folder is
    resolved once, not once a file (a resolve reads every component of the path: a batch's slowest step
    before any report is read)."""
    folders: dict[str, str] = {}
    out = []
    join, split, islink = os.path.join, os.path.split, os.path.islink  # on the names: a Path costs as much again
    for f in files:
        folder, name = split(str(f))
        if islink(f):
            out.append(str(f.resolve()))
            continue
        parent = folders.get(folder)
        if parent is None:
            parent = folders[folder] = str(f.parent.resolve())
        out.append(join(parent, name))
    return out


def agency_key(agency: str | None) -> str:
    return "".join((agency or "").split())


def index_reports(files: list[tuple[Path, str]], jobs: int = 1,
                  meanwhile: Callable[[], None] | None = None) -> dict[tuple[str, int], str]:
    """(agency, year) -> path of every readable report, from its title: how a report finds the same
    body's report of the year before. Two reports claiming one (agency, year): the first by path wins.
    With several jobs the titles are read in parallel (PDFs are extracted for it): nothing that grows
    with the batch runs serially in the parent, which runs `meanwhile` while it waits."""
    paths = [path for path, _display in files]
    if jobs > 1 and len(paths) > 1:
        from .build import peek_title
        from .forkpool import available

        if available():  # what reading a title loads, loaded once for the workers, not once in each
            peek_title("")
        size = max(1, min(64, len(paths) // (jobs * 4)))
        chunks = [[str(p) for p in paths[k:k + size]] for k in range(0, len(paths), size)]
        read: dict[int, list[tuple[str | None, int | None]]] = {}
        with _workers(jobs, _init_peek) as pool:  # several chunks each: the workers read on while `meanwhile` runs
            for k, chunk_titles in pool.map_unordered(_peek_all, chunks, ahead=8, meanwhile=meanwhile):
                read[k] = chunk_titles
        titles = [title for k in range(len(chunks)) for title in read[k]]
    else:
        with alarms():
            titles = [_peek(path) for path in paths]
    index: dict[tuple[str, int], str] = {}
    for path, (agency, year) in zip(paths, titles):
        if agency and year:
            index.setdefault((agency_key(agency), year), str(path))
    return index


def _workers(jobs: int, initializer: Callable[..., None], initargs: tuple[Any, ...] = ()) -> Any:
    """Worker processes: forked (forkpool) where the system forks, else multiprocessing's spawning pool
    behind the same calls (Windows)."""
    from . import forkpool

    if forkpool.available():
        _prctl()  # looked up once, before the fork: the workers inherit it
        return forkpool.ForkPool(jobs, initializer, initargs)
    return _SpawnedPool(jobs, initializer, initargs)


class _SpawnedPool:
    """multiprocessing's pool of spawned workers, as forkpool.ForkPool is called."""

    def __init__(self, jobs: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
        import multiprocessing as mp

        self._pool = _quiet_pool_class()(jobs, initializer, initargs, context=mp.get_context("spawn"))

    def map_unordered(self, func: Callable[[Any], Any], items: Any, ahead: int = 2,
                      meanwhile: Callable[[], None] | None = None) -> Iterator[tuple[int, Any]]:
        results = self._pool.imap(func, items)
        if meanwhile is not None:
            meanwhile()
        yield from enumerate(results)

    def __enter__(self) -> _SpawnedPool:
        self._pool.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.__exit__(*exc)


@cache
def _quiet_pool_class() -> type:
    """A pool whose worker-keeping thread wakes when a worker exits or the pool's state changes.
    multiprocessing's own also waits on the results' pipe: it wakes at each result and spins until the
    result thread has read it, taking the workers' CPU. The pool's ThreadPool already waits this way."""
    from multiprocessing.pool import Pool

    class QuietPool(Pool):
        def _get_sentinels(self) -> list[Any]:
            notifier = getattr(self, "_change_notifier", None)  # private: where it is gone, the stock waiting
            return [notifier._reader] if notifier is not None else super()._get_sentinels()  # type: ignore[misc]

    return QuietPool


def _init_peek() -> None:
    """A worker's signals, whatever it reads: Ctrl-C the parent's, a time limit only arming the timer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _set_handler()  # each file's time limit only arms the timer
    _die_with_parent()


def _peek_all(paths: list[str]) -> list[tuple[str | None, int | None]]:
    return [_peek(path) for path in paths]


def _peek(path: Path | str) -> tuple[str | None, int | None]:
    from .build import peek_title

    try:
        with time_limit(_PEEK_LIMIT):  # a file too slow to read is reported when it is checked
            return peek_title(read_head(path))
    except (SourceError, TooSlow):
        return None, None


_PEEK_LIMIT = 10.0
_NEAR_MIN = 4  # the shortest name matched by its ending
_MODELS_KEPT = 16  # reports of one body sit together in a batch (sorted paths): its last year is near


class Runner:
    def __init__(self, overrides: Overrides, cache_dir: Path | None = None,
                 peers: dict[tuple[str, int], str] | None = None) -> None:
        self.overrides = overrides  # a language given on the command line is one of them
        self.cache_dir = cache_dir
        if cache_dir is not None:  # imported only then: its hashing loads OpenSSL, 7 ms of a start-up
            from .cache import Cache

            self.cache: Cache | None = Cache(cache_dir)
        else:
            self.cache = None
        extract.keep_readings_in(self.cache)  # a scanned page's reading is kept with the results
        self._engines: dict[tuple[Any, ...], Engine] = {}
        # path -> model of a report checked or read lately: last year's report or an aggregate's member is
        # built once and, when it was just checked, not again (bounded: memory stays flat in the batch)
        self._models: OrderedDict[str, Any] = OrderedDict()
        self._digests: dict[str, str] = {}
        self.use_peers(peers)
        self.keep_sources = False  # --fix and --diff need each source whole; other runs keep what they show
        self.keep_lines = True  # the text of the findings' lines: for the outputs and baselines that show it
        self.aggregates: dict[str, list[str]] = {}  # resolved aggregate path -> its members' paths (declared)
        self._settings: dict[Path, Settings] = {}

    def use_peers(self, peers: dict[tuple[str, int], str] | None) -> None:
        """The batch's title index: (agency, year) -> path."""
        self.peers = peers or {}
        self._titles = {path: title for title, path in self.peers.items()}  # path -> (agency, year)
        self._backwards_index: dict[int, list[tuple[str, str]]] | None = None

    def warm(self, path: Path) -> None:
        """Make what checking `path` needs (its settings' engine, the patterns a report's first reading
        compiles) by checking the bundled example report. The parent does it while the title index is
        read; the forked workers then start checking at once instead of each making it (72 ms)."""
        from .examples import example_report
        from .source import Source

        try:
            settings = self.settings(path)
            check_source(Source.from_text(example_report(), "<warm-up>"), self.engine(settings), Context(lang=settings.lang))
        except Exception:  # noqa: BLE001 - a configuration error is reported by the batch's own checks
            pass

    def engine(self, settings: Settings) -> Engine:
        key = settings.engine_key()
        if key not in self._engines:
            self._engines[key] = Engine(settings.rules_files, settings.select, settings.ignore,
                                        extend_select=settings.extend_select, severity=settings.severity,
                                        origin=str(settings.path) if settings.path else "")
        return self._engines[key]

    def settings(self, path: Path) -> Settings:
        """The settings of a file: those of its folder (the nearest configuration above it), found and
        read once a folder, not once a file."""
        folder = path if path.is_dir() else path.parent  # as find_config looks
        if folder not in self._settings:
            self._settings[folder] = self.overrides.settings_for(path)
        return self._settings[folder]

    def context(self, settings: Settings) -> Context:
        return Context(lang=settings.lang, year=settings.year, agency=settings.agency,
                       previous=self.previous if self.peers else None, similarity=settings.similarity)

    def previous_path(self, agency: str | None, year: int | None) -> str | None:
        """Last year's report of this agency: the same name, or else the one name that this one ends
        with or that ends with this one (洪泽区人民政府 / 淮安市洪泽区人民政府)."""
        if not agency or not year:
            return None
        key = agency_key(agency)
        if (key, year - 1) in self.peers:
            return self.peers[(key, year - 1)]
        if len(key) < _NEAR_MIN:
            return None
        # a name this one ends with: one of its own endings; a name ending with this one: the names of that
        # year written backwards, sorted, where those that start with this one written backwards stand together
        near = {self.peers[(key[i:], year - 1)] for i in range(1, len(key) - _NEAR_MIN + 1) if (key[i:], year - 1) in self.peers}
        backwards = self._backwards().get(year - 1, [])
        mirrored = key[::-1]
        i = bisect.bisect_left(backwards, (mirrored, ""))
        while i < len(backwards) and backwards[i][0].startswith(mirrored) and len(near) < 2:
            near.add(backwards[i][1])
            i += 1
        return near.pop() if len(near) == 1 else None

    def _backwards(self) -> dict[int, list[tuple[str, str]]]:
        """year -> (name written backwards, path) of every indexed report, sorted: one binary search per
        report instead of a scan of the whole index (a province's batch is 10⁵ reports), in memory the
        size of the index."""
        if self._backwards_index is None:
            self._backwards_index = {}
            for (key, year), path in self.peers.items():
                self._backwards_index.setdefault(year, []).append((key[::-1], path))
            for names in self._backwards_index.values():
                names.sort()
        return self._backwards_index

    def previous(self, report: Any) -> tuple[str, Any] | None:
        """Last year's report of the same body, parsed once however many reports need it."""
        path = self.previous_path(self.overrides.agency or report.agency, self.overrides.year or report.year)
        if path is None:
            return None
        model = self._model(path)
        return (path, model) if model is not None else None

    def _model(self, path: str) -> Any:
        """Another report's model, built once however many reports need it (None: unreadable)."""
        if path in self._models:
            self._models.move_to_end(path)
            return self._models[path]
        from .build import build

        try:
            model = build(read_source(path))
        except SourceError:
            model = None
        self._remember(path, model)
        return model

    def _remember(self, path: str, model: Any) -> None:
        self._models[path] = model
        if len(self._models) > _MODELS_KEPT:
            self._models.popitem(last=False)

    def _digest_of(self, path: str) -> str:
        """Another report's bytes' digest, read once: part of the cache key of the reports that use it."""
        if path not in self._digests:  # the bytes' digest: no need to decode or extract the file
            try:
                self._digests[path] = digest(read_bytes(path, MAX_PUBLISHED_BYTES))
            except OSError:
                self._digests[path] = "unreadable"
        return self._digests[path]

    def _previous_digest(self, path: Path, source: Any, settings: Settings) -> str:
        """Part of the cache key: a cached result is stale when last year's report changed."""
        if not self.peers:
            return ""
        titled = self._titles.get(str(path))  # read when the index was built; else read the head again
        if titled is None:
            from .build import peek_title

            titled = peek_title(source.text)
        agency, year = titled
        last = self.previous_path(settings.agency or agency, settings.year or year)
        if last is None:
            return ""
        return f"{last}:{self._digest_of(last)}"

    def members(self, path: Path) -> list[tuple[str, Any]] | None:
        """The declared members of an aggregate report, each parsed once (None: missing or unreadable)."""
        paths = self.aggregates.get(str(path.resolve()))
        if paths is None:
            return None
        return [(member, self._model(member)) for member in paths]

    def _members_digest(self, path: Path) -> str:
        """Part of the cache key: an aggregate's result is stale when a member's report changed."""
        return ":".join(self._digest_of(member) for member in self.aggregates.get(str(path.resolve()), ()))

    def check(self, path: Path, display: str) -> tuple[FileResult, Settings]:
        settings = self.settings(path)
        ctx = self.context(settings)
        if self.aggregates and str(path.resolve()) in self.aggregates:
            ctx.members = lambda _report, p=path: self.members(p)
        try:
            with time_limit(settings.time_limit):
                return self._check(path, display, settings, ctx), settings
        except TooSlow:
            return FileResult(display, None, None, self.engine(settings).input_error(
                "DL007", {"seconds": f"{settings.time_limit:g}"}, ctx.lang)), settings

    def _check(self, path: Path, display: str, settings: Settings, ctx: Context) -> FileResult:
        built = self._models.get(str(path))  # built already as another report's last year
        try:
            source = read_source(path, display, built.source if built is not None else None)
        except SourceError as exc:
            return FileResult(display, None, None, self.engine(settings).input_error(exc.code, exc.args_, ctx.lang))
        key = self.cache.key(source.digest + self._previous_digest(path, source, settings)
                             + (self._members_digest(path) if self.aggregates else ""), settings, ctx.lang) if self.cache else None
        cached = self.cache.get(key) if key else None
        if cached is not None:
            result = FileResult(display, source, None, cached["diagnostics"], cached["template"], cached["year"],
                                cached["agency"])
        else:  # the engine (rules, kinds, grammar) is only loaded when something must be checked
            engine = self.engine(settings)
            result = check_source(source, engine, ctx, built if built is not None and built.source.digest == source.digest else None)
            if self.peers and result.report is not None and str(path) in self._titles:
                self._remember(str(path), result.report)  # next year's report, checked later, reads it
            ignored = settings.ignored_for(str(path))
            if ignored:
                for selector in ignored:
                    engine.check_selector(selector, f"{settings.path}: per-file-ignores: ")
                result.diagnostics = [d for d in result.diagnostics if not any(matches(d.code, d.name, s) for s in ignored)]
            if key and not result.errors:
                self.cache.put(key, result)
        return result

    def run(self, files: list[tuple[Path, str]], jobs: int = 1) -> Iterator[tuple[FileResult, Settings]]:
        """Check files in order; with jobs > 1 in a process pool, results streamed back in input order."""
        groups = self._groups(files) if jobs > 1 and len(files) > 1 else []
        if len(groups) <= 1:  # one file, or one body's reports of several years: they share the cores by
            pages = extract.PAGE_JOBS  # their scanned pages, if any
            extract.read_pages_with(jobs)
            try:
                with _collected_every(_COLLECT_EVERY) as tick, alarms():
                    for path, display in files:
                        result, settings = self.check(path, display)
                        tick()
                        yield result.light(self.keep_sources, self.keep_lines), settings
            finally:
                extract.read_pages_with(pages)
                if self.cache is not None:
                    self.cache.flush()
            return
        from .forkpool import available

        tasks = _shrinking_chunks([[(i, *files[i]) for i in group] for group in groups], jobs)
        if self.cache is not None:
            self.cache.check_database()
        done: dict[int, tuple[FileResult, Settings]] = {}
        following = 0
        # forked workers take the engines made already (not pickled: spawned ones make their own)
        engines = self._engines if available() else {}
        with _workers(jobs, _init_worker, (self.overrides, self.cache_dir, self.peers,
                                           (self.keep_sources, self.keep_lines), self.aggregates, engines)) as pool:
            for _task, results in pool.map_unordered(_check_in_worker, tasks):
                for i, result, settings in results:
                    done[i] = (result, settings)
                while following in done:  # in input order: a group's later members wait for their turn
                    yield done.pop(following)
                    following += 1

    def _groups(self, files: list[tuple[Path, str]]) -> list[list[int]]:
        """The batch as the workers' tasks (indexes into `files`, each task in input order): a report and
        last year's, both in the batch, go to one worker, which builds last year's once for both (two
        workers would each read it: a scan's pages OCR'd twice)."""
        parent = list(range(len(files)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        if self.peers:
            where = {str(path): i for i, (path, _display) in enumerate(files)}
            for i, (path, _display) in enumerate(files):
                titled = self._titles.get(str(path))
                if titled is None:
                    continue
                last = self.previous_path(self.overrides.agency or titled[0], self.overrides.year or titled[1])
                j = where.get(last) if last else None
                if j is not None:
                    parent[root(j)] = root(i)
        groups: dict[int, list[int]] = {}
        for i in range(len(files)):
            groups.setdefault(root(i), []).append(i)
        return sorted(groups.values(), key=lambda group: group[0])


def _shrinking_chunks(groups: list[list[tuple[int, Path, str]]], jobs: int) -> list[list[tuple[int, Path, str]]]:
    """The groups as the workers' tasks, several to a task: up to 16 while many are left (fewer messages),
    fewer as the batch runs out, so that the workers finish together (with equal tasks, the last one
    kept a worker busy while the others waited)."""
    tasks = []
    k = 0
    while k < len(groups):
        size = max(1, min(16, (len(groups) - k) // (jobs * 4)))
        tasks.append([item for group in groups[k:k + size] for item in group])
        k += size
    return tasks


class TooSlow(BaseException):
    """One file took longer than its time limit. A BaseException: the per-rule and per-stage handlers
    that turn a crash into an internal error (`except Exception`) must let it through."""


def _expire(_signum: int, _frame: Any) -> None:
    raise TooSlow


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TooSlow in this thread after `seconds` (an interval timer: Unix, main thread only; elsewhere
    no limit). The handler runs between Python bytecodes, so any stage of the pipeline is interrupted.
    Inside `alarms()` the handler is set already: only the timer is armed (setting a handler is half the
    cost of a small report's reading)."""
    if not _can_alarm():
        yield
        return
    previous = _expire if _HANDLER_SET[0] else signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        if previous is not _expire:
            signal.signal(signal.SIGALRM, previous)


_HANDLER_SET = [False]  # whether _expire is SIGALRM's handler for good (signal.getsignal takes 2 µs to say)


@contextmanager
def alarms() -> Iterator[None]:
    """A batch's time limits: the handler set once for all its files, the one before it set back after."""
    if not _can_alarm() or _HANDLER_SET[0]:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    _HANDLER_SET[0] = True
    try:
        yield
    finally:
        _HANDLER_SET[0] = False
        signal.signal(signal.SIGALRM, previous)


def _set_handler() -> None:
    """A worker's time limits: the handler set for the worker's life."""
    if _can_alarm():
        signal.signal(signal.SIGALRM, _expire)
        _HANDLER_SET[0] = True


_WORKER: Runner | None = None


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when the parent dies, even by SIGKILL (no orphan runs on)."""
    prctl = _prctl()
    if prctl is None:
        return
    try:
        prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except OSError:
        return
    if os.getppid() == 1:  # the parent died before the call
        os._exit(1)


@cache
def _prctl() -> Any:
    """libc's prctl (None: not Linux, or not found). Looked up by the parent before it forks its workers,
    which inherit it: each would otherwise import ctypes on its own."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def _init_worker(overrides: Overrides, cache_dir: Path | None, peers: dict[tuple[str, int], str],
                 keep: tuple[bool, bool], aggregates: dict[str, list[str]], engines: dict[tuple[Any, ...], Engine]) -> None:
    _init_peek()
    global _WORKER
    _WORKER = Runner(overrides, cache_dir, peers)
    _WORKER.keep_sources, _WORKER.keep_lines = keep
    _WORKER.aggregates = aggregates
    _WORKER._engines.update(engines)
    gc.disable()  # collected every _COLLECT_EVERY reports (_worker_tick)


def _check_in_worker(task: list[tuple[int, Path, str]]) -> list[tuple[int, FileResult, Settings]]:
    assert _WORKER is not None
    out = []
    for i, path, display in task:
        result, settings = _WORKER.check(path, display)
        _WORKER_TICK()
        out.append((i, result.light(_WORKER.keep_sources, _WORKER.keep_lines), settings))
    if _WORKER.cache is not None:
        _WORKER.cache.flush()  # a worker leaves without its exit handlers: a task's results are written with it
    return out


# A report's objects are acyclic and freed as soon as its result is sent: the cyclic collector, run after
# every few thousand allocations, would only walk the reports kept for cross-year pairing again and
# again. A batch runs it every so many reports instead, so that memory stays flat all the same.
_COLLECT_EVERY = 500


@contextmanager
def _collected_every(n: int) -> Iterator[Any]:
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1
        if count % n == 0:
            gc.collect(0)  # what the last reports left: its survivors are the batch's kept results

    paused = gc.isenabled()
    gc.disable()
    try:
        yield tick
    finally:
        if paused:
            gc.enable()


def _worker_tick() -> None:
    _WORKER_COUNT[0] += 1
    if _WORKER_COUNT[0] % _COLLECT_EVERY == 0:
        gc.collect(0)


_WORKER_COUNT = [0]
_WORKER_TICK = _worker_tick


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def fails(result: FileResult, settings: Settings) -> bool:
    floor = SEVERITY_RANK[settings.fail_on]
    return any(SEVERITY_RANK[d.severity] >= floor for d in result.diagnostics)


def load_aggregates(path: Path) -> dict[str, list[str]]:
    """The declared groupings: `aggregates:` a list of {report: PATH, members: [PATH, …]}, paths relative to
    the file. Returns resolved aggregate path -> member paths."""
    from .yamlload import ConfigError, load_yaml

    data = load_yaml(path)
    entries = data.get("aggregates") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: expected `aggregates:`, a list of {{report: FILE, members: [FILE, …]}}")
    base = path.parent
    out: dict[str, list[str]] = {}
    for i, entry in enumerate(entries):
        report = entry.get("report") if isinstance(entry, dict) else None
        members = entry.get("members") if isinstance(entry, dict) else None
        if not isinstance(report, str) or not isinstance(members, list) or not members \
                or not all(isinstance(m, str) for m in members):
            raise ConfigError(f"{path}: aggregates[{i}] needs `report:` (a file) and `members:` (a list of files)")
        out[str((base / report).resolve())] = [str(base / m) for m in members]
    return out
