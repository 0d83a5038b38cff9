"""Patterns rewritten for speed (a pattern that starts with a character set or a word is scanned for fast,
one that starts with a look-behind or an optional word is tried at every position) find exactly what their
plain forms found, on the real reports and on texts made of their own pieces."""

from __future__ import annotations

import itertools
import re

import pytest
import yaml
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_lint import segment
from disclosure_lint.kinds import text, years
from disclosure_lint.template import row_labels, rules_dir

_HAN = r"\u3400-\u9fff"
_CN = "一二三四五六七八九十"


def _stated(template_id: str, cell: str) -> re.Pattern[str]:
    from disclosure_lint.template import template

    entries = template(template_id).tables["requests"].stated
    return re.compile(next(e["pattern"] for e in entries if e["equals"] == [[cell]]))


def _dl501(what: str) -> re.Pattern[str]:
    rules = yaml.safe_load((rules_dir() / "checks.yaml").read_text(encoding="utf-8"))["rules"]
    checks = next(r for r in rules if r["code"] == "DL501")["params"]["checks"]
    return re.compile(next(c["pattern"] for c in checks if c["what"] == what))


_MARK = rf"(?:(?:\d[.．、]|[（(][{_CN}][）)]|[{_CN}][、.．])[ \u3000]?)?"


def _labels_plain() -> re.Pattern[str]:
    """The table labels as one alternation, longest first, a space allowed between any two characters, each
    with its numbering mark if it has one (a match starting at an ASCII digit, a bracket or a Chinese numeral)."""
    cores = sorted({c for c in (segment._PREFIX_STRIP.sub("", label) for label in row_labels()) if len(c) >= 2},
                   key=len, reverse=True)
    first = "".join(sorted({c[0] for c in cores} | set("0123456789（(" + _CN)))
    spaced = ("[ \u3000]?".join(re.escape(ch) for ch in c) for c in cores)
    return re.compile(f"(?=[{re.escape(first)}])" + _MARK + "(?:" + "|".join(spaced) + ")")


class _Labels:
    """The labels found as `segment._labels` finds them, in the shape of a pattern's matches."""

    pattern = "segment._labels"

    @staticmethod
    def finditer(text: str) -> list[re.Match[str]]:
        return [re.compile(".*", re.S).match(text, start, end) for start, end in segment._labels(text)]


def test_no_label_starts_with_a_marks_character():
    # the labels are found without their marks and each mark read back: exact only while no label itself
    # starts with a character a mark starts with
    assert not [c for c in segment.label_cores() if c[0] in "0123456789０１２３４５６７８９（(" + _CN]


# pieces of the labels that share beginnings (行政… 本年… 其他… 不予公开…), numbers, prefixes and spaces
_LABEL_PIECES = ["行政", "许可", "处罚", "强制", "复议", "诉讼", "规章", "规范性文件", "本年", "新收", "政府信息公开申请",
                 "数量", "其他", "处理", "不予公开", "属于国家秘密", "予以公开", "（一）", "1.", "二、", " ", "\u3000", "3", "件",
                 "（", "一", "）", "、", "１", ".", "\n"]

