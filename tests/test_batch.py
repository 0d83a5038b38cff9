"""Batch runs: parallel output identical to serial, the cache, bad files amid good ones, Ctrl-C."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CLEAN, FIXTURES, SEED, cache_entries, set_cache_entry
from hypothesis import given, settings
from hypothesis import strategies as st


def dlint(cwd: Path, *args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "disclosure_lint", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, **kw)


@pytest.fixture
def reports(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for f in [*FIXTURES.glob("*.txt")]:
        shutil.copy(f, folder / f.name)
    return folder


def test_parallel_output_is_byte_identical_to_serial(reports):
    one = dlint(reports.parent, "check", "reports", "--jobs", "1", "--no-cache", "--output-format", "json")
    two = dlint(reports.parent, "check", "reports", "--jobs", "2", "--no-cache", "--output-format", "json")
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    paths = [f["path"] for f in json.loads(one.stdout)["files"]]
    assert paths == sorted(paths) and len(paths) == len(list(reports.iterdir()))


def test_workers_start_with_the_engine_the_parent_made_while_the_titles_were_read(reports, tmp_path, monkeypatch,
                                                                                  capsys):
    """With several jobs the parent makes the engine while the workers read the titles; the check's
    workers are forked with it and make none of their own (each spent 80 ms on it before checking)."""
    import disclosure_lint.runner as runner_module
    from disclosure_lint.cli import main

    made = tmp_path / "engines-made-by"

    class Recorded(runner_module.Engine):
        def __init__(self, *args, **kwargs):
            with open(made, "a", encoding="utf-8") as fh:
                fh.write(f"{os.getpid()}\n")
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(runner_module, "Engine", Recorded)
    assert main(["check", str(reports), "--jobs", "2", "--no-cache", "-q", "--output-format", "json"]) == 1
    assert len(json.loads(capsys.readouterr().out)["files"]) == len(list(reports.iterdir()))
    assert made.read_text(encoding="utf-8").split() == [str(os.getpid())]


def _numbered_reports(tmp_path, count):
    files = []
    for n in range(count):
        (tmp_path / f"r{n:02d}.txt").write_text(CLEAN.read_text(encoding="utf-8").replace("教育局", f"第{n}教育局"),
                                                encoding="utf-8")
        files.append((tmp_path / f"r{n:02d}.txt", f"r{n:02d}.txt"))
    return files


PARENT_PROBE = """
import sys, threading
from disclosure_lint import runner
threads = []
run = runner.Runner.run
def counted(self, files, jobs=1):
    for item in run(self, files, jobs):
        threads.append(threading.active_count())
        yield item
runner.Runner.run = counted
from disclosure_lint.cli import main
code = main(["check", sys.argv[1], "--jobs", "2", "--no-cache", "-q", "--output-format", "json"])
print(code, len(threads), max(threads), "multiprocessing" in sys.modules, file=sys.stderr)
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers")
def test_a_batchs_parent_runs_one_thread_and_no_multiprocessing(tmp_path):
    """`--jobs`: the parent writes the tasks and reads the results itself, without multiprocessing's pool
    (its import, its three threads a pool, a thread handing over each result)."""
    _numbered_reports(tmp_path, 30)
    proc = subprocess.run([sys.executable, "-c", PARENT_PROBE, str(tmp_path)], capture_output=True, text=True)
    assert len(json.loads(proc.stdout)["files"]) == 30
    assert proc.stderr.split()[-4:] == ["0", "30", "1", "False"], proc.stderr


def test_the_spawned_pools_worker_thread_does_not_wake_at_every_result(tmp_path, monkeypatch):
    """Where the system does not fork (Windows), multiprocessing's spawning pool runs the batch: its thread
    that keeps the workers wakes for a worker's exit or the pool's closing, not for each result arriving
    (it then spun until the result was read, taking the parent's CPU from the workers)."""
    import disclosure_lint.runner as runner_module
    from disclosure_lint import forkpool
    from disclosure_lint.config import Overrides

    files = _numbered_reports(tmp_path, 60)
    from multiprocessing.pool import Pool

    wakes = []
    real = Pool._maintain_pool  # called at each wake of the thread (Pool's own, whatever the subclass)

    def counted(*args):  # the real upkeep, counted: one call a wake of the thread
        wakes.append(1)
        return real(*args)

    monkeypatch.setattr(Pool, "_maintain_pool", staticmethod(counted))
    monkeypatch.setattr(forkpool, "available", lambda: False)
    runner = runner_module.Runner(Overrides(), None, runner_module.index_reports(files, 2))
    results = [result for result, _settings in runner.run(files, jobs=2)]
    assert [r.path for r in results] == [display for _path, display in files]
    assert 0 < len(wakes) < 10  # the stock pool: some 900 wakes here, spinning while results wait to be read


