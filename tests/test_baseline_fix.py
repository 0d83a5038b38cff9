"""Suppression by baseline, and safe fixes written atomically in the file's own encoding."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CLEAN, FIXTURES, SEED


def dlint(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "disclosure_lint", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd)


def findings(proc: subprocess.CompletedProcess) -> list[tuple[str, str, int]]:
    return [(Path(f["path"]).name, d["code"], d["line"]) for f in json.loads(proc.stdout)["files"] for d in f["diagnostics"]]


@pytest.fixture
def corpus(tmp_path):
    """Every real report among the fixtures, plus the seed, in a folder of their own."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for f in [*FIXTURES.glob("dev-*.txt"), SEED]:
        shutil.copy(f, folder / f.name)
    return tmp_path


def test_baseline_silences_todays_findings_and_shows_only_new_ones(corpus):
    before = findings(dlint(corpus, "check", "reports", "--format", "json", "--isolated"))
    assert len(before) > 20
    written = dlint(corpus, "check", "reports", "--write-baseline", "dlint-baseline.json", "--isolated")
    assert written.returncode == 0 and f"的{len(before)}个问题记入基线" in written.stderr
    again = dlint(corpus, "check", "reports", "--format", "json", "--baseline", "dlint-baseline.json", "--isolated")
    assert again.returncode == 0 and findings(again) == []

    # one number changed in the clean control: only the findings that change causes appear
    report = corpus / "reports" / "dev-025.txt"
    text = report.read_text(encoding="utf-8")
    assert "一、本年新收政府信息公开申请数量 3001 53" in text
    report.write_text(text.replace("一、本年新收政府信息公开申请数量 3001 53", "一、本年新收政府信息公开申请数量 3002 53"),
                      encoding="utf-8")
    new = dlint(corpus, "check", "reports", "--format", "json", "--baseline", "dlint-baseline.json", "--isolated")
    got = findings(new)
    assert got and {name for name, _, _ in got} == {"dev-025.txt"}
    assert sorted(code for _, code, _ in got) == ["DL201", "DL203"]  # column 自然人 and row 一 break
    assert {line for _, _, line in got} == {84}


def test_baseline_counts_fixed_findings(corpus):
    dlint(corpus, "check", "reports", "--write-baseline", "b.json", "--isolated")
    seed = corpus / "reports" / SEED.name
    seed.write_text(seed.read_text(encoding="utf-8").replace("扩 大民主", "扩大民主"), encoding="utf-8")
    proc = dlint(corpus, "check", "reports", "--baseline", "b.json", "--isolated", "--lang", "en")
    assert "1 baseline finding(s) are fixed now" in proc.stdout


def test_bad_baseline_is_exit_2(corpus):
    (corpus / "b.json").write_text("{not json", encoding="utf-8")
    proc = dlint(corpus, "check", "reports", "--baseline", "b.json")
    assert proc.returncode == 2 and "b.json" in proc.stderr


# ---- fixes ----------------------------------------------------------------------------------------
def stray_spaces_removed(before: str, after: str) -> None:
    """`after` is `before` minus single spaces between two Chinese characters, and nothing else."""
    import difflib

    ops = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    removed = [(i1, i2) for op, i1, i2, _, _ in ops if op != "equal"]
    assert all(op in ("equal", "delete") for op, *_ in ops)
    for i1, i2 in removed:
        assert before[i1:i2] in (" ", "\u3000")
        assert "\u4e00" <= before[i1 - 1] <= "\u9fff" and "\u4e00" <= before[i2] <= "\u9fff"
    return len(removed)


def test_fix_removes_the_stray_spaces_and_nothing_else(tmp_path):
    report = tmp_path / "seed.txt"
    shutil.copy(SEED, report)
    before = report.read_text(encoding="utf-8")
    stray = [d for d in json.loads(dlint(tmp_path, "check", "seed.txt", "--format", "json").stdout)["files"][0]["diagnostics"]
             if d["code"] == "DL902"]
    proc = dlint(tmp_path, "check", "seed.txt", "--fix", "--format", "json")
    after = report.read_text(encoding="utf-8")
    assert stray_spaces_removed(before, after) == len(stray) == 12
    remaining = [d["code"] for d in json.loads(proc.stdout)["files"][0]["diagnostics"]]
    assert "DL902" not in remaining and "DL401" in remaining  # years are never fixed automatically
    assert [p.name for p in tmp_path.iterdir()] == ["seed.txt"]  # no temporary file left behind


@pytest.mark.parametrize(("encoding", "newline", "bom"), [
    ("gb18030", "\r\n", b""), ("utf-8", "\r\n", b"\xef\xbb\xbf"), ("utf-8", "\r", b""),
    ("utf-16-le", "\n", b"\xff\xfe"), ("utf-16-be", "\r\n", b"\xfe\xff"),
])
def test_fix_keeps_encoding_bom_and_line_endings(tmp_path, encoding, newline, bom):
    text = SEED.read_text(encoding="utf-8").replace("\n", newline)
    report = tmp_path / "r.txt"
    report.write_bytes(bom + text.encode(encoding))
    assert dlint(tmp_path, "check", "r.txt", "--fix", "-q").returncode == 1
    data = report.read_bytes()
    assert data.startswith(bom)
    after = data[len(bom):].decode(encoding)  # still decodes in the original encoding
    assert after.count(newline) == text.count(newline)
    assert after.replace(newline, "").count("\n") == after.replace(newline, "").count("\r") == 0
    assert stray_spaces_removed(text, after) == 12


def test_mixed_line_endings_are_kept(tmp_path):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    text = "".join(ln + ("\r\n" if i % 2 else "\n") for i, ln in enumerate(lines))
    report = tmp_path / "r.txt"
    report.write_bytes(text.encode("utf-8"))
    dlint(tmp_path, "check", "r.txt", "--fix", "-q")
    after = report.read_bytes().decode("utf-8")
    assert after.count("\r\n") == text.count("\r\n") and after.count("\n") == text.count("\n")
    stray_spaces_removed(text, after)


def test_diff_shows_without_writing(tmp_path):
    report = tmp_path / "seed.txt"
    shutil.copy(SEED, report)
    proc = dlint(tmp_path, "check", "seed.txt", "--diff")
    assert proc.returncode == 1 and "-政务公开制度是扩 大民主" in proc.stdout and "+政务公开制度是扩大民主" in proc.stdout
    assert report.read_bytes() == SEED.read_bytes()
    clean = tmp_path / "clean.txt"
    shutil.copy(CLEAN, clean)
    assert dlint(tmp_path, "check", "clean.txt", "--diff").returncode == 0


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path):
    from disclosure_lint.api import check_path
    from disclosure_lint.engine import Context, Engine
    from disclosure_lint.fixes import fix_file

    report = tmp_path / "seed.txt"
    shutil.copy(SEED, report)
    result = check_path(report, Engine(), Context())
    report.write_text(SEED.read_text(encoding="utf-8") + "\n某人刚刚 加上的一行。\n", encoding="utf-8")
    edited = report.read_bytes()
    outcome = fix_file(result, report, write=True)
    assert outcome.error and "changed on disk" in outcome.error
    assert report.read_bytes() == edited


def test_fix_follows_symlink_and_keeps_mode(tmp_path):
    real = tmp_path / "real.txt"
    shutil.copy(SEED, real)
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    dlint(tmp_path, "check", "link.txt", "--fix", "-q")
    assert link.is_symlink() and "扩大民主" in real.read_text(encoding="utf-8")
    assert real.stat().st_mode & 0o777 == 0o640
