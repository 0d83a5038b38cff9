"""Restore the line structure of run-together text before the grammar sees it.

Crawled reports arrive as one long line: headings follow `。` or full-width spaces, or come
straight after the previous heading (`二、主动公开政府信息情况三、收到和处理…`), and table labels
follow their numbers (`规章000行政规范性文件1126`). The segmenter only *cuts* the text: every
segment is a stripped slice ``text[start:end]`` of the source, so positions map back exactly.
"""

from __future__ import annotations

import re
from functools import cache

from .compiled import regex  # the large patterns compiled once, not at every start
from .template import row_labels, section_titles

_CN = "一二三四五六七八九十"
_WS = " \t\u3000\u00a0\ufeff"
# A known section title after its number: cut before it, and after the title when text follows.
_AFTER_TITLE_PUNCT = "。：:；;．."
# A heading number (一、) or a subheading's (（一）, after a space too) after the end of a sentence or an
# indent opens a new block. One pattern for both, matching the character before the number (the cut is at
# its end): a pattern that starts with a character set is scanned for fast, one that starts with a
# look-behind is tried at every position.
_HEAD_AFTER = regex(rf"[。！？；：\u3000 ](?:(?<! )(?=[{_CN}]{{1,2}}、[\u4e00-\u9fff“《])|(?=[（(][{_CN}]{{1,2}}[）)]))")
# A table label's numbering mark: `1.`, `（一）`, `一、`
_MARK = rf"(?:[0-9][.．、]|[（(][{_CN}][）)]|[{_CN}][、.．])"
_MARK_BEFORE = regex(_MARK + r"[ \u3000]?\Z")  # a mark and a space, ending where a label starts
_MARK_ENDS = frozenset(".．、）) \u3000")
_PREFIX_STRIP = regex("^" + _MARK)
# Table labels are only cut apart in a piece that holds this many of them (a flattened table).
_MIN_LABELS = 3
_NUMERIC_GAP = regex(r"[\d.,，\s\u3000/／—-]*")
_DIGIT = regex(r"\d")


@cache
def _section_re() -> re.Pattern[str]:
    # longest first; the same text in every process (a set's order is not): its program is kept by its text
    titles = sorted({_fuzzy(t) for t, _, _ in section_titles()}, key=lambda t: (-len(t), t))
    # [一…十][一…十]? rather than [一…十]{1,2}: a pattern that starts with a character set is scanned for
    return regex(rf"[{_CN}][{_CN}]?[、.．][ \u3000]*(?:{'|'.join(titles)})")


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
    """The table labels without their numbering marks: it starts with a word (no label starts with a mark's
    character), so the engine scans for the words' first characters instead of trying every position."""
    return regex(_either(_branches(_trie(label_cores()))))


def label_cores() -> list[str]:
    """The table labels, numbering marks taken off (`（一）行政许可` -> `行政许可`), of two characters or more."""
    return [c for c in {_PREFIX_STRIP.sub("", label) for label in row_labels()} if len(c) >= 2]


def _labels(text: str) -> list[tuple[int, int]]:
    """(start, end) of each table label in the text, in order, with its numbering mark and a space after it.
    The labels are found on their own and each mark is read back from its label's start: with the mark
    before them, optional, the pattern was tried at every position of the text (twice the time)."""
    return _marked(text, [m.span() for m in _label_re().finditer(text)])


