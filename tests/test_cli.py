from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import CLEAN, SEED

from disclosure_lint.cli import main
from disclosure_lint.textutil import display_width

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "disclosure_lint", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT)


def test_exit_codes(tmp_path):
    assert run("check", str(CLEAN)).returncode == 0
    assert run("check", str(SEED)).returncode == 1
    assert run("check", str(SEED), "--exit-zero").returncode == 0
    assert run("check").returncode == 2  # usage
    assert run("check", str(SEED), "--rules-file", str(tmp_path / "missing.yaml")).returncode == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - code: DL999\n    name: x\n    kind: nope\n", encoding="utf-8")
    proc = run("check", str(CLEAN), "--rules-file", str(bad))
    assert proc.returncode == 2 and "bad.yaml" in proc.stderr


def test_binary_file_is_a_finding_not_a_traceback(tmp_path):
    f = tmp_path / "x.txt"
    f.write_bytes(b"\x00\x01\x02binary")
    proc = run("check", str(f), "--format", "json")
    assert proc.returncode == 1
    diag = json.loads(proc.stdout)["files"][0]["diagnostics"]
    assert [d["code"] for d in diag] == ["DL001"]


def test_json_schema(tmp_path):
    proc = run("check", str(SEED), "--format", "json")
    data = json.loads(proc.stdout)
    assert data["version"] == 1
    f = data["files"][0]
    assert f["path"] == str(SEED) and f["template"] == "2021" and f["year"] == 2021 and f["agency"] == "工信局"
    keys = {"code", "name", "severity", "message", "line", "column", "end_line", "end_column", "help", "fixable"}
    assert all(set(d) == keys for d in f["diagnostics"])


def test_directory_is_searched(tmp_path):
    (tmp_path / "a.txt").write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.md").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "c.pdfx").write_text("ignored", encoding="utf-8")
    data = json.loads(run("check", str(tmp_path), "--format", "json").stdout)
    assert [Path(f["path"]).name for f in data["files"]] == ["a.txt", "b.md"]


def test_full_output_carets_align_under_chinese(tmp_path, capsys):
    out = tmp_path / "out.txt"
    assert main(["check", str(SEED), "--format", "full", "--select", "DL401", "-o", str(out), "--no-color"]) == 0  # a warning only
    lines = out.read_text(encoding="utf-8").splitlines()
    src = next(i for i, ln in enumerate(lines) if ln.startswith("142 |"))
    source_line, caret_line = lines[src][len("142 | "):], lines[src + 1][len("    | "):]
    lead = len(caret_line) - len(caret_line.lstrip(" "))
    assert caret_line.strip() == "^" * display_width("2021")
    assert display_width(source_line[: source_line.index("2021年科技")]) == lead


def test_rules_and_rule_pages():
    listing = run("rules").stdout
    assert "DL201" in listing and "DL902" in listing
    zh = run("rule", "DL201").stdout
    en = run("rule", "requests-balance", "--lang", "en").stdout
    assert "为什么" in zh and "Why" in en
    assert run("rule", "DL999").returncode == 2


def test_parse_json_shows_tables():
    data = json.loads(run("parse", str(SEED), "--format", "json").stdout)
    assert len(data["tables"]["requests"]["rows"]) == 25
    assert all(len(r["cells"]) == 7 for r in data["tables"]["requests"]["rows"])
    assert len(data["tables"]["review_litigation"]["rows"][0]["cells"]) == 15


def test_wheel_ships_the_rules(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("disclosure_lint/rules/checks.yaml", "disclosure_lint/rules/template-2021.yaml",
                   "disclosure_lint/grammar/report.lark"):
        assert needed in names


def test_every_rule_is_listed_and_explained_in_both_languages(capsys):
    from disclosure_lint.engine import Engine

    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    for rule in Engine().all_rules:
        assert rule.code in listing and rule.name in listing
        for lang, why in (("zh", "为什么"), ("en", "Why")):
            assert main(["rule", rule.code, "--lang", lang]) == 0
            page = capsys.readouterr().out
            assert why in page and rule.summary[lang] in page and rule.why[lang] in page


def test_statistics_counts_per_rule(capsys):
    assert main(["check", str(SEED), "--statistics", "--isolated"]) == 1
    out = capsys.readouterr().out
    assert "   12  DL902  [*] stray-space" in out and "    6  DL101" in out


def test_unknown_selector_is_a_usage_error(capsys):
    assert main(["check", str(SEED), "--select", "DL77"]) == 2
    assert "DL77" in capsys.readouterr().err


_TORN = """
import atexit, sys
from disclosure_lint.cli import run

class Marker:
    def __del__(self):
        sys.stderr.write("torn down\\n")

kept = Marker()  # freed only by the interpreter's teardown
atexit.register(lambda: sys.stderr.write("exit handler\\n"))
sys.argv = ["dlint", *sys.argv[1:]]
run()
"""


def test_the_command_leaves_without_the_teardown_but_with_its_output_and_exit_handlers(tmp_path):
    """`dlint` leaves at once once everything is written (the teardown frees every object one by one); what a
    normal exit does besides (exit handlers, flushed streams, the exit code) it still does."""
    proc = subprocess.run([sys.executable, "-c", _TORN, "check", str(SEED), "--no-cache", "--output-format", "json"],
                          capture_output=True, text=True, encoding="utf-8", cwd=tmp_path)
    assert proc.returncode == 1 and json.loads(proc.stdout)["files"][0]["diagnostics"]  # every byte written
    assert proc.stderr.count("exit handler") == 1 and "torn down" not in proc.stderr
    shown = subprocess.run([sys.executable, "-c", _TORN, "check", str(SEED), "--no-cache"], capture_output=True,
                           text=True, encoding="utf-8", cwd=tmp_path)  # the terminal format's last line too
    assert shown.returncode == 1 and shown.stdout.rstrip().splitlines()[-1].startswith("检查了1个文件")


def test_the_command_with_a_thread_still_running_leaves_the_ordinary_way(tmp_path):
    code = _TORN.replace("kept = Marker()", "import threading, time\nthreading.Thread(target=time.sleep, args=(0.3,)).start()\n"
                                            "kept = Marker()")
    proc = subprocess.run([sys.executable, "-c", code, "check", str(CLEAN), "--no-cache"], capture_output=True,
                          text=True, encoding="utf-8", cwd=tmp_path)
    assert proc.returncode == 0 and "torn down" in proc.stderr and proc.stderr.count("exit handler") == 1
