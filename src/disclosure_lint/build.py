"""Stage 3: classified lines to the `Report` model: title, headings, sections, tables, prose.

Tables are recognised by the template, not by line counts: every run of numbers in the table
region is a candidate, its surrounding label text is compared with the template's row labels,
and an order-preserving alignment assigns candidates to rows. Wrapped labels, vertical header
characters and page footers only add noise to a candidate's context; they cannot reorder rows.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import chain, repeat
from operator import attrgetter
from typing import NamedTuple

from .compiled import regex
from .model import SECTION_IDS, Cell, Heading, Line, Paragraph, Report, Row, Section, Span, Table
from .parse import parse_lines
from .recover import recover_table
from .source import HEAD_CHARS, HEAD_LINES, Source
from .stated import stated_numbers
from .template import (
    RowSpec,
    Template,
    match_section_title,
    near_section_title,
    non_section_heading_keys,
    template,
    templates,
)
from .textutil import bigrams, cn_number, fold_digits, norm_label

_TITLE_WORDS = regex(r"政府信息公开|信息公开|政务公开")
# `…工作年度报...`: a list page's title cut short by the site (crawled reports keep it as their title)
_TITLE_END = regex(r"报告|年报|报(?:\.{2,}|…+)$")
_TITLE_YEAR = regex(r"(?P<year>(?:19|20)\d{2})\s*年")
_PERIOD_YEAR = regex(
    r"(?:统计期限|统计期间|统计时限|数据统计)[^。]{0,16}?(?P<year>(?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_HEADING_NUM = regex(r"^([一二三四五六七八九十]{1,2})[、.．]\s*")
_MARKER_START = regex(r"^(?:[0-9０-９]{1,2}[.．、]|[（(][一二三四五六七八九十]{1,2}[）)]|[一二三四五六七八九十]{1,2}[、.．])")
_CONTEXT_BEFORE = 3
_CONTEXT_AFTER = 2
_MIN_COVERAGE = 0.5
# words of table 四's headers, one search (a third of the time of seven `in` tests)
_T4_WORDS = regex("结果维持|尚未审结|复议后起诉|直接起诉|行政复议|行政诉讼|结果纠正")
_PROSE_KINDS = ("text", "item", "subheading", "row", "numbers")
_SKIP_KINDS = ("blank", "footer", "noise")  # lines a table reads through
_TEXT = attrgetter("text")
_RAW = attrgetter("raw")
_new = tuple.__new__


def build(source: Source) -> Report:
    lines, blanks = parse_lines(source)
    report = Report(source, lines, blanks)
    _title(report)
    _headings(report)
    report.template = _detect_template(report)
    table_lines = _tables(report)
    if table_lines and any(not h.section for h in report.headings):  # a table's line read as a heading
        inside = {report.lines[i].span.start for i in table_lines}
        report.headings = [h for h in report.headings if h.section or h.span.start not in inside]
    _sections(report)
    _paragraphs(report, table_lines)
    return report


# -- title, year, agency ---------------------------------------------------------------------

_TITLE_LINES = 12  # the title is on one of the first logical lines


class _FirstLines:
    """The non-blank lines among a report's first 12 logical lines, taken from `lines` only as far as they
    are asked for. `blanks`: line index -> the blank lines before it, where `lines` leaves them out."""

    def __init__(self, lines: Iterable[Line], blanks: dict[int, int]) -> None:
        self._lines = enumerate(lines)
        self._blanks = blanks
        self._logical = 0  # the logical lines read, blank ones included
        self._shown: list[Line] = []

    def at(self, i: int) -> Line | None:
        while len(self._shown) <= i:
            k, line = next(self._lines, (0, None))
            if line is None:
                return None
            self._logical += self._blanks.get(k, 0) + 1
            if self._logical > _TITLE_LINES:
                self._lines = enumerate(())
                return None
            if line.kind != "blank":
                self._shown.append(line)
        return self._shown[i]


def _title(report: Report, lines: Iterable[Line] | None = None) -> None:
    """The title, year and agency, from the first lines (`lines`: the report's lines, blank ones included,
    when made one at a time as they are asked for)."""
    shown = _FirstLines(report.lines, report.blanks) if lines is None else _FirstLines(lines, {})
    for i in range(4):
        ln = shown.at(i)
        if ln is None:
            break
        text, span = ln.text, ln.span
        if (_TITLE_YEAR.search(text) and not _TITLE_END.search(text) and len(text) <= 40
                and (nxt := shown.at(i + 1)) is not None
                and _TITLE_WORDS.match(nxt.text) and _TITLE_END.search(nxt.text)):
            # a title wrapped after its year: …2023 年 / 政府信息公开工作年度报告
            text = report.source.text[span.start:nxt.span.end]
            span = Span(span.start, nxt.span.end)
        if not (_TITLE_WORDS.search(text) and _TITLE_END.search(text)) or len(text) > 80:
            continue
        report.title, report.title_span = text, span
        m = _TITLE_YEAR.search(text)
        if m:
            report.year = int(m.group("year"))
            report.year_span = Span(span.start + m.start("year"), span.start + m.end("year"))
            agency = text[: m.start()].strip(" \u3000　")
            if not agency:  # the agency after the year: 2019年某市人民政府办公厅政府信息公开工作年度报告
                after = _TITLE_WORDS.search(text, m.end())
                agency = re.sub(r"^度", "", text[m.end():after.start() if after else m.end()]).strip(" \u3000\n")
            above = shown.at(i - 1) if i > 0 else None
            if not agency and above is not None and len(above.text) <= 40:
                agency = above.text  # agency on the line above: 淮安市人民政府 / 2024 年…
            report.agency = _clean_agency(agency)
        break
    if report.year is None:
        text = report.source.text[:3000]
        m = _PERIOD_YEAR.search(text)
        if m:
            report.year = int(m.group("year"))
            report.year_span = Span(m.start("year"), m.end("year"))


def peek_title(text: str) -> tuple[str | None, int | None]:
    """(agency, year) from the head of a report, without parsing the rest: how a batch pairs each
    report with the same body's report of the year before."""
    head = text[:HEAD_CHARS]
    nl = -1
    for _ in range(HEAD_LINES):  # the title is within the first lines: segment only those
        nl = head.find("\n", nl + 1)
        if nl == -1:
            break
    if nl != -1:
        head = head[:nl]
    report = Report(Source.from_text(head), [])
    _title(report, _lines_of(head))
    return report.agency, report.year


