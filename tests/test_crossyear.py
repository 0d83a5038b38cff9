"""Cross-year checks over a real consecutive pair of one body (河北省教育厅 2022 -> 2023)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_lint.kinds.crossyear import at_most, copied_passages

Y2023, Y2022 = FIXTURES / "dev-017.txt", FIXTURES / "dev-018.txt"


def dlint(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "disclosure_lint", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd)


def dl6(proc: subprocess.CompletedProcess, name: str = "2023.txt") -> list[dict]:
    files = {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}
    return [d for d in files[name]["diagnostics"] if d["code"].startswith("DL6")]


@pytest.fixture
def pair(tmp_path):
    shutil.copy(Y2023, tmp_path / "2023.txt")
    shutil.copy(Y2022, tmp_path / "2022.txt")
    return tmp_path


def set_carry_forward(path: Path, first: int) -> None:
    """Last year's 结转下年度 (cells one per line in this report): set the first column and the total."""
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(k for k, ln in enumerate(lines) if ln.startswith("四、结转下年度"))
    cells = [k for k in range(i + 1, len(lines)) if lines[k].strip().isdigit()][:7]
    lines[cells[0]] = str(first)
    lines[cells[6]] = str(first)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_consistent_pair_has_no_carry_over_finding(pair):
    found = dl6(dlint(pair, "check", ".", "--select", "DL6", "--format", "json", "--no-cache"))
    assert not [d for d in found if d["code"] == "DL601"]
    assert not [d for d in found if d["code"] == "DL603"]  # the 2023 text is written anew
    # the real pair: 159 in force in 2022, +3 issued, -5 repealed, but 156 (not 157) in force in 2023
    (standing,) = [d for d in found if d["code"] == "DL602"]
    assert "156" in standing["message"] and "157" in standing["message"]


def test_carry_over_mismatch_is_found_per_column(pair):
    set_carry_forward(pair / "2022.txt", 2)
    found = [d for d in dl6(dlint(pair, "check", ".", "--select", "DL601", "--format", "json", "--no-cache"))]
    assert [d["message"].split("：")[0] for d in found] == ["第1列（自然人）", "第7列（总计）"]
    assert "上年结转0" in found[0]["message"] and "结转下年度为2" in found[0]["message"]
    lines = (pair / "2023.txt").read_text(encoding="utf-8").split("\n")
    label = next(k for k, ln in enumerate(lines) if ln.startswith("二、上年结转"))
    first_cell = next(k for k in range(label + 1, len(lines)) if lines[k].strip().isdigit())
    assert found[0]["line"] == first_cell + 1  # on this year's 上年结转 cell of that column


def test_previous_given_explicitly(tmp_path):
    shutil.copy(Y2023, tmp_path / "2023.txt")
    (tmp_path / "last").mkdir()
    shutil.copy(Y2022, tmp_path / "last" / "2022.txt")
    set_carry_forward(tmp_path / "last" / "2022.txt", 1)
    proc = dlint(tmp_path, "check", "2023.txt", "--previous", "last", "--select", "DL601", "--format", "json", "--no-cache")
    assert len(dl6(proc)) == 2 and "last/2022.txt" in dl6(proc)[0]["message"]
    alone = dlint(tmp_path, "check", "2023.txt", "--select", "DL601", "--format", "json", "--no-cache")
    assert dl6(alone) == []  # no last year's report, no cross-year finding


def test_other_bodies_are_not_paired(pair):
    other = (pair / "2022.txt").read_text(encoding="utf-8").replace("河北省教育厅2022年", "河北省科学技术厅2022年", 1)
    (pair / "2022.txt").write_text(other, encoding="utf-8")
    set_carry_forward(pair / "2022.txt", 2)
    assert dl6(dlint(pair, "check", ".", "--select", "DL6", "--format", "json", "--no-cache")) == []