def test_cache_rechecks_only_the_changed_report(reports, tmp_path):
    cache = tmp_path / "cache"
    fresh = dlint(reports.parent, "check", "reports", "--no-cache", "--output-format", "json").stdout
    first = dlint(reports.parent, "check", "reports", "--cache-dir", str(cache), "--output-format", "json").stdout
    entries = set(cache_entries(cache))
    assert first == fresh and len(entries) == len(list(reports.iterdir()))
    assert (cache / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")
    again = dlint(reports.parent, "check", "reports", "--cache-dir", str(cache), "--output-format", "json").stdout
    assert again == fresh and set(cache_entries(cache)) == entries  # all served from the cache
    seed = reports / SEED.name
    seed.write_text(seed.read_text(encoding="utf-8").replace("扩 大民主", "扩大民主"), encoding="utf-8")
    after = dlint(reports.parent, "check", "reports", "--cache-dir", str(cache), "--output-format", "json")
    assert len(set(cache_entries(cache)) - entries) == 1  # only the edited report was checked again
    assert after.stdout == dlint(reports.parent, "check", "reports", "--no-cache", "--output-format", "json").stdout


def test_settings_are_part_of_the_cache_key(reports, tmp_path):
    cache = str(tmp_path / "cache")
    dlint(reports.parent, "check", "reports", "--cache-dir", cache)
    only = dlint(reports.parent, "check", "reports", "--cache-dir", cache, "--select", "DL4", "--output-format", "json")
    codes = {d["code"] for f in json.loads(only.stdout)["files"] for d in f["diagnostics"]}
    assert codes and all(c.startswith("DL4") for c in codes)


def test_corrupt_cache_warns_and_is_rebuilt(reports, tmp_path):
    cache = tmp_path / "cache"
    expected = dlint(reports.parent, "check", "reports", "--cache-dir", str(cache), "--output-format", "json").stdout
    from disclosure_lint.cache import _mac

    entries = cache_entries(cache)
    for key in entries:  # signed, so that only the body is wrong
        set_cache_entry(cache, key, "{not json", _mac(key, "{not json"))
    proc = dlint(reports.parent, "check", "reports", "--cache-dir", str(cache), "--output-format", "json", "--jobs", "1")
    assert proc.stdout == expected
    assert proc.stderr.count("is corrupt") == 1
    assert set(cache_entries(cache)) == set(entries)
    assert all(json.loads(body) for body, _mac_ in cache_entries(cache).values())


def test_a_cache_database_that_is_not_one_warns_and_is_rebuilt(reports, tmp_path):
    from disclosure_lint import __version__
    from disclosure_lint.cache import DATABASE

    cache = tmp_path / "cache"
    expected = dlint(reports.parent, "check", "reports", "--cache-dir", str(cache), "--output-format", "json").stdout
    entries = cache_entries(cache)
    for suffix in ("-wal", "-shm"):  # the workers' log, which holds the first page too, gone with it
        (cache / __version__ / f"{DATABASE}{suffix}").unlink(missing_ok=True)
    (cache / __version__ / DATABASE).write_bytes(b"not a database, " * 500)  # a disk error, a stray copy
    proc = dlint(reports.parent, "check", "reports", "--cache-dir", str(cache), "--output-format", "json", "--jobs", "2")
    assert proc.returncode == 1 and proc.stdout == expected and proc.stderr.count("is corrupt") == 1  # not a worker
    assert set(cache_entries(cache)) == set(entries)  # made anew


def test_clean_removes_the_cache(reports, tmp_path):
    cache = tmp_path / "cache"
    dlint(reports.parent, "check", "reports", "--cache-dir", str(cache))
    assert cache.exists()
    assert dlint(reports.parent, "clean", "--cache-dir", str(cache)).returncode == 0
    assert not cache.exists()


def test_bad_files_are_findings_and_the_batch_goes_on(reports):
    (reports / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (reports / "empty.txt").write_bytes(b"")
    (reports / "latin1.txt").write_bytes("caf\xe9 ".encode("latin-1") * 3 + b"\xff\xfe\xfd\x80")
    (reports / "folder.txt").mkdir()
    (reports / "dangling.txt").symlink_to(reports / "nowhere.txt")
    proc = dlint(reports.parent, "check", "reports", "--jobs", "2", "--no-cache", "--output-format", "json")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    by_name = {Path(f["path"]).name: [d["code"] for d in f["diagnostics"]] for f in json.loads(proc.stdout)["files"]}
    assert by_name["binary.txt"] == ["DL001"] and by_name["empty.txt"] == ["DL005"]
    assert by_name["dangling.txt"] == ["DL004"]
    assert "DL401" in by_name[SEED.name]  # the good reports were all checked
    assert "folder.txt" not in by_name  # a folder named like a report is searched, not read


def test_a_rule_that_crashes_is_an_internal_error_but_the_rest_runs(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text("rules:\n  - code: XX501\n    name: broken-pack\n    kind: prose-number\n    severity: warning\n"
                    "    params: {checks: [{what: x}]}\n    summary: {zh: 坏, en: broken}\n    why: {zh: 坏, en: broken}\n"
                    "    message: {zh: 坏, en: broken}\n", encoding="utf-8")
    shutil.copy(SEED, tmp_path / "seed.txt")
    shutil.copy(CLEAN, tmp_path / "clean.txt")
    proc = dlint(tmp_path, "check", "seed.txt", "clean.txt", "--rules-file", str(pack), "--no-cache",
                 "--output-format", "concise")
    assert proc.returncode == 2
    assert "internal error in XX501" in proc.stderr and "Traceback" not in proc.stderr
    assert "seed.txt:142:41: DL401" in proc.stdout  # the other rules still ran


def test_ctrl_c_stops_cleanly(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    text = (FIXTURES / "dev-025.txt").read_text(encoding="utf-8")
    for i in range(600):
        (folder / f"{i:04d}.txt").write_text(text.replace("3001", str(3001 + i)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "disclosure_lint", "check", str(folder), "--jobs", "2", "--no-cache"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    time.sleep(1.5)
    assert proc.poll() is None, "the run finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "Traceback" not in err and "已中断" in err
    time.sleep(0.5)
    # no worker is left behind
    left = subprocess.run(["pgrep", "-f", f"disclosure_lint check {folder}"], capture_output=True, text=True).stdout
    assert not left.strip()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_permission_denied_is_a_finding(tmp_path):
    locked = tmp_path / "locked.txt"
    shutil.copy(SEED, locked)
    locked.chmod(0)
    proc = dlint(tmp_path, "check", "locked.txt", "--output-format", "json", "--no-cache")
    assert [d["code"] for d in json.loads(proc.stdout)["files"][0]["diagnostics"]] == ["DL004"]


def test_parallel_workers_creating_the_cache_at_once_lose_no_entry(tmp_path):
    # workers released together all make their first write into a cache folder that does not exist yet
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(8)
    root = tmp_path / "cache"
    workers = [ctx.Process(target=_put_one, args=(root, i, barrier)) for i in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
    assert len(cache_entries(root)) == 8
    from disclosure_lint.cache import Cache

    assert Cache(root).get(f"{0:040x}") is not None


def test_a_batch_keeps_its_cache_in_one_file_and_lists_the_rules_once(tmp_path, monkeypatch):
    """A batch's entries are rows of one database, not a file each (a new file is a new inode: 0.75 ms of the
    kernel's time apiece on ext4), and the rule files are listed once a run, not at every report's key."""
    from disclosure_lint.api import FileResult
    from disclosure_lint.cache import Cache
    from disclosure_lint.config import Settings

    listed = []
    real_glob = Path.glob
    monkeypatch.setattr(Path, "glob", lambda self, *a, **k: (listed.append(self), real_glob(self, *a, **k))[1])
    folder = tmp_path / "cache"
    cache = Cache(folder)
    keys = [cache.key(f"digest {i}", Settings(), "zh") for i in range(300)]
    assert len(set(keys)) == 300 and len(listed) == 1  # the rule files listed once, not once an entry
    for i, key in enumerate(keys):
        cache.put(key, FileResult(f"r{i}.txt", None, None, [], "2021", 2023, f"某局{i}"))
    assert [cache.get(key)["agency"] for key in keys] == [f"某局{i}" for i in range(300)]  # written or not yet
    cache.flush()
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert len(files) <= 5 and set(cache_entries(folder)) == set(keys)  # 302 files before
    assert [cache.get(key)["agency"] for key in keys] == [f"某局{i}" for i in range(300)]
    assert (folder / ".gitignore").is_file() and (folder / "CACHEDIR.TAG").is_file()


def test_a_batchs_results_are_written_many_to_a_transaction(tmp_path):
    """A transaction a result cost a first run as much again as the rows (each commit writes its pages to
    the log again): a batch's results are written 64 at a time, and the rest at its end."""
    from disclosure_lint.api import FileResult
    from disclosure_lint.cache import Cache
    from disclosure_lint.config import Settings

    cache = Cache(tmp_path / "cache")
    statements: list[str] = []
    cache.put_raw("opened", "{}")  # the database made, its connection traced from here on
    cache._connect(create=True).set_trace_callback(statements.append)
    keys = [cache.key(f"digest {i}", Settings(), "zh") for i in range(200)]
    for i, key in enumerate(keys):
        cache.put(key, FileResult(f"r{i}.txt", None, None, [], "2021", 2023, f"某局{i}"))
    assert len(cache_entries(tmp_path / "cache")) == 1 + 3 * 64  # three batches written, eight results kept
    cache.flush()
    transactions, open_ = 0, False
    for sql in statements:
        word = sql.split()[0].upper()
        if word == "BEGIN":
            transactions, open_ = transactions + 1, True
        elif word in ("COMMIT", "ROLLBACK"):
            open_ = False
        elif word == "INSERT" and not open_:
            transactions += 1  # a statement of its own: a transaction of its own
    assert transactions == 4 and set(cache_entries(tmp_path / "cache")) == {"opened", *keys}


def test_a_batchs_last_results_are_written_when_it_ends(tmp_path):
    for i in range(3):  # three reports (an entry is keyed by the bytes)
        (tmp_path / f"r{i}.txt").write_text(SEED.read_text(encoding="utf-8") + "\n" * (i + 1), encoding="utf-8")
    proc = dlint(tmp_path, "check", ".", "--cache-dir", "cache", "--jobs", "2", "--output-format", "json")
    assert proc.returncode == 1 and len(cache_entries(tmp_path / "cache")) == 3
    proc = dlint(tmp_path, "check", "r0.txt", "--cache-dir", "cache2")
    assert proc.returncode == 1 and len(cache_entries(tmp_path / "cache2")) == 1


def test_results_put_and_not_flushed_are_written_at_exit(tmp_path):
    code = ("import sys\nfrom pathlib import Path\nfrom disclosure_lint.api import FileResult\n"
            "from disclosure_lint.cache import Cache\n"
            "cache = Cache(Path(sys.argv[1]))\n"
            "for i in range(3):\n"
            "    cache.put(f'{i:040x}', FileResult('r.txt', None, None, [], '2021', 2023, '某局'))\n")
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "cache")], check=True)
    assert set(cache_entries(tmp_path / "cache")) == {f"{i:040x}" for i in range(3)}


def test_a_python_without_sqlite3_checks_without_the_cache(tmp_path, monkeypatch):
    from disclosure_lint import cache as cache_module
    from disclosure_lint.api import FileResult

    monkeypatch.setitem(sys.modules, "sqlite3", None)  # how a Python built without it fails the import
    cache_module._sqlite3.cache_clear()
    try:
        cache = cache_module.Cache(tmp_path / "cache")
        cache.put(f"{1:040x}", FileResult("r.txt", None, None, [], "2021", 2023, "某局"))
        assert cache.get(f"{1:040x}") is None and not (tmp_path / "cache").exists()
        cache.check_database()
    finally:
        cache_module._sqlite3.cache_clear()


def _put_one(root, i, barrier):
    from disclosure_lint.api import FileResult
    from disclosure_lint.cache import Cache

    cache = Cache(root)
    result = FileResult(f"r{i}.txt", None, None, [], "2021", 2023, "某局")
    barrier.wait()
    cache.put(f"{i:040x}", result)
    cache.flush()  # a forked process leaves without its exit handlers, as a worker does after each task


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 4), max_size=300), st.integers(1, 8))
def test_the_workers_tasks_shrink_as_the_batch_runs_out(sizes, jobs):
    """Every group goes to one task whole and in order; tasks hold up to 16 groups while many are left and
    one each at the end, so that no worker is left with a long task while the others wait."""
    from disclosure_lint.runner import _shrinking_chunks

    groups, i = [], 0
    for size in sizes:
        groups.append([(k, Path(f"{k}.txt"), f"{k}.txt") for k in range(i, i + size)])
        i += size
    tasks = _shrinking_chunks(groups, jobs)
    assert [item for task in tasks for item in task] == [item for group in groups for item in group]
    starts = {group[0][0]: len(group) for group in groups}
    per_task = []
    for task in tasks:
        k, count = 0, 0
        while k < len(task):
            assert task[k][0] in starts  # a task starts where a group starts and holds it whole
            k += starts[task[k][0]]
            count += 1
        assert k == len(task)
        per_task.append(count)
    assert per_task == sorted(per_task, reverse=True) and all(1 <= c <= 16 for c in per_task)
    assert not groups or per_task[-1] == 1