def _lines_of(head: str) -> Iterator[Line]:
    """The text's logical lines, each physical line segmented only when its lines are asked for (the
    segmenter cuts each physical line on its own: a long crawled line after the title is never cut)."""
    from .segment import segments

    pos = 0
    for physical in head.split("\n"):
        for s, e in segments(physical):
            yield Line("text" if e > s else "blank", physical[s:e], Span(pos + s, pos + e))
        pos += len(physical) + 1


def _clean_agency(agency: str) -> str | None:
    agency = re.sub(r"^(?:关于)", "", agency).strip(" \u3000：:")
    return agency or None


# -- headings and template -------------------------------------------------------------------

def _headings(report: Report) -> None:
    for ln in report.lines:
        if ln.kind != "heading":
            continue
        reading = _heading_reading(ln.text)
        if reading is not None:
            number, title, section, template_id, typo_of = reading
            report.headings.append(Heading(number, title, ln.span, section, template_id, typo_of=typo_of))


@lru_cache(maxsize=4096)  # most reports print their template's headings: each read once a batch
def _heading_reading(text: str) -> tuple[int | None, str, str | None, str | None, str | None] | None:
    """A heading line's number, title, section, template and the known title it misspells; None for a
    table label shaped like a heading (三、本年度办理结果)."""
    key = norm_label(text)
    if len(key) >= 4 and any(b.startswith(key) or key.startswith(b) for b in non_section_heading_keys()):
        return None
    m = _HEADING_NUM.match(text)
    number = cn_number(m.group(1)) if m else None
    title = text[m.end():] if m else text
    matched = match_section_title(title)
    near = None if matched else near_section_title(title)
    if near:
        return number, title.strip(), near[0], near[1], near[2]
    return number, title.strip(), matched[0] if matched else None, matched[1] if matched else None, None