def _marked(text: str, labels: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The labels (in order) each with its numbering mark read back from its start. The first label of a
    line needs none of the labels before it: no mark holds a newline."""
    out: list[tuple[int, int]] = []
    mark, end = _MARK_BEFORE.search, 0
    for start, stop in labels:
        if start and text[start - 1] in _MARK_ENDS:
            found = mark(text, max(end, start - 4), start)  # never into the label before
            if found:
                start = found.start()
        end = stop
        out.append((start, stop))
    return out


def _trie(words: list[str]) -> dict[str, dict]:
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here
    return root


def _branches(node: dict[str, dict]) -> list[str]:
    """The labels as a tree of their common beginnings: the engine reads a shared beginning once, not once a
    label (a quarter faster than their plain alternation). A label that goes on is tried before one that ends
    there, so the longest label is matched, as the alternation sorted longest first did. Crawls put stray
    spaces inside labels (`本年度办 理结果`): a space may stand between any two characters."""
    out = []
    for ch in sorted(k for k in node if k):
        child = node[ch]
        if set(child) <= {""}:  # a label ends here and none goes on
            out.append(re.escape(ch))
            continue
        rest = "[ \u3000]?" + _either(_branches(child))
        out.append(re.escape(ch) + (f"(?:{rest})?" if "" in child else rest))
    return out


def _either(branches: list[str]) -> str:
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def segments(text: str, blanks: dict[int, int] | None = None) -> list[tuple[int, int]]:
    """Logical lines as (start, end) offsets into `text`, stripped; blank lines kept as empty. Given
    `blanks`, the blank lines are left out and counted there instead: segment index -> how many stood
    just before it (the line reader's form: three in five of a crawl's lines are blank)."""
    cuts = _cuts(text)  # sorted absolute offsets; each pattern scans the whole text once
    out: list[tuple[int, int]] = []
    append = out.append
    ws = _WS
    keep = blanks is None
    gap = 0  # blank lines not kept since the last segment
    pos = 0
    k, n_cuts = 0, len(cuts)
    for line in text.split("\n"):
        if not line:  # a blank line (most of a crawl's lines): nothing to cut or strip
            if keep:
                append((pos, pos))
            else:
                gap += 1
            pos += 1
            continue
        first = len(out)  # where this line's first segment goes
        end = pos + len(line)
        while k < n_cuts and cuts[k] <= pos:
            k += 1
        prev = pos
        if end - pos >= 8:  # shorter lines are never cut
            while k < n_cuts and cuts[k] < end:
                piece = _strip(text, prev, cuts[k])
                if piece[0] < piece[1]:
                    append(piece)
                prev = cuts[k]
                k += 1
        rest = 0  # a blank line left of this one: white space only, or what the cuts left of it
        if prev == pos and line[0] not in ws and line[-1] not in ws:
            append((pos, end))  # most lines: nothing to strip
        else:
            piece = _strip(text, prev, end)
            if keep or piece[0] < piece[1]:
                append(piece)
            else:
                rest = 1
        if gap and len(out) > first:  # the blank lines before this line's first segment
            blanks[first] = gap  # type: ignore[index]
            gap = 0
        gap += rest
        pos = end + 1
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """The piece without surrounding white space, except the trailing tabs of a tab-separated row:
    they delimit its blank last cells."""
    piece = text[start:end]
    body = piece.strip(_WS)
    if len(body) == len(piece):
        return start, end  # most pieces: nothing to strip
    if not body:
        return end, end
    first = start + len(piece) - len(piece.lstrip(_WS))
    last = first + len(body)
    if "\t" in piece[first - start:]:
        tail = piece[last - start:]
        last += len(tail) - len(tail.lstrip("\t"))
    return first, last


def _cuts(text: str) -> list[int]:
    """Offsets where a new logical line starts inside a physical one. No pattern crosses a newline."""
    cuts = _indents(text)
    for m in _section_re().finditer(text):
        cuts.add(m.start())
        after = m.end()
        if after < len(text) and text[after] in _AFTER_TITLE_PUNCT:
            after += 1
        cuts.add(after)
    cuts.update(m.end() for m in _HEAD_AFTER.finditer(text))
    # the table labels of each line; a mark is read back only in a line of enough labels (a line of prose
    # names one or two): a mark stands on the label's own line, so the lines are the same without it
    for run in _runs_by_line(text, [m.span() for m in _label_re().finditer(text)]):
        if len(run) >= _MIN_LABELS:
            run = _marked(text, run)
            end = text.find("\n", run[-1][1])
            line_end = len(text) if end == -1 else end
            line_start = text.rfind("\n", 0, run[0][0]) + 1
            if _DIGIT.search(text, line_start, line_end):
                cuts.update(_table_cuts(text, run, line_start, line_end))
    return sorted(cuts)


def _runs_by_line(text: str, spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """The spans (in order) in runs of those on one line: a newline is looked for between neighbours only,
    not back to the line's start (quadratic on one long line)."""
    runs: list[list[tuple[int, int]]] = []
    find, first = text.find, 0
    for k in range(1, len(spans) + 1):
        if k == len(spans) or find("\n", spans[k - 1][0], spans[k][0]) != -1:
            runs.append(spans[first:k])
            first = k
    return runs


def _indents(text: str) -> set[int]:
    """Where each run of two or more full-width spaces (an indent) starts: found by str.find, five times as
    fast as scanning for the pattern."""
    out: set[int] = set()
    find, starts = text.find, text.startswith
    i = find("\u3000\u3000")
    while i != -1:
        out.add(i)
        j = i + 2
        while starts("\u3000", j):
            j += 1
        i = find("\u3000\u3000", j)
    return out


def _table_cuts(text: str, labels: list[tuple[int, int]], line_start: int, line_end: int) -> list[int]:
    """Cuts before the labels of a flattened table: labels separated only by numbers.

    Prose names the same things (`规章1件、省政府规范性文件2件`) but with words between them, so
    a label counts only where the gap to its neighbour is empty or holds nothing but numbers.
    """
    ends = [start for start, _end in labels[1:]] + [line_end]
    tabular = [_NUMERIC_GAP.fullmatch(text, end, e) is not None for (_start, end), e in zip(labels, ends)]
    if sum(tabular) < _MIN_LABELS:
        return []
    cuts = []
    for i, (cut, _end) in enumerate(labels):
        if tabular[i] or (i and tabular[i - 1]):
            while cut > line_start and text[cut - 1] in "（(“《":
                cut -= 1
            cuts.append(cut)
    return cuts
