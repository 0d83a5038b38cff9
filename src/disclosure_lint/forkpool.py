"""Worker processes forked from this one, each fed through its own pair of pipes (POSIX).

multiprocessing's Pool cost a `--jobs` batch some 30 ms before its first report: its import, three threads
started in each pool (the titles' and the checks'), and in the parent a thread that wakes for every result
and hands it over to the main thread under a lock. Here the parent's one thread writes the tasks and reads
the results with `select`; a worker reads a task, runs it and writes its result. Nothing is shared but the
forked memory: what the parent made before the fork (the engine, the compiled patterns) the workers have.
Where `os.fork` is missing (Windows), the runner uses multiprocessing's spawning pool instead.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .safeio import read_upto

_SIZE = struct.Struct("!Q")  # a message: its length, then its pickle
_READ = 1 << 16


class WorkerFailed(RuntimeError):
    """A worker died (killed, out of memory) or its result could not be sent back."""


class _Worker:
    def __init__(self, pid: int, tasks: int, results: int) -> None:
        self.pid, self.tasks, self.results = pid, tasks, results
        self.out = bytearray()  # what is still to be written to it
        self.into = bytearray()  # what it has written that is not a whole message yet
        self.pending: deque[int] = deque()  # the tasks it holds, in the order given


def available() -> bool:
    return hasattr(os, "fork")


class ForkPool:
    """`jobs` workers, each running `initializer(*initargs)` once, then the tasks it is given."""

    def __init__(self, jobs: int, initializer: Callable[..., None], initargs: tuple[Any, ...] = ()) -> None:
        self._workers: list[_Worker] = []
        try:
            for _ in range(jobs):
                self._workers.append(self._start(initializer, initargs))
        except BaseException:
            self.close(kill=True)
            raise

    def _start(self, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> _Worker:
        task_r, task_w = os.pipe()
        result_r, result_w = os.pipe()
        for stream in (sys.stdout, sys.stderr):  # nothing buffered twice
            with contextlib.suppress(AttributeError, OSError, ValueError):
                stream.flush()
        pid = os.fork()
        if pid == 0:  # the worker: never returns, never runs the parent's exit handlers or flushes its buffers
            code = 1
            try:
                os.close(task_w)
                os.close(result_r)
                for other in self._workers:  # the other workers' pipes: theirs to close
                    os.close(other.tasks)
                    os.close(other.results)
                initializer(*initargs)
                _serve(task_r, result_w)
                code = 0
            finally:
                os._exit(code)
        os.close(task_r)
        os.close(result_w)
        os.set_blocking(task_w, False)
        os.set_blocking(result_r, False)
        return _Worker(pid, task_w, result_r)

    def map_unordered(self, func: Callable[[Any], Any], items: Iterable[Any], ahead: int = 2,
                      meanwhile: Callable[[], None] | None = None) -> Iterator[tuple[int, Any]]:
        """(index, func(item)) for every item, as the workers finish them. Each worker holds up to `ahead`
        items at a time (more keep it busy while the parent is busy elsewhere, fewer share out the end);
        `meanwhile` runs in the parent once the first items are on their way."""
        todo = enumerate(items)
        left = 0
        while True:
            for w in self._workers:
                while len(w.pending) < ahead:
                    nxt = next(todo, None)
                    if nxt is None:
                        break
                    i, item = nxt
                    data = pickle.dumps((func, item), pickle.HIGHEST_PROTOCOL)
                    w.out += _SIZE.pack(len(data)) + data
                    w.pending.append(i)
                    left += 1
            if left == 0:
                return
            if meanwhile is not None:
                for w in self._workers:
                    self._send(w)
                meanwhile()
                meanwhile = None
            for w, message in self._exchange():
                ok, value = pickle.loads(message)
                i = w.pending.popleft()
                left -= 1
                if not ok:
                    raise value
                yield i, value

    def _exchange(self) -> list[tuple[_Worker, bytes]]:
        """Write what can be written and read what has arrived; the whole messages read."""
        writing = [w.tasks for w in self._workers if w.out]
        readable, writable, _ = select.select([w.results for w in self._workers], writing, [])
        by_fd = {w.tasks: w for w in self._workers} | {w.results: w for w in self._workers}
        for fd in writable:
            self._send(by_fd[fd])
        messages = []
        for fd in readable:
            w = by_fd[fd]
            chunk = os.read(fd, _READ)
            if not chunk:
                raise self._died(w)
            w.into += chunk
            while len(w.into) >= _SIZE.size:
                (size,) = _SIZE.unpack_from(w.into)
                if len(w.into) < _SIZE.size + size:
                    break
                messages.append((w, bytes(w.into[_SIZE.size:_SIZE.size + size])))
                del w.into[:_SIZE.size + size]
        return messages

    def _send(self, w: _Worker) -> None:
        """As much of what is due to the worker as its pipe takes now."""
        if not w.out:
            return
        try:
            sent = os.write(w.tasks, w.out)
        except BlockingIOError:
            return
        except BrokenPipeError:
            raise self._died(w) from None
        del w.out[:sent]

    def _died(self, w: _Worker) -> WorkerFailed:
        _pid, status = os.waitpid(w.pid, 0)
        self._workers.remove(w)
        os.close(w.tasks)
        os.close(w.results)
        how = f"signal {-os.waitstatus_to_exitcode(status)}" if os.WIFSIGNALED(status) else \
            f"exit code {os.waitstatus_to_exitcode(status)}"
        return WorkerFailed(f"a worker process stopped ({how})")

    def close(self, kill: bool = False) -> None:
        """Let the workers finish (their task pipe closed: each leaves when it reads its end), or `kill`
        them (an error, Ctrl-C, SIGTERM); either way wait for them: no process is left behind."""
        for w in self._workers:
            if kill:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(w.pid, signal.SIGKILL)
            os.close(w.tasks)
        for w in self._workers:
            os.close(w.results)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(w.pid, 0)
        self._workers = []

    def __enter__(self) -> ForkPool:
        return self

    def __exit__(self, kind: object, *_rest: object) -> None:
        self.close(kill=kind is not None)


def _serve(tasks: int, results: int) -> None:
    """A worker's loop: a task in, its result out, until the parent closes the task pipe."""
    while True:
        header = _read_exactly(tasks, _SIZE.size)
        if header is None:
            return
        message = _read_exactly(tasks, _SIZE.unpack(header)[0])
        if message is None:
            return
        func, item = pickle.loads(message)
        try:
            out: tuple[bool, Any] = (True, func(item))
        except Exception as exc:  # noqa: BLE001 - raised again in the parent
            out = (False, exc)
        try:
            data = pickle.dumps(out, pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - a result or an error that cannot travel
            data = pickle.dumps((False, WorkerFailed(f"a result could not be sent back: {exc!r}")))
        view = memoryview(_SIZE.pack(len(data)) + data)
        while view:
            view = view[os.write(results, view):]


def _read_exactly(fd: int, size: int) -> bytes | None:
    """`size` bytes from the pipe, or None at its end."""
    data = read_upto(fd, size)
    return data if len(data) == size else None
