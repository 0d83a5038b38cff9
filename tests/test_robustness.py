"""Hostile input never breaks dlint: mutated real reports, arbitrary bytes, adversarial lines (no
catastrophic backtracking), hostile YAML, and files that cannot be read."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CLEAN, FIXTURES, SEED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure_lint.api import check_bytes, check_text
from disclosure_lint.engine import Context, Engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from adversarial import ADVERSARIAL, embedded  # noqa: E402

ENGINE = Engine()
REPORTS = [p.read_text(encoding="utf-8") for p in (SEED, CLEAN, *sorted(FIXTURES.glob("dev-*.txt")))]
NASTY = ["<", "<script>alert(1)</script>", "\x00", "\ud800", "\u202e", "\u200f", "\ufeff", "\t", "\r", "　",
         "（一）" * 50, "1" * 300, "一、" * 40, " " * 500, "|" * 100, "％", "〔2019〕60号", "2099年", "1900年"]


def assert_sane(text: str, diags: list, errors: list) -> None:
    assert not errors, errors  # no rule crashed
    size = len(text.replace("\r\n", "\n").replace("\r", "\n"))
    for d in diags:
        assert 0 <= d.span.start <= d.span.end <= size, d
        assert d.message and d.severity in ("error", "warning", "info")


def positions_valid(result) -> None:
    src = result.source
    for d in result.diagnostics:
        line, col = result.position(d.span.start)
        end_line, end_col = result.position(d.span.end)
        assert 1 <= line <= src.line_count and 1 <= col <= len(src.line_text(line)) + 1
        assert (line, col) <= (end_line, end_col) and end_col <= len(src.line_text(end_line)) + 1


mutation = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 10_000)),
    st.tuples(st.just("duplicate"), st.integers(0, 10_000)),
    st.tuples(st.just("swap"), st.integers(0, 10_000), st.integers(0, 10_000)),
    st.tuples(st.just("digit"), st.integers(0, 100_000), st.sampled_from("0123456789０９")),
    st.tuples(st.just("insert"), st.integers(0, 100_000), st.sampled_from(NASTY)),
    st.tuples(st.just("longline"), st.integers(0, 10_000), st.sampled_from(["字", "1", " ", "（", "a"])),
)


def mutate(text: str, ops: list) -> str:
    lines = text.split("\n")
    for op in ops:
        kind = op[0]
        if kind == "delete" and len(lines) > 1:
            del lines[op[1] % len(lines)]
        elif kind == "duplicate":
            i = op[1] % len(lines)
            lines.insert(i, lines[i])
        elif kind == "swap":
            i, j = op[1] % len(lines), op[2] % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "digit":
            joined = "\n".join(lines)
            digits = [k for k, ch in enumerate(joined) if ch.isdigit()]
            if digits:
                k = digits[op[1] % len(digits)]
                joined = joined[:k] + op[2] + joined[k + 1:]
            lines = joined.split("\n")
        elif kind == "insert":
            joined = "\n".join(lines)
            k = op[1] % (len(joined) + 1)
            lines = (joined[:k] + op[2] + joined[k:]).split("\n")
        elif kind == "longline":
            lines.insert(op[1] % (len(lines) + 1), op[2] * 10_000)
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(len(REPORTS))), st.lists(mutation, min_size=1, max_size=6))
def test_mutated_real_reports_never_break(which, ops):
    text = mutate(REPORTS[which], ops)
    result = check_text(text, ENGINE, Context())
    assert_sane(text, result.diagnostics, result.errors)
    positions_valid(result)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_break(data):
    result = check_bytes(data, ENGINE, Context())
    assert not result.errors
    if result.source is not None:
        positions_valid(result)
    else:
        assert [d.code for d in result.diagnostics] in (["DL001"], ["DL003"])


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("一二三四五六七八九十、（）()0123456789０.．，,。：:年月日件条共其中占%％"
                                              " \n\t　《》“”无/—|")), max_size=600))
def test_report_shaped_noise_never_breaks(text):
    result = check_text(text, ENGINE, Context())
    assert_sane(text, result.diagnostics, result.errors)
    positions_valid(result)


# ---- no catastrophic backtracking ---------------------------------------------------------------


def _time_check(text: str) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        result = check_text(text, ENGINE, Context())
        best = min(best, time.perf_counter() - start)
        assert not result.errors
    return best


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_lines_stay_linear(name):
    """10x the input may take at most 15x the time (a quadratic step would take 100x)."""
    base = CLEAN.read_text(encoding="utf-8")  # 100 KB and 1 MB lines (UTF-8 bytes) inside a real report
    t_small = _time_check(embedded(base, ADVERSARIAL[name], 100_000))
    t_large = _time_check(embedded(base, ADVERSARIAL[name], 1_000_000))
    assert t_large <= 15 * max(t_small, 0.002), (name, t_small, t_large)


# ---- hostile YAML -----------------------------------------------------------------------------------
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))


@pytest.mark.parametrize(("text", "words"), [
    (BOMB + "rules: *i\n", ["rule"]),  # billion laughs: refused, not expanded into memory
    ("rules:\n  - !!python/object/apply:os.system ['echo pwned']\n", ["YAML"]),
    ("rules: 5\n", ["rules"]),
    ("rules:\n  - code: DL777\n    name: x\n    kind: no-such-kind\n    severity: error\n"
     "    summary: {zh: a, en: a}\n    why: {zh: a, en: a}\n    message: {zh: a, en: a}\n", ["no-such-kind", ":2"]),
    ("rules:\n  - code: 12\n", ["code"]),
    ("rules:\n  - [1, 2]\n", ["mapping"]),
    ("\t\x00garbage: [", ["YAML"]),
])
def test_hostile_rule_files_are_clear_errors(tmp_path, text, words):
    pack = tmp_path / "pack.yaml"
    pack.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "disclosure_lint", "check", str(SEED), "--rules-file", str(pack),
                           "--no-cache"], capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 2 and str(pack) in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    for word in words:
        assert word in proc.stderr
    assert "pwned" not in proc.stdout + proc.stderr
    assert time.perf_counter() - start < 30


def test_hostile_configuration_is_a_clear_error(tmp_path):
    (tmp_path / ".dlint.yaml").write_text(BOMB + "select: *i\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "disclosure_lint", "check", "r.txt"], cwd=tmp_path,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 2 and ".dlint.yaml" in proc.stderr and "Traceback" not in proc.stderr


# ---- files --------------------------------------------------------------------------------------------
def test_huge_file_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # 50 MB, sparse: refusing must not need to read it
        fh.truncate(50 * 1024 * 1024)
    proc = subprocess.run([sys.executable, "-m", "disclosure_lint", "check", str(big), "--output-format", "concise",
                           "--no-cache"], capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 1 and "DL002" in proc.stdout


def test_mixed_encodings_in_one_tree(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    (tmp_path / "utf8.txt").write_text(text, encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes(text.encode("gb18030"))
    (tmp_path / "utf16.txt").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    proc = subprocess.run([sys.executable, "-m", "disclosure_lint", "check", str(tmp_path), "--output-format", "json",
                           "--no-cache"], capture_output=True, text=True, encoding="utf-8")
    import json

    files = json.loads(proc.stdout)["files"]
    findings = {Path(f["path"]).name: [(d["code"], d["line"], d["column"]) for d in f["diagnostics"]] for f in files}
    assert len(set(map(tuple, findings.values()))) == 1  # the same report, the same findings, in any encoding


# ---- crashes found by fuzzing (fuzz/fuzz_check.py), kept as regression tests ---------------------------
@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / "fuzz").iterdir()))
def test_fuzz_crash_regressions(name):
    data = (FIXTURES / "fuzz" / name).read_bytes()
    # the fuzz target's two ways in: "T" + text, or raw bytes
    text = data[1:].decode("utf-8", "replace").replace("\x00", "")
    for result in (check_text(text, ENGINE, Context()), check_bytes(data, ENGINE, Context())):
        assert not result.errors, result.errors
        if result.source is not None:
            positions_valid(result)