def _detect_template(report: Report) -> str:
    short = "\n".join([text for text in map(_TEXT, report.lines) if len(text) <= 80])
    hits = {t.id: sum(map(short.__contains__, t.markers)) for t in templates()}  # markers found, counted in C
    if hits["2021"] and hits["2021"] >= hits["2019"]:
        return "2021"
    if hits["2019"]:
        return "2019"
    year = report.year
    statutory = {h.section for h in report.headings if h.template in ("2021", "2019") and h.section}
    old_only = [h for h in report.headings if h.template == "pre-2019"]
    if hits["pre-2019"] or (year is not None and year <= 2018):
        return "pre-2019"
    if len(statutory) >= 3 and len(old_only) <= 1:
        if year is None or year >= 2021:
            return "2021"
        return "2019"
    if old_only:
        return "pre-2019"
    return "unknown"


# -- tables ----------------------------------------------------------------------------------

@dataclass(slots=True)
class _Group:
    """A run of cells in the table region and the label text around it."""

    cells: list
    first: int  # line index of the first line carrying cells
    last: int
    own: str  # label printed on the same line as the cells
    before: list[int]  # line indexes of label text above
    after: list[int]  # line indexes of label text below
    glued: bool = False
    grams: frozenset[str] = frozenset()


def _zone(report: Report, tmpl: Template) -> tuple[int, int]:
    lines = report.lines
    starts = [w for tid in ("proactive", "requests") if tid in tmpl.tables for w in tmpl.tables[tid].starts]
    start = None
    at_tables = {h.span.start for h in report.headings if h.section in ("proactive", "requests")}
    for i, ln in enumerate(lines):
        text = ln.text
        if ln.span.start in at_tables or (len(text) <= 80 and any(map(text.__contains__, starts))):
            start = i
            break
    if start is None:
        return 0, 0
    after = {h.span.start for h in report.headings if h.section in ("problems", "other")}
    end = len(lines)
    if after:
        for i in range(start + 1, len(lines)):
            if lines[i].span.start in after:
                end = i
                break
    return start, end


def _groups(lines: list[Line], start: int, end: int, bare: frozenset[str] = frozenset()) -> list[_Group]:
    """Candidate rows: runs of numbers with the label text around them. `bare`: normalised labels that
    make a row even with no number and no numbering mark (规章, 行政许可 in a blank table 二)."""
    groups: list[_Group] = []
    open_numbers: _Group | None = None
    for i, ln in enumerate(lines[start:end], start):
        kind = ln.kind
        if kind in _SKIP_KINDS:
            continue
        if kind == "numbers":
            if open_numbers is not None:
                open_numbers.cells.extend(ln.cells)
                open_numbers.last = i
            else:
                open_numbers = _Group(list(ln.cells), i, i, "", [], [])
                groups.append(open_numbers)
            continue
        open_numbers = None
        if kind != "row" and ((_MARKER_START.match(ln.text) and _next_starts_label(lines, i + 1, end, bare))
                              or (norm_label(ln.text) in bare and not _next_is_numbers(lines, i + 1, end))):
            groups.append(_Group([], i, i, ln.text, [], []))  # a row printed with no cells at all
            continue
        if kind == "row":
            rel = ln.cells[0].span.start - ln.span.start if ln.cells else 0
            glued = rel > 0 and ln.text[rel - 1] not in " \t\u3000|"
            groups.append(_Group(list(ln.cells), i, i, ln.label, [], [], glued=glued))
    # label text around each group, bounded by neighbours and by lines that open a new label
    bounds = [g.first for g in groups] + [end]
    prev_last = start - 1
    for k, g in enumerate(groups):
        g.before = _context(lines, g.first - 1, prev_last, -1, _CONTEXT_BEFORE, stop_after_marker=True)
        if not g.own or not _MARKER_START.match(g.own):
            g.after = _context(lines, g.last + 1, bounds[k + 1], 1, _CONTEXT_AFTER, stop_after_marker=False)
        prev_last = g.last
        text = g.own  # the label read downwards: `before` runs upwards from the group
        if g.before:
            text = "".join([lines[j].text for j in reversed(g.before)]) + text
        if g.after:
            text += "".join([lines[j].text for j in g.after])
        g.grams = _label_grams(text)
    return groups


