"""The forked workers of a `--jobs` batch: every task's result, errors and a dead worker brought back to
the parent, large messages through the pipes, and no process left behind."""

from __future__ import annotations

import os
import signal

import pytest

from disclosure_lint import forkpool

pytestmark = pytest.mark.skipif(not forkpool.available(), reason="a system that forks")


def _square(x: int) -> int:
    return x * x


def _echo(x: str) -> str:
    return x[::-1]


def _fails(x: int) -> int:
    if x == 7:
        raise ValueError(f"bad item {x}")
    return x


def _dies(x: int) -> int:
    if x == 5:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def _gone(pids: list[int]) -> bool:
    """Each worker ended and reaped by the pool (no zombie, no orphan)."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return bool(pids)


def _pids(pool: forkpool.ForkPool) -> list[int]:
    return [w.pid for w in pool._workers]


def test_every_item_comes_back_with_its_index():
    with forkpool.ForkPool(3, lambda: None) as pool:
        pids = _pids(pool)
        got = dict(pool.map_unordered(_square, range(200)))
        again = dict(pool.map_unordered(_square, [3, 4], ahead=1))  # a pool serves several maps
    assert got == {i: i * i for i in range(200)} and again == {0: 9, 1: 16}
    assert _gone(pids)


def test_messages_larger_than_a_pipe_pass_both_ways():
    items = [str(i) * 300_000 for i in range(6)]  # 300 KB to 1.8 MB each, results as large
    with forkpool.ForkPool(2, lambda: None) as pool:
        got = dict(pool.map_unordered(_echo, items, ahead=3))
    assert got == {i: item[::-1] for i, item in enumerate(items)}


def test_an_error_in_a_task_is_raised_in_the_parent_and_the_workers_stop():
    with pytest.raises(ValueError, match="bad item 7"), forkpool.ForkPool(2, lambda: None) as pool:
        pids = _pids(pool)
        for _ in pool.map_unordered(_fails, range(20)):
            pass
    assert _gone(pids)


def test_a_worker_that_dies_is_an_error_not_a_hang():
    with pytest.raises(forkpool.WorkerFailed, match="signal 9"), forkpool.ForkPool(2, lambda: None) as pool:
        pids = _pids(pool)
        for _ in pool.map_unordered(_dies, range(20), ahead=1):
            pass
    assert _gone(pids)


def test_meanwhile_runs_once_while_the_workers_have_their_first_items(tmp_path):
    calls = []
    with forkpool.ForkPool(2, lambda: None) as pool:
        got = []
        for i, value in pool.map_unordered(_square, range(40), ahead=4, meanwhile=lambda: calls.append(len(got))):
            got.append((i, value))
    assert calls == [0] and sorted(got) == [(i, i * i) for i in range(40)]


def test_the_initializer_runs_in_each_worker_before_its_tasks(tmp_path):
    marks = tmp_path / "marks"

    def mark() -> None:
        with open(marks, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()}\n")

    with forkpool.ForkPool(3, mark) as pool:
        assert dict(pool.map_unordered(_square, range(9))) == {i: i * i for i in range(9)}
    pids = marks.read_text(encoding="utf-8").split()
    assert len(pids) == len(set(pids)) == 3 and str(os.getpid()) not in pids
