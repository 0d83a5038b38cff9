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


def test_published_forms_hook_reads_word_and_pdf(tmp_path, hook_home):
    from conftest import FIXTURES
    from publish import to_docx

    repo = tmp_path / "published"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "bad-2021.docx").write_bytes(to_docx(SEED.read_text(encoding="utf-8")))
    shutil.copy(FIXTURES / "dev-025.pdf", repo / "good-2024.pdf")
    shutil.copy(FIXTURES / "wrong-2023-pct-and-total.pdf", repo / "wrong-2023.pdf")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "reports")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    env = {**os.environ, "PRE_COMMIT_HOME": str(hook_home), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)

    def run(*files: str) -> subprocess.CompletedProcess:
        return subprocess.run([*pre_commit, "try-repo", str(ROOT), "dlint-published", "--files", *files], cwd=repo,
                              capture_output=True, text=True, encoding="utf-8", env=env, timeout=900)

    bad = run("bad-2021.docx", "wrong-2023.pdf")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "bad-2021.docx:" in bad.stdout and "DL401" in bad.stdout and "wrong-2023.pdf:" in bad.stdout
    good = run("good-2024.pdf")
    assert good.returncode == 0 and "DL006" not in good.stdout, good.stdout + good.stderr


def test_fix_hook_applies_the_safe_fixes(tmp_path, hook_home):
    repo = tmp_path / "fixing"
    repo.mkdir()
    git(repo, "init", "-q")
    text = CLEAN.read_text(encoding="utf-8")
    (repo / "r.txt").write_text(text.replace("扎实推进政府信息公开工作", "扎实推进 政府信息公开工作"), encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "report")
    env = {**os.environ, "PRE_COMMIT_HOME": str(hook_home), "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "dlint-fix", "--files", "r.txt"],
                          cwd=repo, capture_output=True, text=True, encoding="utf-8", env=env, timeout=900)
    assert proc.returncode == 1 and "files were modified by this hook" in proc.stdout, proc.stdout + proc.stderr
    assert (repo / "r.txt").read_text(encoding="utf-8") == text
