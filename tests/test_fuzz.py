"""A short coverage-guided fuzz run of source -> parse -> check (the longer run: see fuzz/fuzz_check.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("atheris", reason="atheris is in the test extras where a wheel exists for this Python")

TARGET = Path(__file__).resolve().parent.parent / "fuzz" / "fuzz_check.py"


def test_short_fuzz_run_finds_no_crash(tmp_path):
    proc = subprocess.run([sys.executable, str(TARGET), str(tmp_path / "corpus"), "-runs=2500", "-max_len=30000",
                           f"-artifact_prefix={tmp_path}/"], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Done 2500 runs" in proc.stderr
    assert not list(tmp_path.glob("crash-*"))
