"""The Dask recipe on dask's local distributed scheduler gives what a serial run gives."""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys

import pytest
from conftest import FIXTURES

from disclosure_lint.api import lint_path, lint_text


def test_plain_api_is_picklable_data(tmp_path):
    shutil.copy(FIXTURES / "seed-2021-gongxinju.txt", tmp_path / "seed.txt")
    result = lint_path(tmp_path / "seed.txt")
    assert pickle.loads(pickle.dumps(result)) == result
    assert result["year"] == 2021 and any(d["code"] == "DL401" for d in result["diagnostics"])
    assert lint_text((tmp_path / "seed.txt").read_text(encoding="utf-8"), str(tmp_path / "seed.txt")) == result
    assert pickle.loads(pickle.dumps(lint_path)) is lint_path


def test_recipe_on_a_local_distributed_cluster_matches_the_serial_run(tmp_path):
    pytest.importorskip("distributed")
    reports = tmp_path / "reports"
    reports.mkdir()
    for f in FIXTURES.glob("*.txt"):
        shutil.copy(f, reports / f.name)
    out = tmp_path / "results.jsonl"
    proc = subprocess.run([sys.executable, "-m", "disclosure_lint.contrib.dask_batch", str(reports), str(out)],
                          capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    cluster = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    serial = json.loads(subprocess.run([sys.executable, "-m", "disclosure_lint", "check", str(reports), "--jobs", "1",
                                        "--no-cache", "--output-format", "json", "--select", "ALL", "--ignore", "DL6"],
                                       capture_output=True, text=True, encoding="utf-8").stdout)["files"]
    assert cluster == serial
