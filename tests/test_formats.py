"""Every output format against a golden file; SARIF also against the schema's required fields, GitHub
annotations against the runner's escaping rules. Regenerate with DLINT_UPDATE_GOLDEN=1 after a
deliberate change, and read the diff."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from disclosure_lint import __version__
from disclosure_lint.output import FORMATS
from disclosure_lint.output.github import escape_data, escape_property

TESTS = Path(__file__).parent
GOLDEN = TESTS / "golden"
INPUTS = ["fixtures/seed-2021-gongxinju.txt", "fixtures/wrong-2023-pct-and-total.txt", "fixtures/clean-2023-jiaoyuju.txt"]


def dlint(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "DLINT_LANG", "NO_COLOR", "COLUMNS")}
    full_env["COLUMNS"] = "100"  # the full format fits its source lines to the width
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "disclosure_lint", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=TESTS, env=full_env)


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "full"])
def test_format_matches_golden_file(fmt):
    proc = dlint("check", *INPUTS, "--output-format", fmt, "--isolated")
    assert proc.returncode == 1, proc.stderr
    got = proc.stdout.replace(__version__, "VERSION")
    golden = GOLDEN / f"{fmt}.txt"
    if os.environ.get("DLINT_UPDATE_GOLDEN"):
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def test_full_format_matches_golden_file():
    proc = dlint("check", INPUTS[1], "--output-format", "full", "--isolated", "--no-color")
    golden = GOLDEN / "full.txt"
    if os.environ.get("DLINT_UPDATE_GOLDEN"):
        golden.write_text(proc.stdout, encoding="utf-8")
    assert proc.stdout == golden.read_text(encoding="utf-8")


def test_github_is_chosen_in_actions_and_escaped():
    proc = dlint("check", *INPUTS, "--isolated", env={"GITHUB_ACTIONS": "true"})
    lines = proc.stdout.splitlines()
    counted = json.loads(dlint("check", *INPUTS, "--isolated", "--output-format", "json").stdout)
    assert len(lines) == sum(len(f["diagnostics"]) for f in counted["files"])  # one annotation per finding
    assert all(line.startswith(("::error file=", "::warning file=", "::notice file=")) for line in lines)
    pct = next(line for line in lines if "DL505" in line)
    # `%` in a message is escaped; the only raw `::` are the command's own two separators
    assert "76.9%25" in pct and "80%25" in pct and "%" not in pct.replace("%25", "").replace("%0A", "")
    for line in lines:
        head, _, message = line[2:].partition("::")
        assert "\n" not in message and "\r" not in message
        assert all("," not in value and ":" not in value for value in (p.split("=", 1)[1] for p in head.split(" ", 1)[1].split(",")))


def test_github_escaping_rules():
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


# The required properties of each SARIF 2.1.0 object dlint writes (the schema's "required" lists).
SARIF_REQUIRED = {
    "log": ["version", "runs"], "run": ["tool"], "tool": ["driver"], "toolComponent": ["name"],
    "reportingDescriptor": ["id"], "result": ["message"], "message": ["text"], "physicalLocation": ["artifactLocation"],
    "multiformatMessageString": ["text"],
}


def test_sarif_has_the_schemas_required_fields_and_consistent_indexes():
    log = json.loads(dlint("check", *INPUTS, "--isolated", "--output-format", "sarif").stdout)

    def has(obj, kind):
        missing = [k for k in SARIF_REQUIRED[kind] if k not in obj]
        assert not missing, (kind, missing)

    has(log, "log")
    assert log["version"] == "2.1.0" and list(log)[0] == "version"
    (run,) = log["runs"]
    has(run, "run")
    has(run["tool"], "tool")
    driver = run["tool"]["driver"]
    has(driver, "toolComponent")
    assert run["columnKind"] == "unicodeCodePoints"
    rules = driver["rules"]
    for rule in rules:
        has(rule, "reportingDescriptor")
        for key in ("shortDescription", "fullDescription", "help"):
            has(rule[key], "multiformatMessageString")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert run["results"]
    fingerprints = set()
    for result in run["results"]:
        has(result, "result")
        has(result["message"], "message")
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        loc = result["locations"][0]["physicalLocation"]
        has(loc, "physicalLocation")
        region = loc["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1 and region["endLine"] >= region["startLine"]
        fingerprints.add((loc["artifactLocation"]["uri"], result["partialFingerprints"]["dlintFinding/v1"]))
    assert len(fingerprints) == len(run["results"])  # unique per file


def test_fingerprints_survive_edits_elsewhere(tmp_path):
    text = (TESTS / INPUTS[1]).read_text(encoding="utf-8")
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(text, encoding="utf-8")
    b.write_text("\n\n" + text.replace("扎实推进", "扎实有效推进"), encoding="utf-8")

    def prints(path):
        log = json.loads(dlint("check", str(path), "--isolated", "--output-format", "sarif").stdout)
        return [r["partialFingerprints"]["dlintFinding/v1"] for r in log["runs"][0]["results"]]

    assert prints(a) == prints(b)


def test_junit_and_gitlab_are_well_formed():
    from xml.etree import ElementTree as ET

    root = ET.fromstring(dlint("check", *INPUTS, "--isolated", "--output-format", "junit").stdout)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == INPUTS
    assert suites[2].get("failures") == "0" and suites[1].get("failures") == "3"
    issues = json.loads(dlint("check", *INPUTS, "--isolated", "--output-format", "gitlab").stdout)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert {i["severity"] for i in issues} <= {"info", "minor", "major", "critical", "blocker"}


def test_no_color_env_is_respected(tmp_path):
    out = tmp_path / "out.txt"
    dlint("check", INPUTS[1], "--isolated", "--output-format", "full", "-o", str(out), env={"NO_COLOR": "1"})
    assert "\x1b[" not in out.read_text(encoding="utf-8")


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                     max_leaves=20)


@given(_JSON, st.sampled_from(["", "    "]))
def test_the_json_output_is_what_json_dumps_with_an_indent_writes(value, indent):
    """With the C encoder made once for each indent, and with JSONEncoder where json has no C encoder."""
    import json.encoder

    from disclosure_lint.output import json as writer

    expected = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + indent)
    assert writer._indented(value, indent) == expected
    made, c_encoder = dict(writer._FLAT), json.encoder.c_make_encoder
    try:
        writer._FLAT.clear()
        json.encoder.c_make_encoder = None
        assert writer._indented(value, indent) == expected
    finally:
        json.encoder.c_make_encoder = c_encoder
        writer._FLAT.clear()
        writer._FLAT.update(made)


@st.composite
def _results(draw):
    from disclosure_lint.api import FileResult
    from disclosure_lint.diagnostics import Diagnostic, Edit, Fix
    from disclosure_lint.model import Span
    from disclosure_lint.source import Source

    text = draw(st.text(max_size=40))
    offsets = st.integers(0, len(text))
    findings = [Diagnostic(draw(st.text(max_size=8)), draw(st.text(max_size=8)), draw(st.sampled_from(["error", "info"])),
                           draw(st.text()), Span(*sorted([draw(offsets), draw(offsets)])), draw(st.none() | st.text()),
                           draw(st.none() | st.just(Fix((Edit(0, 0, "x"),)))))
                for _ in range(draw(st.integers(0, 3)))]
    return FileResult(draw(st.text()), Source.from_text(text), None, findings, draw(st.none() | st.text(max_size=6)),
                      draw(st.none() | st.integers(-10**20, 10**20)), draw(st.none() | st.text()))


@given(_results())
def test_a_files_json_is_what_json_dumps_writes(result):
    """The JSON writer writes each file's findings field by field: the same text as json.dumps writes the file's
    dictionary (the test above holds _indented to json.dumps), for any text in any field."""
    from disclosure_lint.output import json as writer

    assert writer._file_text(result) == writer._indented(writer.file_dict(result), "    ")
    assert json.loads(writer._file_text(result)) == writer.file_dict(result)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_formats_that_read_a_findings_line_are_the_ones_sent_it(fmt):
    """A batch sends a finding's line of the report from its worker only for the formats in READ_LINES
    (a crawl's line is its whole report): every other format writes the same without it, and each of
    those writes something else (the line is theirs to read)."""
    import io
    from types import SimpleNamespace

    from disclosure_lint.api import check_source
    from disclosure_lint.cli.check import _writer
    from disclosure_lint.engine import Context, Engine
    from disclosure_lint.output import READ_LINES
    from disclosure_lint.source import read_source

    engine = Engine()
    checked = [check_source(read_source(TESTS / path, path), engine, Context()) for path in INPUTS]

    def written(keep_lines: bool) -> str:
        out = io.StringIO()
        options = SimpleNamespace(lang="zh", no_color=True, color="never", color_forced=False, rules=engine.rules,
                                  configs=list)
        _writer(fmt).write([r.light(False, keep_lines) for r in checked], out, options)
        return out.getvalue()

    assert (written(True) != written(False)) == (fmt in READ_LINES)
