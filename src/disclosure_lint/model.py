"""The report model: what dlint understood of a report. Positions are offsets into `Source.text`."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from typing import Any, Literal, NamedTuple

from .compiled import regex
from .source import Source
from .textutil import fold_digits

_SENTENCE = regex(r"[^。！？；!?]+[。！？；!?]?")
_START = itemgetter(0)
_VALUE = itemgetter(1)  # a cell's value

# noise: a markdown table rule (|---|) or a header of placeholder names (数据1 … 数据6)
LineKind = Literal["footer", "noise", "numbers", "row", "heading", "subheading", "item", "text", "blank"]
TemplateId = Literal["2021", "2019", "pre-2019", "unknown"]
SECTION_IDS = ("overall", "proactive", "requests", "review_litigation", "problems", "other")


# The three classes made for every line and cell are named tuples: as immutable as a frozen dataclass,
# and made four times faster (a frozen dataclass's __init__ sets each field through object.__setattr__).
class Span(NamedTuple):
    start: int
    end: int


class Cell(NamedTuple):
    raw: str
    value: int | Decimal | None  # None: a blank mark (`/`, `-`, `—`, `无`, `不适用`)
    span: Span

    @property
    def blank(self) -> bool:
        return self.value is None


class Line(NamedTuple):
    """One logical line as the grammar classified it."""

    kind: LineKind
    text: str
    span: Span
    label: str = ""  # row lines: the text before the cells
    cells: tuple[Cell, ...] = ()


class Row(NamedTuple):
    id: str  # the template's row id: P1…, R1…R25, T4
    label: str  # the label as printed (wrapped fragments joined)
    cells: tuple[Cell, ...]
    span: Span  # from the label (or first cell) to the last cell
    expected: int  # how many cells the template prints in this row
    unreadable: bool = False  # digits run together: cells cannot be told apart
    recovered: bool = False  # cells split from a run of digits, the arithmetic admitting one split only
    splits: int = 0  # unreadable rows: candidate splits left (0 none fits, -1 too many to enumerate)
    condensed: bool = False  # an older layout's one row standing for several template rows

    @property
    def form(self) -> str | None:
        """How the row was read when not as printed cell by cell: recovered, condensed, unreadable."""
        if self.unreadable:
            return "unreadable"
        if self.condensed:
            return "condensed"
        return "recovered" if self.recovered else None

    def values(self) -> list[int | Decimal | None] | None:
        """Cell values when the row has exactly the expected cells, else None."""
        if self.unreadable or len(self.cells) != self.expected:
            return None
        return list(map(_VALUE, self.cells))


class Table(NamedTuple):
    id: str  # proactive | requests | review_litigation
    rows: dict[str, Row]
    span: Span | None

    def __bool__(self) -> bool:
        return bool(self.rows)

    def values(self, row_id: str) -> list[int | Decimal | None] | None:
        """A row's cell values, or None when the row is missing or cannot be read."""
        row = self.rows.get(row_id)
        return row.values() if row else None


class Heading(NamedTuple):
    """A numbered top-level heading (`一、…`) as it stands in the text."""

    number: int | None
    title: str
    span: Span
    section: str | None  # canonical section id, when the title is a known one
    template: str | None  # which template's title it matched
    typo_of: str | None = None  # the known title this one misspells (四、…行政讼诉情况)


class Section(NamedTuple):
    id: str
    heading: Heading | None  # None: the heading is missing (content may still be inferred)
    body: Span | None  # from after the heading (or the inferred start) to the next section


class _once:  # noqa: N801 - used as a decorator, as functools.cached_property
    """functools.cached_property without its lock (Python 3.11 takes one at every first read, a third of
    the cost of reading a short paragraph's sentences): a paragraph is read by one thread."""

    def __init__(self, func: Any) -> None:
        self.func = func
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, cls: type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)  # read from the instance from now on
        return value


@dataclass(frozen=True)
class Paragraph:
    """Prose joined across hard wraps. `pieces` maps paragraph offsets back to the source."""

    text: str
    pieces: tuple[tuple[int, int], ...]  # (offset in paragraph text, offset in source) per line
    section: str | None

    # Computed once per paragraph: many rules read the same sentences.
    @_once
    def folded(self) -> str:
        """The text with full-width digits and punctuation folded (same length, same offsets)."""
        return fold_digits(self.text)

    @_once
    def sentences(self) -> tuple[tuple[int, int, str, str], ...]:
        """(start, end, text, folded text) of each non-blank sentence."""
        folded = self.folded
        out = []
        for m in _SENTENCE.finditer(self.text):
            sentence = m.group()
            if sentence.strip():
                s, e = m.span()
                out.append((s, e, sentence, folded[s:e]))
        return tuple(out)

    @property
    def span(self) -> Span:
        return Span(self.source_offset(0), self.source_offset(len(self.text)))

    def _piece(self, i: int) -> int:
        """The index of the last piece starting at or before i (else the first), found by halving: a
        paragraph of thousands of wrapped lines may have a finding on every line."""
        pieces = self.pieces
        return max(bisect_right(pieces, i, key=_START) - 1, 0) if len(pieces) > 1 else 0

    def source_offset(self, i: int) -> int:
        base, src = self.pieces[self._piece(i)]
        return src + (i - base)

    def span_of(self, start: int, end: int) -> Span:
        last = end - 1 if end > start else start
        pieces = self.pieces
        k = self._piece(start)
        base, src = pieces[k]
        if k + 1 < len(pieces) and pieces[k + 1][0] <= last:  # the span runs onto a later line
            return Span(src + (start - base), self.source_offset(last) + 1)
        return Span(src + (start - base), src + (last - base) + 1)  # one halving for both ends


@dataclass(slots=True)
class Report:
    source: Source
    lines: list[Line]  # the lines that are not blank
    blanks: dict[int, int] = field(default_factory=dict)  # line index -> blank lines just before it
    title: str | None = None
    title_span: Span | None = None
    year: int | None = None
    year_span: Span | None = None
    agency: str | None = None
    template: TemplateId = "unknown"
    headings: list[Heading] = field(default_factory=list)
    sections: dict[str, Section] = field(default_factory=dict)
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    _prose: str | None = field(default=None, repr=False, compare=False)
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # what rules share of it

    def prose(self) -> str:
        """Every paragraph's folded text, joined by NUL (in no report's text): one string a rule searches
        first, in C, to pass over the report when its pattern matches none of its paragraphs."""
        if self._prose is None:
            self._prose = "\0".join(p.folded for p in self.paragraphs)
        return self._prose

    def table(self, table_id: str) -> Table:
        return self.tables.get(table_id) or Table(table_id, {}, None)

    def section_text(self, section_id: str) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.section == section_id]
