"""DL903 (unbalanced brackets): the check passes over a well-nested paragraph without walking its brackets,
and reports exactly what the bracket-by-bracket stack reports."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_lint.engine import Engine
from disclosure_lint.kinds.text import Brackets, _nested
from disclosure_lint.model import Paragraph, Report
from disclosure_lint.source import Source

RULE = Engine().rule("DL903")
PAIRS = {"《": "》", "（": "）", "“": "”"}
CLOSERS = {v: k for k, v in PAIRS.items()}


def _stack_findings(text: str) -> list[tuple[int, str, str]]:
    """The findings read bracket by bracket with a stack: (offset, character, variant)."""
    text = text.replace("(", "（").replace(")", "）")
    out, stack = [], []
    for i, ch in enumerate(text):
        if ch in PAIRS:
            stack.append((ch, i))
        elif ch in CLOSERS:
            if stack and stack[-1][0] == CLOSERS[ch]:
                stack.pop()
            elif any(o == CLOSERS[ch] for o, _ in stack):
                while stack[-1][0] != CLOSERS[ch]:
                    opener, at = stack.pop()
                    out.append((at, opener, "message"))
                stack.pop()
            else:
                out.append((i, ch, "closer"))
    return out + [(at, opener, "message") for opener, at in stack]


def _findings(text: str) -> list[tuple[int, str, str]]:
    report = Report(Source.from_text(text, "<test>"), [], paragraphs=[Paragraph(text, ((0, 0),), None)])
    return [(f.span.start, text[f.span.start].replace("(", "（").replace(")", "）"), f.variant)
            for f in Brackets(RULE).check(report, None)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["《", "》", "（", "）", "(", ")", "“", "”", "条例", "，", "甲"]), max_size=30))
def test_brackets_are_reported_as_the_stack_reads_them(parts):
    text = "".join(parts)
    expected = _stack_findings(text)
    assert _findings(text) == expected
    assert _nested(text.replace("(", "（").replace(")", "）")) == (not expected)


def test_a_well_nested_paragraph_is_not_walked(monkeypatch):
    import disclosure_lint.kinds.text as text_kinds

    walked = []

    class Counting:
        def finditer(self, text):
            walked.append(text)
            return iter(())

    monkeypatch.setattr(text_kinds, "_BRACKET", Counting())
    assert _findings("依据《条例（2019年修订）》“公开为常态”。") == []
    assert not walked
    _findings("依据《条例（2019年修订》。")
    assert walked