def test_copied_problems_section_is_reported_with_its_passages(pair):
    this, last = (pair / "2023.txt"), (pair / "2022.txt")
    old = last.read_text(encoding="utf-8").split("五、存在的主要问题及改进情况\n")[1].split("六、")[0]
    text = this.read_text(encoding="utf-8")
    head, rest = text.split("五、存在的主要问题及改进情况\n")
    this.write_text(head + "五、存在的主要问题及改进情况\n" + old + "六、" + rest.split("六、", 1)[1], encoding="utf-8")
    (copied,) = [d for d in dl6(dlint(pair, "check", ".", "--select", "DL603", "--format", "json", "--no-cache"))]
    assert "五、存在的主要问题及改进情况" in copied["message"] and "100%" in copied["message"]
    strict = pair / ".dlint.yaml"
    strict.write_text("similarity-threshold: 1.0\n", encoding="utf-8")
    assert dl6(dlint(pair, "check", ".", "--select", "DL603", "--format", "json", "--no-cache")) == []


def test_cached_result_follows_a_change_in_last_years_report(pair, tmp_path):
    cache = str(tmp_path / "cache")
    assert not [d for d in dl6(dlint(pair, "check", ".", "--format", "json", "--cache-dir", cache)) if d["code"] == "DL601"]
    set_carry_forward(pair / "2022.txt", 3)
    assert [d for d in dl6(dlint(pair, "check", ".", "--format", "json", "--cache-dir", cache)) if d["code"] == "DL601"]


def test_copied_passages_measure():
    sentence = "今年我们继续加强政务公开工作，提升公开质量和实效。"
    ratio, passages = copied_passages("甲" * 5 + sentence * 2, sentence)
    assert 0.85 < ratio < 1 and len(passages) == 1
    assert copied_passages("完全不同的一段文字内容描述本年度工作情况", "上年报告的内容与此毫无关系可以忽略不计") == (0.0, [])


def _marked(now: str, before: str, k: int, min_len: int) -> tuple[float, list[tuple[int, int]]]:
    """The measure read off character by character: each character marked when a window holding it is in
    `before`, the passages read back from the marks."""
    if len(now) < k or len(before) < k:
        return 0.0, []
    marks = [False] * len(now)
    for i in range(len(now) - k + 1):
        if now[i:i + k] in before:
            marks[i:i + k] = [True] * k
    passages, start = [], None
    for i, mark in enumerate([*marks, False]):
        if mark and start is None:
            start = i
        elif not mark and start is not None:
            if i - start >= min_len:
                passages.append((start, i))
            start = None
    return sum(marks) / len(now), passages


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["今年", "我们", "继续", "加强", "政务公开", "工作", "，", "。", "甲", "乙"]), max_size=40),
       st.lists(st.sampled_from(["今年", "我们", "继续", "加强", "政务公开", "工作", "，", "。", "丙"]), max_size=40),
       st.integers(2, 10), st.integers(1, 25))
def test_copied_passages_are_the_marked_characters_runs(now, before, k, min_len):
    now, before = "".join(now), "".join(before)
    assert copied_passages(now, before, k, min_len) == _marked(now, before, k, min_len)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["今年", "我们", "继续", "加强", "政务公开", "工作", "，", "。", "甲", "乙"]), max_size=60),
       st.lists(st.sampled_from(["今年", "我们", "继续", "加强", "政务公开", "工作", "，", "。", "丙"]), max_size=60),
       st.integers(1, 12), st.floats(0, 1))
def test_the_bound_on_the_copied_share_never_hides_a_copy(now, before, k, share):
    """at_most, which spares DL603 cutting most sections into windows, answers True only where the share
    copied_passages measures is at most `share`."""
    now, before = "".join(now), "".join(before)
    if at_most(now, before, share, k):
        assert copied_passages(now, before, k)[0] <= share
    if now and now == before and len(now) >= k:  # all of it copied: never said to be at most a part
        assert not at_most(now, before, min(share, 0.99), k)
