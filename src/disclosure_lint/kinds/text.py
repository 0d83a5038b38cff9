"""Text kinds (DL9xx): agency name, stray spaces from PDF extraction, unbalanced brackets."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..compiled import regex  # patterns over the whole CJK range take ms to compile
from ..diagnostics import Edit, Finding, Fix
from ..hookspecs import hookimpl
from ..model import Report, Span
from . import Kind

_HAN = r"\u3400-\u9fff"
# the space first and the character before it looked behind from there: a pattern that starts with a
# character set is scanned for fast, one that starts with a look-behind is tried at every position
_STRAY = regex(rf"[ \u3000](?<=[{_HAN}][ \u3000])(?=[{_HAN}])")
_LEAD = regex(r"^(?:[（(][一二三四五六七八九十]{1,2}[）)]|[一二三四五六七八九十]{1,2}[、.．]|\d{1,2}[.．、])"
              rf"[{_HAN}“”、]{{1,16}}[ \u3000]")


def _han(ch: str) -> bool:
    """A Chinese character (the range of _HAN): compared, not matched (a pattern over a range this wide takes
    milliseconds to compile, at every start)."""
    return "\u3400" <= ch <= "\u9fff"


class AgencyName(Kind):
    """The body names the agency differently from the title (工信局 vs 科技工信局)."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        agency = ctx.agency_of(report)
        if not agency or len(agency) < 3:
            return
        suffix = agency[-3:]
        stop = set(self.params["boundary"])
        seen: set[str] = set()
        find = re.compile(re.escape(suffix)).finditer
        for p in report.paragraphs:
            if suffix not in p.text:
                continue
            for m in find(p.text):
                i = m.start()
                while i > 0 and m.start() - i < 4 and p.text[i - 1] not in stop and _han(p.text[i - 1]):
                    i -= 1
                    if p.text[i] in "省市县区":  # an administrative level starts the name
                        break
                name = p.text[i:m.end()]
                bounded = (i == 0 or p.text[i - 1] in stop or p.text[i] in "省市县区"
                           or not _han(p.text[i - 1]))
                if not bounded or _abbreviates(name, agency) or name in seen:
                    continue
                seen.add(name)
                yield Finding(p.span_of(i, m.end()), {"found": name, "agency": agency})


def _abbreviates(name: str, agency: str) -> bool:
    """省人力资源社会保障厅 for 河北省人力资源和社会保障厅: the name's characters in order."""
    it = iter(agency)
    return all(ch in it for ch in name)


class StraySpace(Kind):
    """A space between two Chinese characters, left by PDF extraction (`扩 大民主`); safe to remove."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        # Only prose: a table region's labels are spaced on purpose.
        for p in report.paragraphs:
            if " " not in p.text and "\u3000" not in p.text:
                continue  # most paragraphs: no space at all
            ends = [off for off, _ in p.pieces[1:]] + [len(p.text)]
            for (off, src), end in zip(p.pieces, ends):
                line = p.text[off:end]
                lead = None
                for m in _STRAY.finditer(line):
                    if lead is None:
                        lead = _LEAD.match(line) or False
                    if lead and m.start() == lead.end() - 1:
                        continue  # the space after a subheading's title separates title and text
                    start = src + m.start()
                    yield Finding(Span(start - 1, start + 2), {"text": line[max(0, m.start() - 4):m.end() + 4]},
                                  fix=Fix((Edit(start, start + 1, ""),)))



_PAIRS = {"《": "》", "（": "）", "“": "”"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_BRACKET = regex("[" + "".join(_PAIRS) + "".join(_CLOSERS) + "]")
_NOT_BRACKET = regex("[^" + "".join(_PAIRS) + "".join(_CLOSERS) + "]+")
_EMPTY_PAIRS = tuple(o + c for o, c in _PAIRS.items())


def _nested(text: str) -> bool:
    """Whether every bracket of the text closes the last one open (what the stack below finds of most
    paragraphs), read in C: the brackets alone, their innermost pairs taken out until none is left."""
    marks = _NOT_BRACKET.sub("", text)
    while marks:
        before = len(marks)
        for pair in _EMPTY_PAIRS:
            marks = marks.replace(pair, "")
        if len(marks) == before:
            return False
    return True


class Brackets(Kind):
    """《》（）“” opened and closed within a paragraph."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        for p in report.paragraphs:
            # a half-width bracket may close a full-width one (str.replace: a C scan; translate looks up
            # every character of the paragraph in a dict)
            text = p.text.replace("(", "（").replace(")", "）")
            if _nested(text):
                continue  # most paragraphs: nothing to report
            stack: list[tuple[str, int]] = []
            for m in _BRACKET.finditer(text):
                i, ch = m.start(), m.group()
                if ch in _PAIRS:
                    stack.append((ch, i))
                elif ch in _CLOSERS:
                    if stack and stack[-1][0] == _CLOSERS[ch]:
                        stack.pop()
                    elif any(o == _CLOSERS[ch] for o, _ in stack):
                        while stack and stack[-1][0] != _CLOSERS[ch]:
                            opener, at = stack.pop()
                            yield Finding(p.span_of(at, at + 1), {"char": opener, "pair": _PAIRS[opener]})
                        stack.pop()
                    else:
                        yield Finding(p.span_of(i, i + 1), {"char": ch, "pair": _CLOSERS[ch]}, "closer")
            for opener, at in stack:
                yield Finding(p.span_of(at, at + 1), {"char": opener, "pair": _PAIRS[opener]})


@hookimpl
def dlint_kinds() -> dict[str, type]:
    return {"agency-name": AgencyName, "stray-space": StraySpace, "brackets": Brackets}
