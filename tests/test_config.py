"""Configuration files: nearest wins, every key does what it says, bad ones fail with file and key."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CLEAN, SEED


def dlint(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "disclosure_lint", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd)


def codes(proc: subprocess.CompletedProcess) -> list[str]:
    return [d["code"] for f in json.loads(proc.stdout)["files"] for d in f["diagnostics"]]


@pytest.fixture
def tree(tmp_path):
    """A project with a pyproject.toml at the top and a .dlint.yaml in one sub-folder."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "reports"\n\n[tool.dlint]\nignore = ["DL902"]\n',
                                             encoding="utf-8")
    (tmp_path / "county").mkdir()
    (tmp_path / "county" / ".dlint.yaml").write_text("select: [DL1]\n", encoding="utf-8")
    for folder in (tmp_path, tmp_path / "county"):
        (folder / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_nearest_configuration_wins(tree):
    top = codes(dlint(tree, "check", "seed.txt", "--format", "json"))
    sub = codes(dlint(tree, "check", "county/seed.txt", "--format", "json"))
    assert "DL902" not in top and "DL401" in top
    assert sub and all(c.startswith("DL1") for c in sub)


def test_show_settings_names_the_file(tree):
    shown = json.loads(dlint(tree, "check", "county/seed.txt", "--show-settings").stdout)
    assert shown["config"] == str((tree / "county" / ".dlint.yaml").resolve()) and shown["select"] == ["DL1"]
    shown = json.loads(dlint(tree, "check", "seed.txt", "--show-settings").stdout)
    assert shown["config"].endswith("pyproject.toml") and shown["ignore"] == ["DL902"]


def test_command_line_overrides_and_isolated(tree):
    assert codes(dlint(tree, "check", "county/seed.txt", "--format", "json", "--select", "DL4")) == ["DL401"]
    assert "DL902" in codes(dlint(tree, "check", "seed.txt", "--format", "json", "--isolated"))


def write_config(tmp_path: Path, text: str) -> Path:
    (tmp_path / ".dlint.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "r.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_extend_select_prefix_name_and_severity(tmp_path):
    write_config(tmp_path, "select: [DL4]\nextend-select: [agency-name-mismatch]\nseverity: {DL401: error, DL9: warning}\n")
    data = json.loads(dlint(tmp_path, "check", "r.txt", "--format", "json").stdout)
    found = {d["code"]: d["severity"] for d in data["files"][0]["diagnostics"]}
    assert found == {"DL401": "error", "DL901": "warning"}


def test_per_file_ignores_by_glob(tmp_path):
    write_config(tmp_path, "per-file-ignores:\n  'r.txt': [DL1, DL9]\n  'other/*.txt': [ALL]\n")
    found = codes(dlint(tmp_path, "check", "r.txt", "--format", "json"))
    assert found and not [c for c in found if c.startswith(("DL1", "DL9"))]


def test_year_and_agency_overrides(tmp_path):
    write_config(tmp_path, "year: 2022\nagency: 科技工信局\nselect: [DL401, DL901]\n")
    # as a 2022 report the 2021 plan sentence is no plan-year mismatch; the agency now matches the body
    assert codes(dlint(tmp_path, "check", "r.txt", "--format", "json")) == []


def test_lang_from_configuration(tmp_path):
    write_config(tmp_path, "lang: en\nselect: [DL401]\n")
    assert "plans in a 2021 report concern 2022" in dlint(tmp_path, "check", "r.txt", "--format", "concise").stdout


@pytest.mark.parametrize(("fail_on", "rc"), [("error", 0), ("warning", 1)])
def test_fail_on(tmp_path, fail_on, rc):
    write_config(tmp_path, f"select: [DL401]\nfail-on: {fail_on}\n")  # DL401 is a warning
    assert dlint(tmp_path, "check", "r.txt").returncode == rc


def test_rules_files_relative_to_the_configuration(tmp_path):
    (tmp_path / "pack.yaml").write_text(
        "rules:\n  - code: HB101\n    name: hebei-overview\n    kind: overview-topics\n    severity: warning\n"
        "    params: {topics: {主动公开: [主动公开], 数据开放: [数据开放]}}\n"
        "    summary: {zh: 河北要求, en: Hebei rule}\n    why: {zh: 省里要求, en: province}\n"
        "    message: {zh: '缺少：{missing}', en: 'missing: {missing}'}\n", encoding="utf-8")
    write_config(tmp_path, "rules-files: [pack.yaml]\nselect: [HB]\n")
    (tmp_path / "r.txt").write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    assert codes(dlint(tmp_path, "check", "r.txt", "--format", "json")) == ["HB101"]


@pytest.mark.parametrize(("text", "words"), [
    ("selct: [DL1]\n", ["未知的配置项 `selct`", "select"]),
    ("select: DL2, DL3\n", None),  # a string is one selector: "DL2, DL3" is not a rule
    ("select: [DL99]\n", ["DL99"]),
    ("severity: {DL201: fatal}\n", ["severity", "error, warning or info"]),
    ("year: twenty\n", ["year", "integer"]),
    ("fail-on: always\n", ["fail-on", "error, warning or info"]),
    ("lang: fr\n", ["lang", "zh or en"]),
    ("select: [DL1\n", ["YAML格式错误"]),
    ("- just\n- a list\n", ["mapping"]),
    ("per-file-ignores: {'*.txt': DL1}\n", ["per-file-ignores"]),
])
def test_invalid_configuration_is_exit_2_naming_file_and_key(tmp_path, text, words):
    write_config(tmp_path, text)
    proc = dlint(tmp_path, "check", "r.txt")
    assert proc.returncode == 2 and ".dlint.yaml" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    for word in words or []:
        assert word in proc.stderr


def test_invalid_pyproject_is_exit_2(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.dlint]\nselect = [DL1\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    proc = dlint(tmp_path, "check", "r.txt")
    assert proc.returncode == 2 and "pyproject.toml" in proc.stderr and "TOML" in proc.stderr
