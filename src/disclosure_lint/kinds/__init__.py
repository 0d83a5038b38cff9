"""Built-in rule kinds. Each module is a pluggy plugin whose `dlint_kinds` hook names its kinds."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from ..compiled import regex
from ..diagnostics import Finding
from ..model import Paragraph, Report, Span

# A section body that says nothing: empty, or a bare 无/没有/暂无.
BARE_NONE = regex(r"^[\s\u3000]*(?:无|没有|暂无)[。.．]?[\s\u3000]*$")


class Kind:
    """A way of checking; a rule instantiates it with its params."""

    def __init__(self, rule: Any) -> None:
        self.rule = rule
        self.params: dict[str, Any] = rule.params

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError


def line_span(report: Report, offset: int) -> Span:
    """The span of the (stripped) source line holding `offset`: a place for a finding."""
    text = report.source.text
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    end = len(text) if end == -1 else end
    while start < end and text[start] in " \t\u3000":
        start += 1
    while end > start and text[end - 1] in " \t\u3000":
        end -= 1
    return Span(start, max(end, start))


def body_paragraphs(report: Report, section_id: str, whole_if_missing: bool = False) -> list[Paragraph]:
    paragraphs = report.section_text(section_id)
    if not paragraphs and whole_if_missing and report.sections[section_id].heading is None:
        return list(report.paragraphs)
    return paragraphs


@cache
def needed_words(pattern: str) -> tuple[tuple[str, ...], ...]:
    """Words a match of `pattern` cannot do without: for each, one of its alternatives is in every match
    (the pattern's plain literal runs and its groups of plain alternatives, at its top level). A rule tests
    them with `in` (a C scan) before it runs a pattern that starts with no literal and is slow to search."""
    try:
        from re import _parser as parser  # Python's own reading of the pattern (private: if gone, no words)

        parsed = parser.parse(pattern)
    except (ImportError, AttributeError, re.error):
        return ()
    if parsed.state.flags & (re.IGNORECASE | re.LOCALE):
        return ()
    out: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, av in [*parsed, (None, None)]:
        if op is parser.LITERAL:
            run.append(chr(av))
            continue
        if run:
            out.append(("".join(run),))
            run = []
        if op is parser.SUBPATTERN:  # a group: its one branch of words, unless it changes the flags
            op, av = av[3][0] if len(av[3]) == 1 and not av[1] else (None, None)
        if op is parser.BRANCH:
            words = [_plain(alt) for alt in av[1]]
            if all(words):
                out.append(tuple(words))  # type: ignore[arg-type]
        elif op is parser.IN and all(o is parser.LITERAL for o, _ in av):  # one of some characters: a|b, [ab]
            out.append(tuple(chr(c) for _, c in av))
    return tuple(out)


def _plain(items: Any) -> str | None:
    from re import _parser as parser

    chars = [chr(av) for op, av in items if op is parser.LITERAL]
    return "".join(chars) if chars and len(chars) == len(items) else None


def may_match(pattern: str, text: str) -> bool:
    """False when `text` lacks a word every match of `pattern` needs (see `needed_words`). Plain loops: the
    generators of all(any(...)) cost three times the tests."""
    for words in needed_words(pattern):
        for word in words:
            if word in text:
                break
        else:
            return False
    return True
