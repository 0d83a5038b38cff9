"""The rule set tests itself: every rule's YAML examples, plus the seed and the real-report cases."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import CLEAN, FIXTURES, SEED

from disclosure_lint.diagnostics import Finding
from disclosure_lint.engine import Engine
from disclosure_lint.examples import codes
from disclosure_lint.model import Span

ENGINE = Engine()
EXAMPLES = [(r.code, kind, text) for r in ENGINE.all_rules for kind in ("fail", "pass")
            for text in r.examples.get(kind, [])]


@pytest.mark.parametrize(("code", "kind", "text"), EXAMPLES, ids=[f"{c}-{k}-{i}" for i, (c, k, _) in enumerate(EXAMPLES)])
def test_rule_examples(code, kind, text):
    found = codes(text, ENGINE)
    assert (code in found) == (kind == "fail"), sorted(found)


# Rules whose failing case cannot be made on a machine where dlint is installed as the tests install it:
# a missing reader (the tests install every extra), a time limit (no example is reliably that slow), and
# an OCR reading of low confidence (a scan, made and tested in test_scans.py, is no YAML example).
NO_EXAMPLES = {"DL006", "DL007", "DL009"}


def test_every_rule_has_examples_and_a_fix():
    for rule in ENGINE.all_rules:
        if rule.code not in NO_EXAMPLES:
            assert rule.examples.get("fail") and rule.examples.get("pass"), rule.code
        assert rule.helps.get("message", {}).get("zh") and rule.helps["message"].get("en"), rule.code


def test_every_rule_is_documented_in_both_languages():
    assert len(ENGINE.all_rules) >= 35
    for rule in ENGINE.all_rules:
        assert rule.summary["zh"] and rule.summary["en"] and rule.why["zh"] and rule.why["en"]


def test_seed_findings(lint_file):
    diags = lint_file(SEED).diagnostics
    codes = [d.code for d in diags]
    assert codes.count("DL101") == 6
    assert not [c for c in codes if c.startswith(("DL2", "DL3"))]
    years = [d for d in diags if d.code.startswith("DL4")]
    assert len(years) == 1 and years[0].code == "DL401"
    r = lint_file(SEED)
    assert r.position(years[0].span.start) == (142, 41)
    assert r.source.text[years[0].span.start:years[0].span.end] == "2021"
    assert "2022" in years[0].help
    agency = [d for d in diags if d.code == "DL901"]
    assert len(agency) == 1 and "科技工信局" in agency[0].message


def test_clean_example_is_quiet(lint_file):
    assert lint_file(CLEAN).diagnostics == []


def test_real_clean_control_has_no_error(lint_file):
    assert not [d for d in lint_file(FIXTURES / "dev-025.txt").diagnostics if d.severity == "error"]


@pytest.mark.parametrize(("name", "expected"), [
    ("dev-001.txt", {"DL404"}),                    # signed 2023年1月29日 in a 2023 report
    ("dev-017.txt", {"DL111", "DL301"}),           # parts list; no fee statement
    ("dev-019.txt", {"DL206", "DL301", "DL108"}),  # 6-cell row; 六 = 无; cites 〔2019〕60号
    ("dev-020.txt", {"DL206", "DL101"}),           # table 四 has 3 cells; 六 missing (2019: no fee statement due)
    ("dev-022.txt", {"DL402"}),                    # 2016年… in the 2017 report
])
def test_defects_noted_in_real_reports(lint_file, name, expected):
    codes = {d.code for d in lint_file(FIXTURES / name).diagnostics}
    assert expected <= codes, sorted(codes)


def test_flattened_rows_take_no_part_in_arithmetic(lint_file):
    codes = [d.code for d in lint_file(FIXTURES / "dev-010.txt").diagnostics]
    assert codes.count("DL208") == 1  # 行政规范性文件 5426: three splits, no arithmetic, no prose to pin one
    assert not [c for c in codes if c in ("DL201", "DL202", "DL203", "DL204", "DL206")]


def test_english_messages(lint):
    text = SEED.read_text(encoding="utf-8")
    diags = lint(text, lang="en")
    assert any("section 一 heading" in d.message for d in diags)


def test_findings_alike_share_one_message_and_unlike_ones_keep_their_own():
    """One report's findings with equal args share one filled-in message (a garbage line makes hundreds of
    thousands); args equal in value but of another type print as they are (1, 1.0, True)."""
    rule = ENGINE.rule("DL903")  # “{char}”没有对应的“{pair}”
    texts: dict = {}
    a = ENGINE.diagnostic(rule, Finding(Span(1, 2), {"char": "《", "pair": "》"}), "zh", texts)
    b = ENGINE.diagnostic(rule, Finding(Span(5, 6), {"char": "《", "pair": "》"}), "zh", texts)
    assert a.message == b.message == "“《”没有对应的“》”" and a.message is b.message
    assert (a.span, b.span) == (Span(1, 2), Span(5, 6)) and a.help == b.help
    alike = [ENGINE.diagnostic(rule, Finding(Span(7, 8), {"char": v, "pair": "》"}), "zh", texts)
             for v in (1, Decimal("1.0"), True, 1, "1")]
    assert [d.message for d in alike] == ["“1”没有对应的“》”", "“1.0”没有对应的“》”", "“True”没有对应的“》”",
                                          "“1”没有对应的“》”", "“1”没有对应的“》”"]
    assert ENGINE.diagnostic(rule, Finding(Span(1, 2), {"char": "《", "pair": "》"}), "en", {}).message \
        == "“《” has no matching “》”"
