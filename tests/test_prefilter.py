"""A rule may skip a slow pattern when the text lacks a word every match needs (`needed_words`): the words
must be right for every pattern a rule carries, or a finding is lost."""

from __future__ import annotations

import re

import yaml
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_lint.kinds import may_match, needed_words
from disclosure_lint.template import rules_dir


def _patterns() -> list[str]:
    rules = yaml.safe_load((rules_dir() / "checks.yaml").read_text(encoding="utf-8"))["rules"]
    return [c["pattern"] for r in rules if r["kind"] == "prose-number" for c in r["params"]["checks"]]


PATTERNS = _patterns() + [r"(?i:申请)\d+件", r"a(?:b|c)?d", r"(?:x|yz)+w", r"^(?:新收|受理)", r"(?P<n>件)|申请"]


def test_words_are_read_from_literals_and_groups_of_plain_alternatives():
    assert needed_words(r"(?<![\d.])(?P<n>\d+)\s*件(?:申请)?(?:结转|顺延)(?:到|至)?下(?:一)?年度") == (
        ("件",), ("结转", "顺延"), ("下",), ("年度",))
    assert needed_words(r"(?:收到|新收|受理)[^。]{0,12}?申请") == (("收到", "新收", "受理"), ("申请",))
    assert needed_words(r"(?i)abc") == ()  # case folded: the text may spell it otherwise
    assert needed_words(r"(?i:ab)c") == (("c",),)
    assert needed_words(r"a|b") == (("a", "b"),)
    assert needed_words(r"(?:ab)?c") == (("c",),)  # optional: not needed
    assert needed_words(r"(") == ()  # not a pattern: nothing is claimed


# texts made of the patterns' own pieces, so that matches and near misses are common
_PIECES = ["收到", "新收", "受理", "申请", "件", "结转", "顺延", "下", "一", "年度", "信息公开", "依申请公开", "行政复议",
           "行政诉讼", "不予公开", "部分", "予以", "无法提供", "办结", "制发", "规范性文件", "现行有效", "行政事业性收费",
           "万元", "a", "b", "c", "d", "w", "x", "yz", "A", "B", "C", "，", "。", "3", "12", " "]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_a_text_that_lacks_a_needed_word_has_no_match(text):
    for pattern in PATTERNS:
        if re.search(pattern, text):
            assert may_match(pattern, text), (pattern, text)


def test_every_match_in_the_real_reports_keeps_its_words():
    for path in sorted(FIXTURES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for pattern in PATTERNS:
            for m in re.finditer(pattern, text):
                assert may_match(pattern, m.group()), (path.name, pattern, m.group())