# (plain form, fast form, the group whose places must agree, pieces for made-up texts)
CASES = {
    "table labels": (_labels_plain(), _Labels, 0, _LABEL_PIECES),
    "section titles": (re.compile(segment._section_re().pattern.replace(f"[{_CN}][{_CN}]?", f"[{_CN}]{{1,2}}", 1)),
                       segment._section_re(), 0, ["一", "二", "十", "、", ".", " ", "总体情况", "其他需要报告的事项", "主动公开",
                                                 "政府信息情况", "\u3000", "字"]),
    "stray space": (re.compile(rf"(?<=[{_HAN}])[ \u3000](?=[{_HAN}])"), text._STRAY, 0, ["字", " ", "\u3000", "a", "1"]),
    "year": (re.compile(r"(?<![\d〔\[［(（])((?:19|20)\d{2})\s*年(?!度报告|年度报告)"), years._YEAR, 1,
             ["19", "20", "2", "0", "1", "9", "年", "度报告", "年度报告", "〔", "(", "（", "[", " "]),
    "heading or subheading after a sentence": (
        re.compile(rf"(?<=[。！？；：\u3000])[{_CN}]{{1,2}}、(?=[\u4e00-\u9fff“《])|(?<=[。！？；：\u3000 ])[（(][{_CN}]{{1,2}}[）)]"),
        segment._HEAD_AFTER, None, ["。", "；", " ", "\u3000", "一", "十", "、", "总", "“", "1", "（", "(", "）", ")", "字"]),
    "DL501 新收申请": (re.compile(r"(?:共|全年)?(?:收到|新收|受理)[^。，,；;\d]{0,12}?(?:公开)?申请[^。，,；;\d]{0,4}?"
                              r"(?P<n>\d+)\s*(?:件|个|条)"), _dl501("新收申请"), "n",
                   ["共", "全年", "收到", "新收", "受理", "公开", "申请", "3", "12", "件", "，", "政府信息"]),
    "DL501 本年制发规范性文件": (re.compile(r"(?:本年|全年|年内)?(?:制发|出台|印发)[^。，,；;\d]{0,8}?规范性文件\s*(?P<n>\d+)\s*件"),
                        _dl501("本年制发规范性文件"), "n",
                        ["本年", "全年", "年内", "制发", "印发", "行政", "规范性文件", "3", "件", "，"]),
    "DL501 结转下年度": (re.compile(r"(?<![\d.])(?P<n>\d+)\s*件(?:申请)?(?:结转|顺延)(?:到|至)?下(?:一)?年度"),
                    _dl501("结转下年度"), "n", ["1", "23", ".", "件", "申请", "结转", "顺延", "到", "下", "一", "年度", " "]),
    "表三 stated 结转下年度": (re.compile(r"(?<![\d.])(?P<n>\d+)\s*件(?:申请)?(?:结转|顺延|转)(?:到|至|入)?下(?:一)?年度?"),
                          _stated("2021", "R25.6"), "n",
                          ["1", "23", ".", "件", "申请", "结转", "顺延", "转", "入", "下", "一", "年度", "年", " "]),
    "DL501 不予公开": (re.compile(r"(?<!部分)(?<!予以)不予公开[^。，,；;\d]{0,6}?(?P<n>\d+)\s*件"), _dl501("不予公开"), "n",
                   ["部分", "予以", "不予公开", "申请", "3", "件", "，"]),
}


def _same(name: str, s: str) -> None:
    plain, fast, group, _pieces = CASES[name]
    if group is None:  # a cut: where the plain form's match starts, the fast one's match (the char before) ends
        assert [m.start() for m in plain.finditer(s)] == [m.end() for m in fast.finditer(s)], s
    else:
        assert [m.span(group) for m in plain.finditer(s)] == [m.span(group) for m in fast.finditer(s)], s


@pytest.mark.parametrize("name", list(CASES))
def test_on_the_real_reports(name):
    for path in sorted(FIXTURES.glob("*.txt")):
        _same(name, path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", list(CASES))
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_on_texts_of_their_own_pieces(name, data):
    pieces = CASES[name][3]
    _same(name, "".join(data.draw(st.lists(st.sampled_from(pieces), max_size=16))))


@given(st.text(alphabet="\u3000 a一\n", max_size=60))
def test_indents_are_where_the_plain_pattern_finds_them(text):
    assert segment._indents(text) == {m.start() for m in re.finditer("\u3000{2,}", text)}


@given(st.lists(st.sampled_from(["行政许可", "行政处罚", "行政", "\n", " ", "3"]), max_size=30).map("".join))
def test_label_runs_are_the_labels_of_each_line(text):
    labels = segment._labels(text)
    by_line = [list(g) for _, g in itertools.groupby(labels, key=lambda span: text.count("\n", 0, span[0]))]
    assert segment._runs_by_line(text, labels) == by_line


@pytest.mark.parametrize("report", ["１.行政许可", "1.行政许可", "（一） 行政许可", "（１）行政许可", "一、\n行政许可",
                                    "二、二、行政许可"])
def test_a_labels_mark_is_read_back_where_the_pattern_with_the_mark_starts(report):
    # a full-width digit starts no match of the labels (the pattern looks for an ASCII one); a mark never
    # reaches over a newline
    assert segment._labels(report) == [m.span() for m in _labels_plain().finditer(report)]


def test_a_mark_is_never_read_back_into_the_label_before(monkeypatch):
    # no label of the templates ends where a mark starts (一, 1, （): one that did must keep its characters
    cores = re.compile("甲一|行政")
    monkeypatch.setattr(segment, "_label_re", lambda: cores)
    plain = re.compile(f"(?=[甲行0-9（({_CN}])" + _MARK + "(?:甲一|行政)")
    for report in ("甲一、行政", "甲一、 行政", "乙一、行政"):
        assert segment._labels(report) == [m.span() for m in plain.finditer(report)]


@pytest.mark.parametrize("report", ["甲 一、总体情况", "甲。一、总体情况", "甲 （一）主动公开", "甲\u3000（一）主动", "甲。 一、总",
                                    "甲；十二、“其"])
def test_a_heading_number_is_cut_after_a_sentence_and_a_subheadings_after_a_space_too(report):
    _same("heading or subheading after a sentence", report)