@lru_cache(maxsize=8192)  # a row's label text is the same in most reports of a template
def _label_grams(text: str) -> frozenset[str]:
    return bigrams(norm_label(text))


def _next_is_numbers(lines: list[Line], i: int, end: int) -> bool:
    while i < end and lines[i].kind in _SKIP_KINDS:
        i += 1
    return i < end and lines[i].kind == "numbers"


def _next_starts_label(lines: list[Line], i: int, end: int, bare: frozenset[str] = frozenset()) -> bool:
    """Whether the next line opens another row. A row whose label is a bare fragment (`理` of a label
    wrapped around its numbers in a narrow cell) continues the label above instead."""
    while i < end and lines[i].kind in _SKIP_KINDS:
        i += 1
    if i >= end or lines[i].kind == "heading" or _MARKER_START.match(lines[i].text):
        return True
    if lines[i].kind == "row":
        label = lines[i].label
        return not label or bool(_MARKER_START.match(label)) or norm_label(label) in bare or len(norm_label(label)) > 3
    return False


def _context(lines: list[Line], i: int, limit: int, step: int, count: int, stop_after_marker: bool) -> list[int]:
    out: list[int] = []
    while (i > limit if step < 0 else i < limit) and len(out) < count:
        ln = lines[i]
        if ln.kind in _SKIP_KINDS:
            i += step
            continue
        if ln.kind in ("row", "numbers") or "。" in ln.text:
            break  # a sentence is the report's prose beside the table, never part of a row's label
        starts_label = bool(_MARKER_START.match(ln.text))
        if not stop_after_marker and starts_label:
            break  # the next row's label starts here
        out.append(i)
        if stop_after_marker and starts_label:
            break
        i += step
    return out


def _t4_score(g: _Group, after_requests: bool) -> float:
    """How well a group stands for table 四's one unlabelled row: the numbers after the 复议/诉讼 headers."""
    if not after_requests:
        return -1.0
    filled = sum(1 for c in g.cells if c.raw)  # a header row with empty fields is no data
    if not filled:
        return -1.0
    return 0.5 + min(filled, 15) / 15


class _Plan(NamedTuple):
    """What the table reader needs of a template, made once: the rows in order, the labels that make a
    row on their own, and an index of the labels' bigrams."""

    specs: list[tuple[str, RowSpec]]
    bare: frozenset[str]
    rows_of: dict[str, list[int]]  # bigram -> the rows whose label has it
    unlabelled: list[int]
    sizes: list[int]  # how many bigrams each row's label has


@cache
def _plan(template_id: str) -> _Plan:
    tmpl = template(template_id)
    specs: list[tuple[str, RowSpec]] = []
    for tid, t in tmpl.tables.items():
        for r in t.rows:
            if t.condensed and r.id == t.condensed.rows[0]:
                specs.append((tid, t.condensed.spec))  # an older layout's one row, where its parts stand
            specs.append((tid, r))
    bare = frozenset(norm_label(r.label) for t in tmpl.tables.values() for r in t.rows
                     if r.label and not _MARKER_START.match(r.label))
    index: dict[str, list[int]] = {}
    for j, (_tid, spec) in enumerate(specs):
        if spec.label is not None:
            for gram in spec.grams:
                index.setdefault(gram, []).append(j)
    unlabelled = [j for j, (_tid, spec) in enumerate(specs) if spec.label is None]
    sizes = [len(spec.grams) if spec.label is not None else 0 for _tid, spec in specs]
    return _Plan(specs, bare, index, unlabelled, sizes)


def _align(groups: list[_Group], template_id: str, t4_words: list[bool]) -> list[int | None]:
    """Order-preserving assignment of groups to template rows maximising the label score."""
    plan = _plan(template_id)
    scores: list[dict[int, float]] = []
    for g, ok in zip(groups, t4_words):
        sc: dict[int, float] = {}  # template row -> positive score
        t4 = _t4_score(g, ok)
        if t4 > 0:
            sc.update(dict.fromkeys(plan.unlabelled, t4))
        if g.cells:
            sc.update(_label_scores(template_id, g.grams))
        else:  # a row with numbers wins over a bare label
            sc.update((j, score * 0.9) for j, score in _label_scores(template_id, g.grams))
        scores.append(sc)
    return _assign(scores, len(plan.specs))


