"""The pre-commit hook, installed from this repository by the real pre-commit (`try-repo`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CLEAN, SEED

ROOT = Path(__file__).resolve().parent.parent


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})


@pytest.fixture(scope="module")
def hook_home(tmp_path_factory):
    if not (ROOT / ".git").exists():
        pytest.skip("try-repo needs this project as a git checkout")
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(repo: Path, home: Path, *files: str) -> subprocess.CompletedProcess:
    pre_commit = [sys.executable, "-m", "pre_commit"]
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([*pre_commit, "try-repo", str(ROOT), "dlint", "--files", *files], cwd=repo,
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=900)


def test_hook_fails_on_a_bad_report_and_passes_on_a_good_one(tmp_path, hook_home):
    repo = tmp_path / "reports"
    repo.mkdir()
    git(repo, "init", "-q")
    shutil.copy(SEED, repo / "bad-2021.txt")
    shutil.copy(CLEAN, repo / "good-2023.txt")
    (repo / "README.md").write_text("# 我们的年度报告\n", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "reports")

    bad = try_repo(repo, hook_home, "bad-2021.txt", "README.md")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "bad-2021.txt:142:41: DL401" in bad.stdout  # concise output: not a terminal
    assert "README.md" not in bad.stdout.split("dlint (")[-1].split("\n", 1)[1]  # README is not a report

    good = try_repo(repo, hook_home, "good-2023.txt")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
