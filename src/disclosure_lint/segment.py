"""Restore the line structure of run-together text before the grammar sees it.

Crawled reports arrive as one long line: headings follow `。` or full-width spaces, or come
straight after the previous heading (`二、主动公开政府信息情况三、收到和处理…`), and table labels
follow their numbers (`规章000行政规范性文件1126`). The segmenter only *cuts* the text: every
segment is a stripped slice ``text[start:end]`` of the source, so positions map back exactly.
"""

from __future__ import annotations

import re
from functools import cache

from .template import row_labels, section_titles

_CN = "一二三四五六七八九十"
_WS = " \t\u3000\u00a0\ufeff"
# A known section title after its number: cut before it, and after the title when text follows.
_AFTER_TITLE_PUNCT = "。：:；;．."
# A heading number after the end of a sentence or an indent is a new block.
_GENERIC_HEAD = re.compile(rf"(?<=[。！？；：\u3000])[{_CN}]{{1,2}}、(?=[\u4e00-\u9fff“《])")
_SUBHEAD = re.compile(rf"(?<=[。！？；：\u3000 ])[（(][{_CN}]{{1,2}}[）)]")
_INDENT = re.compile(r"\u3000{2,}")
_LABEL_PREFIX = rf"(?:\d[.．、]|[（(][{_CN}][）)]|[{_CN}][、.．])?"
_PREFIX_STRIP = re.compile(rf"^(?:\d[.．、]|[（(][{_CN}][）)]|[{_CN}][、.．])")
# Table labels are only cut apart in a piece that holds this many of them (a flattened table).
_MIN_LABELS = 3
_NUMERIC_GAP = re.compile(r"[\d.,，\s\u3000/／—-]*")


@cache
def _section_re() -> re.Pattern[str]:
    titles = sorted({_fuzzy(t) for t, _, _ in section_titles()}, key=len, reverse=True)
    return re.compile(rf"[{_CN}]{{1,2}}[、.．][ \u3000]*(?:{'|'.join(titles)})")


def _fuzzy(norm_title: str) -> str:
    """A regex for a normalised title that accepts the punctuation variants it was folded from."""
    out = []
    for ch in norm_title:
        if ch == "(":
            out.append("[（(]")
        elif ch == ")":
            out.append("[）)]")
        elif ch == ".":
            out.append("[.．、]")
        elif ch == ",":
            out.append("[,，、]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


@cache
def _label_re() -> re.Pattern[str]:
    cores = {_PREFIX_STRIP.sub("", label) for label in row_labels()}
    cores = sorted((c for c in cores if len(c) >= 2), key=len, reverse=True)
    return re.compile(_LABEL_PREFIX + "(?:" + "|".join(re.escape(c) for c in cores) + ")")


def segments(text: str) -> list[tuple[int, int]]:
    """Logical lines as (start, end) offsets into `text`, stripped; blank lines kept as empty."""
    out: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl == -1 else nl
        cuts = _cuts(text, pos, end)
        if not cuts:
            out.append(_strip(text, pos, end))
        else:
            prev = pos
            for cut in cuts:
                piece = _strip(text, prev, cut)
                if piece[0] < piece[1]:
                    out.append(piece)
                prev = cut
            out.append(_strip(text, prev, end))
        if nl == -1:
            break
        pos = nl + 1
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _WS:
        start += 1
    while end > start and text[end - 1] in _WS:
        end -= 1
    return start, end


def _cuts(text: str, start: int, end: int) -> list[int]:
    line = text[start:end]
    if len(line) < 8:
        return []
    cuts: set[int] = set()
    for m in _INDENT.finditer(line):
        cuts.add(m.start())
    for m in _section_re().finditer(line):
        cuts.add(m.start())
        after = m.end()
        if after < len(line) and line[after] in _AFTER_TITLE_PUNCT:
            after += 1
        cuts.add(after)
    for m in _GENERIC_HEAD.finditer(line):
        cuts.add(m.start())
    for m in _SUBHEAD.finditer(line):
        cuts.add(m.start())
    if any(ch.isdigit() for ch in line):
        cuts.update(_table_cuts(line))
    return sorted(start + c for c in cuts if 0 < c < len(line))


def _table_cuts(line: str) -> list[int]:
    """Cuts before the labels of a flattened table: labels separated only by numbers.

    Prose names the same things (`规章1件、省政府规范性文件2件`) but with words between them, so
    a label counts only where the gap to its neighbour is empty or holds nothing but numbers.
    """
    labels = list(_label_re().finditer(line))
    if len(labels) < _MIN_LABELS:
        return []
    ends = [m.start() for m in labels[1:]] + [len(line)]
    tabular = [_NUMERIC_GAP.fullmatch(line, m.end(), e) is not None for m, e in zip(labels, ends)]
    if sum(tabular) < _MIN_LABELS:
        return []
    cuts = []
    for i, m in enumerate(labels):
        if tabular[i] or (i and tabular[i - 1]):
            cut = m.start()
            while cut and line[cut - 1] in "（(“《":
                cut -= 1
            cuts.append(cut)
    return cuts