@lru_cache(maxsize=8192)  # a row's label is the same text in most reports of a template
def _label_scores(template_id: str, grams: frozenset[str]) -> tuple[tuple[int, float], ...]:
    """(template row, score) of the rows a label's bigrams cover enough of. The bigrams shared with each row
    are counted in C through the index of the rows' bigrams; a row sharing none with the label cannot match
    it: only the others are scored."""
    plan = _plan(template_id)
    sizes = plan.sizes
    out = []
    for j, matched in Counter(chain.from_iterable(map(plan.rows_of.get, grams, repeat(())))).items():
        coverage = matched / sizes[j]
        if coverage >= _MIN_COVERAGE:
            out.append((j, matched + coverage))
    return tuple(out)


def _assign(scores: list[dict[int, float]], n: int) -> list[int | None]:
    """The order-preserving assignment of groups to `n` rows of maximal total score (each group's positive
    scores by row); of equal totals, the one found back from the last group and row, matching when it can."""
    m = len(scores)
    # best[i][j] = max(best[i-1][j], best[i][j-1], best[i-1][j-1] + score): the rows never decrease, so a
    # row is the row above except where a positive score raises it, until the row above catches up
    best = [[0.0] * (n + 1)]
    for i in range(m):
        prev = best[-1]
        row = prev.copy()
        best.append(row)
        if not scores[i]:
            continue
        raised = sorted(scores[i].items())
        for j, s in raised:
            if prev[j] + s > row[j + 1]:
                row[j + 1] = prev[j] + s
        last = raised[-1][0] + 1
        first = raised[0][0] + 1
        run = row[first]
        for k in range(first + 1, last + 1):
            v = row[k]
            if v < run:
                row[k] = run
            else:
                run = v
        # past the last raise the row is the row above, which never decreases: the raise carries on to where
        # the row above reaches it (found by halving, filled in C)
        reach = bisect_left(row, run, last + 1, n + 1)
        row[last + 1:reach] = repeat(run, reach - last - 1)
    assign: list[int | None] = [None] * m
    i, j = m, n
    while i and j:
        s = scores[i - 1].get(j - 1, 0.0)
        if s > 0 and abs(best[i][j] - (best[i - 1][j - 1] + s)) < 1e-9:
            assign[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return assign


def _tables(report: Report) -> set[int]:
    """Find the three tables; return the line indexes they occupy."""
    if report.template not in ("2021", "2019", "unknown"):
        return set()
    tmpl = template("2019" if report.template == "2019" else "2021")
    start, end = _zone(report, tmpl)
    if start >= end:
        return set()
    lines = report.lines
    plan = _plan(tmpl.id)
    groups = _groups(lines, start, end, plan.bare)
    specs = plan.specs
    # table 四 comes after the table-三 rows and under its own headers
    t4_ok = []
    seen_t4_header = False
    for g in groups:
        if not seen_t4_header:
            seen_t4_header = g.before != [] and _T4_WORDS.search("".join([lines[j].text for j in g.before])) is not None
        t4_ok.append(seen_t4_header or len(g.cells) >= 12)
    assign = _align(groups, tmpl.id, t4_ok)
    _drop_condensed(tmpl, groups, specs, assign)
    _join_t4_blocks(groups, specs, assign)
    rows: dict[str, dict[str, Row]] = {tid: {} for tid in tmpl.tables}
    used: set[int] = set()
    for g, a in zip(groups, assign):
        if a is None:
            continue
        tid, spec = specs[a]
        condensed = tmpl.tables[tid].condensed
        expected = len(spec.columns)
        first_line = min([g.first, *g.before])
        if g.own:
            label = g.own
            span_start = lines[g.first].span.start
        else:
            label = "".join(lines[j].text for j in sorted(g.before) + g.after)
            span_start = lines[first_line].span.start
        span = _new(Span, (span_start, g.cells[-1].span.end if g.cells else lines[g.last].span.end))
        unreadable = False
        if len(g.cells) < expected:  # digits run together: a chunk as long as the row is wide, or glued
            longest = max(map(len, map(_RAW, g.cells)), default=0)
            unreadable = (g.glued or longest >= expected) and longest >= 2
        if not g.cells:  # a row printed with its label only: every cell blank, each in its column
            g.cells = [Cell("", None, Span(span.end, span.end)) for _ in range(expected)]
        # every field of a Row in order, made without its Python-level __new__ (a row of each group)
        rows[tid][spec.id] = _new(Row, (spec.id, label, tuple(g.cells), span, expected, unreadable, False, 0,
                                        bool(condensed and spec.id == condensed.id)))
        used.update(range(first_line, g.last + 1))
        used.update(g.after)
    if "review_litigation" in rows and not rows["review_litigation"] and rows.get("requests"):
        header = _blank_review_header(lines, max(r.span.end for r in rows["requests"].values()), end)
        if header is not None:
            at = lines[header].span.end
            rows["review_litigation"]["T4"] = Row("T4", "", tuple(Cell("", None, Span(at, at)) for _ in range(15)),
                                                  lines[header].span, 15)
            used.add(header)
    # Table 三 first: only a crawl that kept every cell of it is trusted to split table 二's runs digit by digit.
    def stated(tid: str) -> Callable[[], list]:  # what the prose says of the table, read only when needed
        return lambda: stated_numbers(tmpl.tables[tid], folded(), [(lines[i].span.start, lines[i].span.end)
                                                                    for i in sorted(used)])

    @cache
    def folded() -> str:
        return fold_digits(report.source.text)

    if rows.get("requests"):
        rows["requests"] = recover_table(tmpl.tables["requests"], rows["requests"], stated("requests"))
    kept_cells = bool(rows.get("requests")) and all(r.values() is not None for r in rows["requests"].values())
    for tid, table_rows in rows.items():
        if table_rows:
            if tid != "requests":
                table_rows = recover_table(tmpl.tables[tid], table_rows, stated(tid), kept_cells)
            spans = [r.span for r in table_rows.values()]
            report.tables[tid] = Table(tid, table_rows, Span(min(s.start for s in spans), max(s.end for s in spans)))
    if used:
        # header lines between the first and the last row belong to the tables too
        lo = min(used)
        first_table_line = next((i for i in range(start, lo + 1)
                                 if lines[i].kind not in ("blank", "heading")), lo)
        used.update(range(first_table_line, max(used) + 1))
    return used


def _drop_condensed(tmpl: Template, groups: list[_Group], specs: list[tuple[str, RowSpec]],
                    assign: list[int | None]) -> None:
    """A condensed row stands only where none of its parts was printed, and only with numbers."""
    for tid, t in tmpl.tables.items():
        c = t.condensed
        if c is None:
            continue
        ids = {specs[a][1].id: k for k, a in enumerate(assign) if a is not None and specs[a][0] == tid}
        k = ids.get(c.id)
        if k is not None and (not groups[k].cells or any(r in ids for r in c.rows)):
            assign[k] = None


def _join_t4_blocks(groups: list[_Group], specs: list[tuple[str, RowSpec]], assign: list[int | None]) -> None:
    """Table 四 printed as three tables, one a block: the runs of numbers after its first join it."""
    k = next((k for k, a in enumerate(assign) if a is not None and specs[a][1].label is None), None)
    if k is None:
        return
    expected = len(specs[assign[k]][1].columns)  # type: ignore[index]
    # the alignment may have taken a later block: start from the first run of numbers before it
    first, cells = k, len(groups[k].cells)
    for j in range(k - 1, -1, -1):
        if assign[j] is not None:
            break
        if not any(c.raw for c in groups[j].cells):
            continue
        if groups[j].own or cells + len(groups[j].cells) > expected:
            break
        first, cells = j, cells + len(groups[j].cells)
    if first != k:
        assign[first], assign[k] = assign[k], None
        k = first
    g = groups[k]
    for j in range(k + 1, len(groups)):
        nxt = groups[j]
        if not any(c.raw for c in nxt.cells):
            continue  # a header row of the next block (行政诉讼 | | |)
        if len(g.cells) >= expected or assign[j] is not None:
            break
        if len(g.cells) + len(nxt.cells) > expected:
            break
        g.cells.extend(nxt.cells)
        g.last = nxt.last
        g.after = nxt.after


# -- sections and prose ----------------------------------------------------------------------

def _sections(report: Report) -> None:
    """Each canonical section: its heading if present, and its body (found or inferred)."""
    anchors: list[tuple[int, str | None]] = []
    for h in report.headings:
        if h.section in SECTION_IDS and h.section not in report.sections:
            report.sections[h.section] = Section(h.section, h, None)
            anchors.append((h.span.start, h.section))
        elif h.section is None or h.section in report.sections:
            anchors.append((h.span.start, None))  # an unknown or repeated heading ends a body
    found = set(report.sections)
    table_of = {"proactive": "proactive", "requests": "requests", "review_litigation": "review_litigation"}
    inferred: list[tuple[int, str]] = []
    for sid, tid in table_of.items():
        table = report.tables.get(tid)
        if sid not in found and table and table.span:
            inferred.append((table.span.start, sid))
    t4 = report.tables.get("review_litigation")
    if "problems" not in found and t4 and t4.span:
        nxt = next((a for a, s in sorted(anchors, key=_anchor_order) if a > t4.span.end), None)
        if nxt is None or any(s == "other" for a, s in anchors if a == nxt):
            inferred.append((t4.span.end, "problems"))
    if "overall" not in found and report.title_span:
        first = min([a for a, _ in anchors] + [a for a, _ in inferred] + [len(report.source.text)])
        if first > report.title_span.end:
            inferred.append((report.title_span.end, "overall"))
    anchors.extend(inferred)
    anchors.sort(key=_anchor_order)
    ends = [a for a, _ in anchors[1:]] + [len(report.source.text)]
    for (start, sid), end in zip(anchors, ends):
        if sid is None:
            continue
        sec = report.sections.get(sid)
        heading = sec.heading if sec else None
        body_start = heading.span.end if heading else start
        report.sections[sid] = Section(sid, heading, Span(body_start, end))
    for sid in SECTION_IDS:
        report.sections.setdefault(sid, Section(sid, None, None))


def _blank_review_header(lines: list[Line], after: int, end: int) -> int | None:
    """The header line of a table 四 printed without one number (a blank template): it becomes an
    empty row, so the blank cells are reported as blank rather than the table as missing."""
    for i, ln in enumerate(lines[:end]):
        if ln.span.start > after and "结果维持" in ln.text and "尚未审结" in ln.text and not ln.cells:
            return i
    return None


def _anchor_order(anchor: tuple[int, str | None]) -> tuple[int, bool, str]:
    """By offset; at one offset a body-ending anchor first, so the section starting there keeps its body."""
    return anchor[0], anchor[1] is not None, anchor[1] or ""


def _paragraphs(report: Report, table_lines: set[int]) -> None:
    bodies = sorted((s.body.start, s.body.end, s.id) for s in report.sections.values() if s.body)
    heading_starts = {h.span.start for h in report.headings}
    title_start = report.title_span.start if report.title_span else -1
    current: list[Line] = []

    def flush() -> None:
        if not current:
            return
        text_parts, pieces, off = [], [], 0
        for ln in current:
            pieces.append((off, ln.span.start))
            text_parts.append(ln.text)
            off += len(ln.text)
        start = current[0].span.start
        section = next((sid for b, e, sid in bodies if b <= start < e), None)
        report.paragraphs.append(Paragraph("".join(text_parts), tuple(pieces), section))
        current.clear()

    blanks = report.blanks
    for i, ln in enumerate(report.lines):
        if current and i in blanks:  # a blank line ends a paragraph
            flush()
        kind = ln.kind
        if kind == "blank" or kind == "footer" or kind == "noise":
            continue
        if i in table_lines or ln.span.start in heading_starts or ln.span.start == title_start:
            if current:
                flush()
            continue
        if kind in _PROSE_KINDS or kind == "heading":
            if kind in ("subheading", "item", "heading") and current:
                flush()
            current.append(ln)
    flush()
