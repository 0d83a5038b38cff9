"""An aggregate report against its declared members: table 三 and 四 cell by cell (DL604), a missing
member once (DL605), nothing without a declaration; in one batch with the cross-year rules, --jobs too."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import CLEAN

TEXT = CLEAN.read_text(encoding="utf-8")


def scaled(text: str, factor: int, agency: str) -> str:
    """The clean report with every number of tables 三 and 四 multiplied (their arithmetic still holds)."""
    head, sep, rest = text.partition("三、收到和处理政府信息公开申请情况")
    tables, sep2, tail = rest.partition("五、存在的主要问题")

    def scale_line(line: str) -> str:
        if "\t" not in line:
            return line
        return "\t".join(str(int(c) * factor) if re.fullmatch(r"\d+", c) else c for c in line.split("\t"))

    tables = "\n".join(scale_line(ln) for ln in tables.split("\n"))
    return (head + sep + tables + sep2 + tail).replace("示例县教育局", agency)


def run(folder: Path, *args: str) -> list[dict]:
    proc = subprocess.run([sys.executable, "-m", "disclosure_lint", "check", ".", "--no-cache", "--output-format", "json",
                           *args], capture_output=True, text=True, encoding="utf-8", cwd=folder,
                          env={k: v for k, v in os.environ.items() if k != "DLINT_LANG"})
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["files"]


def make(tmp_path: Path, members: list[str]) -> Path:
    for i, name in enumerate(("甲局", "乙局", "丙局")):
        (tmp_path / f"m{i}.txt").write_text(scaled(TEXT, i + 1, f"示例县{name}"), encoding="utf-8")
    (tmp_path / "county.txt").write_text(scaled(TEXT, 6, "示例县人民政府"), encoding="utf-8")
    (tmp_path / "groups.yaml").write_text(f"aggregates:\n  - report: county.txt\n    members: {json.dumps(members)}\n",
                                          encoding="utf-8")
    return tmp_path


def codes(files: list[dict], path: str) -> list[dict]:
    return [d for f in files if f["path"] == path for d in f["diagnostics"] if d["code"] in ("DL604", "DL605")]


def test_consistent_set_is_silent_and_nothing_is_checked_without_a_declaration(tmp_path):
    folder = make(tmp_path, ["m0.txt", "m1.txt", "m2.txt"])
    assert codes(run(folder, "--aggregates", "groups.yaml"), "county.txt") == []
    county = folder / "county.txt"
    county.write_text(county.read_text(encoding="utf-8").replace("\t96\t", "\t97\t", 1), encoding="utf-8")
    assert codes(run(folder), "county.txt") == []  # no declaration: no guessing


def test_planted_difference_is_reported_with_the_members_sum(tmp_path):
    folder = make(tmp_path, ["m0.txt", "m1.txt", "m2.txt"])
    county = folder / "county.txt"
    text = county.read_text(encoding="utf-8")
    planted = text.replace("（一）予以公开\t72\t12\t0\t6\t6\t0\t96", "（一）予以公开\t72\t12\t0\t6\t6\t0\t97")
    assert planted != text
    county.write_text(planted, encoding="utf-8")
    for jobs in ("1", "2"):
        found = codes(run(folder, "--aggregates", "groups.yaml", "--jobs", jobs), "county.txt")
        assert [d["code"] for d in found] == ["DL604"]
        message = found[0]["message"]
        assert "（一）予以公开" in message and "97" in message and "96" in message
        assert "m0.txt、m1.txt、m2.txt" in message.replace(str(folder) + "/", "")
        line = planted.splitlines()[found[0]["line"] - 1]
        assert line.startswith("（一）予以公开")  # at the cell


def test_a_missing_member_is_reported_once(tmp_path):
    folder = make(tmp_path, ["m0.txt", "m1.txt", "m2.txt", "m3.txt"])
    found = codes(run(folder, "--aggregates", "groups.yaml"), "county.txt")
    assert [d["code"] for d in found] == ["DL605"] and "m3.txt" in found[0]["message"]
