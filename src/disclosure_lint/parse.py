"""Stage 2: segmented text to classified `Line`s with the Lark line grammar (built once, cached)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from .compiled import regex
from .model import Cell, Line, Span
from .segment import segments
from .source import Source
from .textutil import fold_digits

_GRAMMAR = Path(__file__).with_name("grammar") / "report.lark"
_CHUNK = regex(r"[^ \t\u3000|]+")
# `?`: a scan's cell with ink that OCR could not read (extract/ocr.UNREAD): a cell, of no value
_CELL = regex(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+＋\-－]\d+|[/／]|[-—–－]{1,2}|无|不适用|\?")
# 2019 表二's 本年增/减 column is signed; crawled flat, the sign is the only boundary left: `行政处罚1-10`
_SIGNED_RUN = regex(r"\d+(?:[+＋\-－]\d+)+$")
_SIGN = regex(r"[+＋\-－]")
_NOTE = regex(r"(?<=[0-9])[ \t\u3000]*(?:\([^()\n]{1,30}\)|万元|元)[ \t\u3000|]*$")
_GLUED = regex(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
# Not a line of plain counts between spaces, whose every chunk is a cell (no label, no note): a character
# other than a digit or a space. A search, not a match of the counts (sre stacks a state for every count).
_NOT_COUNTS = regex(r"[^0-9 \t\u3000|]")
_COUNT = regex(r"[0-9]+")


@cache
def parser():  # noqa: ANN201 - lark is imported lazily
    """The LALR parser over the line grammar. Lark caches the compiled grammar on disk."""
    from lark import Lark

    # Every state accepts every line terminal, so the basic lexer is exact here, and faster.
    return Lark(_GRAMMAR.read_text(encoding="utf-8"), parser="lalr", lexer="basic",
                cache=True, maybe_placeholders=False)


_KIND = {"FOOTER": "footer", "NUMBERS": "numbers", "ROW": "row", "HEADING": "heading", "SUBHEADING": "subheading",
         "ITEM": "item", "TEXT": "text"}


@cache
def _shape_list() -> list[list[str]]:
    """The grammar's line terminals, (name, regex), in the order Lark's basic lexer tries them (priority,
    then width). They are kept with the compiled rule data, keyed by the grammar's text: Lark is loaded
    only when the grammar is new or edited."""
    from . import compiled

    key = "dlint line shapes\n" + _GRAMMAR.read_text(encoding="utf-8")
    shapes = compiled.get(key)
    if not (isinstance(shapes, list) and all(isinstance(s, list) and len(s) == 2 for s in shapes)):
        terms = [t for t in parser().terminals if t.name in _KIND]
        terms.sort(key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
        shapes = [[t.name, t.pattern.to_regexp()] for t in terms]
        compiled.put(key, shapes)
    return shapes


@cache
def _shapes(without: tuple[str, ...] = ()) -> re.Pattern[str]:
    return regex("|".join(f"(?P<{name}>{regexp})" for name, regexp in _shape_list() if name not in without))


def line_shapes() -> re.Pattern[str]:
    """The grammar's line terminals as one pattern: the grammar says what each line shape is, and each line
    is then classified by one C-level match instead of Lark's per-token Python loop (the grammar has one
    terminal a line, and its LALR parse would only build a tree of those tokens)."""
    return _shapes()


# A row and a line of numbers end in a cell, its note or a bar, a footer in a dash or 页: a line that ends in
# none of these characters (prose, a heading, a label) is matched without those shapes, whose patterns
# would read it to its end and back before failing.
CELL_ENDS = frozenset("0123456789０１２３４５６７８９/／-—–－无用）)元 \t\u3000|页")
_CELL_SHAPES = ("FOOTER", "NUMBERS", "ROW")


def text_shapes() -> re.Pattern[str]:
    """The shapes a line ending in no cell character can have."""
    return _shapes(_CELL_SHAPES)


# The first characters of a heading's, a subheading's and an item's number: a line ending in no cell
# character and starting with none of these is text (TEXT takes any line), known without a match.
MARK_STARTS = frozenset("一二三四五六七八九十（(0123456789０１２３４５６７８９")


def parse_lines(source: Source) -> tuple[list[Line], dict[int, int]]:
    """Classify every logical line of the source. Never raises on any text.

    Returns the lines that are not blank (three in five of a crawl's lines are: each would be passed over
    by every stage) and, for each line after blank ones, how many stood before it (a paragraph ends there).
    A text of blank lines only keeps them (an empty report is reported at its first line)."""
    text = source.text
    folded = fold_digits(text)  # one pass for the whole text: the fold maps characters one to one
    match, text_match, cell_ends, mark_starts = line_shapes().match, text_shapes().match, CELL_ENDS, MARK_STARTS
    kinds = _KIND
    may_delimit = "\t" in text or "|" in text  # most reports have neither: no line to look into
    spaced, ascii_digits = not may_delimit, _ASCII_DIGITS  # no tab, no bar: rows of spaces, or glued
    lines: list[Line] = []
    append = lines.append
    blanks: dict[int, int] = {}
    new = tuple.__new__  # the named tuples made without their Python-level __new__: a third of the time
    for seg in segments(text, blanks):  # the lines with text: each has a shape (TEXT takes any)
        s, e = seg
        span = new(Span, seg)  # the segment's pair read into a span: no pair made for it
        if text[e - 1] in cell_ends:
            if text[e - 1] in ascii_digits:  # the shapes' reading of most lines ending in a count, known here
                value = text[s:e]
                if value.isdigit() and value.isascii() and e - s < 19:  # one count: a line of cells
                    append(new(Line, ("numbers", value, span, "", (new(Cell, (value, int(value), span)),))))
                    continue
                row = _plain_row(value, s, folded[s:e]) if spaced else None
                if row is not None:  # a row printed as text or crawled flat
                    append(new(Line, ("row", value, span, *row)))
                    continue
            m = match(text, s, e)
        elif text[s] in mark_starts or may_delimit:
            m = text_match(text, s, e)
        else:  # most lines of prose
            append(new(Line, ("text", text[s:e], span, "", ())))
            continue
        kind, value = kinds[m.lastgroup], m.group()  # type: ignore[index, union-attr]
        if may_delimit and ("\t" in value or value.count("|") >= 2):
            kind, label, cells = split_delimited(kind, value, s, folded[s:e])
            append(new(Line, (kind, value, span, label, cells)))
        elif kind == "row" or kind == "numbers":
            label, cells = split_cells(value, s, folded[s:e])
            append(new(Line, (kind, value, span, label, cells)))
        else:
            append(new(Line, (kind, value, span, "", ())))
    if not lines:
        return [Line("blank", "", Span(*seg)) for seg in segments(text)], {}
    return lines, blanks


_DELIMITER = regex(r"[\t|]")
_MD_RULE = regex(r"^[\s|:\-—–－]*$")  # |---|:--| or | - | - |: a markdown rule or an empty stub
# Column names a converter put where the header was lost: 数据1 … 数据6, 列1 … 列6, Column 1.
_PLACEHOLDER = regex(r"^(?:数据|列|字段|Column|Col|column|col)\s*\d{1,2}$")


def split_delimited(kind: str, line: str, offset: int, folded: str) -> tuple[str, str, tuple[Cell, ...]]:
    """A tab-separated or markdown row: every field keeps its column, an empty one is a blank cell.

    Returns the line kind (`row`, `numbers`, `noise` for markdown rules and placeholder headers, or the
    grammar's kind for text), the label and the cells."""
    tabbed = _split_tabbed(kind, line, offset, folded) if "|" not in folded else None
    return tabbed if tabbed is not None else _split_fields(kind, line, offset, folded)


def _split_fields(kind: str, line: str, offset: int, folded: str) -> tuple[str, str, tuple[Cell, ...]]:
    """split_delimited for any row: tabs or bars, marks, notes, numbers glued to labels."""
    if _MD_RULE.match(folded):
        return "noise", "", ()
    piped = "\t" not in folded
    # one field between each two delimiters, empty ones included
    bounds = [-1, *(m.start() for m in _DELIMITER.finditer(folded)), len(folded)]
    spans = [(a + 1, b) for a, b in zip(bounds, bounds[1:])]
    if piped:  # the outer bars of | a | b | open and close the row
        if spans and not folded[spans[0][0]:spans[0][1]].strip() and folded.lstrip().startswith("|"):
            spans = spans[1:]
        if spans and not folded[spans[-1][0]:spans[-1][1]].strip() and folded.rstrip().endswith("|"):
            spans = spans[:-1]
    texts = [folded[a:b].strip(" \u3000") for a, b in spans]
    if texts and all(not t or _PLACEHOLDER.match(t) for t in texts):
        return "noise", "", ()
    cells: list[Cell] = []
    label_end = 0
    new = tuple.__new__
    for (a, b), t in zip(reversed(spans), reversed(texts)):
        if not t:
            cells.append(Cell("", None, Span(offset + a, offset + a)))
            continue
        if t.isascii() and t.isdigit() and len(t) < 19:  # most fields: one plain count between spaces
            start = folded.find(t, a, b)
            end = start + len(t)
            cells.append(new(Cell, (line[start:end], int(t), new(Span, (offset + start, offset + end)))))
            continue
        chunks = list(_CHUNK.finditer(folded, a, b))
        if all(_CELL.fullmatch(m.group()) for m in chunks):
            cells.extend(_cell(line, folded, m.start(), m.end(), offset) for m in reversed(chunks))
            continue
        label, glued = split_cells(line[a:b], offset + a, folded[a:b])
        cells.extend(reversed(glued))
        if glued and not label.strip():
            continue  # cells with a note beside them: `15（其中修订4件）`
        label_end = a + len(line[a:b]) - len(line[a:b].lstrip()) + len(label) if label else a
        break
    cells.reverse()
    label = line[:label_end].strip(" \t\u3000|")
    if not label:
        while cells and cells[0].raw == "" and cells[0].span.start == offset + spans[0][0]:
            cells.pop(0)  # a leading empty field before the first number is no column of its own
        if not cells:
            return kind, "", ()
        return "numbers", "", tuple(cells)
    if not any(c.raw for c in cells) and len(cells) < 2:
        return kind, "", ()  # a stray delimiter after a heading or a sentence is no table row
    return "row", label, tuple(cells)


# The last characters of a field in which split_cells may find a cell (a digit, a mark) or a note, or that
# may end a markdown rule: another field is all label.
_CELL_OR_RULE_END = frozenset("/／-—–－无用?:)元")


def _split_tabbed(kind: str, line: str, offset: int, folded: str) -> tuple[str, str, tuple[Cell, ...]] | None:
    """split_delimited for the row an extracted table (HTML, DOCX, PDF) gives: tabs only, a label, then
    plain counts or empty fields. Fields are read from the end with str.split, not matched; any other
    field (a mark, a note, a number glued to its label) answers None, for split_delimited's own reading."""
    fields = folded.split("\t")
    cells: list[Cell] = []
    new = tuple.__new__
    counted = False  # a field that makes the line no markdown rule and no stub of empty fields
    b = len(folded)
    for f in reversed(fields):
        a = b - len(f)
        t = f.strip(" \u3000")
        if not t:
            cells.append(new(Cell, ("", None, new(Span, (offset + a, offset + a)))))
        elif t.isascii() and t.isdigit() and len(t) < 19:
            start = folded.find(t, a, b)
            end = start + len(t)
            cells.append(new(Cell, (line[start:end], int(t), new(Span, (offset + start, offset + end)))))
            counted = True
        elif " " not in t and "\u3000" not in t and _CELL.fullmatch(t):  # a mark or a decimal: `—`, `3.25`
            start = folded.find(t, a, b)
            cells.append(_cell(line, folded, start, start + len(t), offset))
            counted = counted or not _MD_RULE.match(t)  # `| - | - |` is a markdown rule, `—` a blank cell
        elif (t[-1] in _CELL_OR_RULE_END or t[-1].isdigit() or t[-1].isspace()) and (
                t[-1] not in ")元" or _NOTE.search(t)):
            return None
        else:  # the label: no cell, no note, no markdown rule, no placeholder column name can end so
            field = line[a:b]
            label = field.strip(" \u3000")
            label_end = a + len(field) - len(field.lstrip()) + len(label)
            if not any(c.raw for c in cells) and len(cells) < 2:
                return kind, "", ()  # a stray tab after a heading or a sentence is no table row
            cells.reverse()  # the label holds a character no strip takes: never empty
            return "row", line[:label_end].strip(" \t\u3000|"), tuple(cells)
        b = a - 1
    if not counted:
        return None  # empty fields only: split_delimited tells a stub
    cells.reverse()
    if cells[0].raw == "" and cells[0].span.start == offset:
        cells.pop(0)  # a leading empty field before the first number is no column of its own
    return "numbers", "", tuple(cells)


def split_cells(line: str, offset: int = 0, folded: str | None = None) -> tuple[str, tuple[Cell, ...]]:
    """The label and the trailing cells of a row line (scanned right to left, linear time)."""
    if folded is None:
        folded = fold_digits(line)  # same length: the fold maps characters one to one
    new = tuple.__new__
    if not _NOT_COUNTS.search(folded):  # cells made as the counts are found: no list of chunks, no checks
        try:
            counts = tuple([new(Cell, (line[m.start():m.end()], int(m.group()),
                                       new(Span, (offset + m.start(), offset + m.end())))) for m in _COUNT.finditer(folded)])
        except ValueError:  # a count past int()'s digit limit: read below, as no value
            counts = ()
        if counts:
            return "", counts
    if " " not in folded and "\t" not in folded and "\u3000" not in folded and "|" not in folded:
        glued = _glued(line, offset, folded)
        if glued is not None:
            return glued
    elif folded[-1:] in _ASCII_DIGITS and "\t" not in folded and "\u3000" not in folded and "|" not in folded:
        spaced = _split_spaced(line, offset, folded)
        if spaced is not None:
            return spaced
    return _split_chunks(line, offset, folded)


_IN_NUMBERS = frozenset(",.+＋-－")  # what joins digits into one number (`1,234`, `3.25`, `97+82`)
_ASCII_DIGITS = frozenset("0123456789")
# The last characters of a chunk that may be a cell (a mark: `无`, `不适用`, `—`, `/`, `?`) or end in one
_CELL_MARK_ENDS = frozenset("/／-—–－无用?")


def _plain_row(line: str, offset: int, folded: str) -> tuple[str, tuple[Cell, ...]] | None:
    """A row of a label and plain counts, between spaces or the one count glued to the label (a crawl's
    `行政许可3189`), in a line of no tab, read without the line shapes' match: what split_cells reads of it,
    where the shapes could only call it a row, whole. split_cells reads such a line (its last character a
    digit, no bar, a character that is no count) by _split_spaced, or as one chunk when it holds no space;
    its label is not empty. The row shape reads a label ending in no digit and no space, then spaces and
    counts (or one number) to the line's end; no line of cells comes before it (_split_spaced gives up at
    a chunk that may end in a cell, and a label's chunk with digits glued on is no cell), nor a footer (it
    ends in a dash or 页). None: the line is matched."""
    if "|" in folded or not _NOT_COUNTS.search(folded):
        return None
    read = _split_spaced(line, offset, folded) if " " in folded else _glued(line, offset, folded)
    if read is None:
        return None
    label, cells = read
    # the label ends in no digit (nor in a bar: the line holds none); where it ends in white space the
    # shapes' separators do not take (a no-break space), the row shape reads the line otherwise
    return None if label[-1].isspace() else (label, cells)


def _glued(line: str, offset: int, folded: str) -> tuple[str, tuple[Cell, ...]] | None:
    """One chunk: `行政许可3189`, `四、结转下年度继续办理0000000` (a crawl's flattened row) is its label and the
    number glued to it, when what stands before the digits can be no part of a number (else None)."""
    end = len(folded.rstrip("0123456789"))
    if 0 < end < len(folded) and folded[end - 1] not in _IN_NUMBERS and not folded[end - 1].isdigit():
        return line[:end], (_cell(line, folded, end, len(folded), offset),)
    return None


def _split_spaced(line: str, offset: int, folded: str) -> tuple[str, tuple[Cell, ...]] | None:
    """A label and plain counts between spaces (`（一）行政许可 0 0 0`, most rows a report prints as text),
    read from the end by str.split (half the time of the chunk reader). None where the label's last chunk
    could be or end in a cell (a digit, a mark): the chunk reader reads that row."""
    new = tuple.__new__
    cells: list[Cell] = []
    end = len(folded)
    for chunk in reversed(folded.split(" ")):
        if not chunk:  # one more space
            end -= 1
        elif chunk.isdigit() and chunk.isascii() and len(chunk) < 19:
            start = end - len(chunk)
            cells.append(new(Cell, (line[start:end], int(chunk), new(Span, (offset + start, offset + end)))))
            end = start - 1  # and the space before it
        elif chunk[-1].isdigit() or chunk[-1] in _CELL_MARK_ENDS:
            return None
        else:  # the label ends here
            cells.reverse()
            return line[:end].strip(" \t\u3000|"), tuple(cells)
    return None


def _split_chunks(line: str, offset: int, folded: str) -> tuple[str, tuple[Cell, ...]]:
    """split_cells for any row: its chunks read from the end, a note, marks, signs and glued numbers."""
    new = tuple.__new__
    note = _NOTE.search(folded)
    if note:  # `15（其中修订4件）`: the note beside the last cell is no cell
        line, folded = line[:note.start()], folded[:note.start()]
    chunks = list(_CHUNK.finditer(folded))
    cells: list[Cell] = []
    label_end = 0
    for m in reversed(chunks):
        raw = m.group()
        if raw.isdigit() and raw.isascii() and len(raw) < 19:  # most cells: a plain count, read here
            a, b = m.span()
            cells.append(new(Cell, (line[a:b], int(raw), new(Span, (offset + a, offset + b)))))
            continue
        if _CELL.fullmatch(raw):
            cells.append(_cell(line, folded, m.start(), m.end(), offset))
            continue
        signed = _SIGNED_RUN.search(raw)
        if signed:  # `97+82179`: cut before each sign; the pieces are split further by the recovery
            start = m.start() + signed.start()
            cuts = [start] + [start + k.start() for k in _SIGN.finditer(signed.group())] + [m.end()]
            cells.extend(_cell(line, folded, a, b, offset) for a, b in reversed(list(zip(cuts, cuts[1:]))))
            label_end = start
            break
        glued = _GLUED.search(raw)
        if glued and glued.start() > 0:  # a number glued to its label: `行政许可3189`
            label_end = m.start() + glued.start()
            cells.append(_cell(line, folded, label_end, m.end(), offset))
        else:
            label_end = m.end()
        break
    cells.reverse()
    return line[:label_end].strip(" \t\u3000|"), tuple(cells)


def _cell(line: str, folded: str, start: int, end: int, offset: int) -> Cell:
    raw = folded[start:end]
    value: int | Decimal | None = None
    if raw.isascii() and raw.isdigit():  # most cells: a plain count
        try:
            value = int(raw)
        except ValueError:  # past int()'s digit limit
            value = None
    elif raw[0].isdigit() or (len(raw) > 1 and raw[0] in "+＋-－" and raw[1].isdigit()):
        plain = raw.replace(",", "").replace("＋", "+").replace("－", "-")
        try:
            value = Decimal(plain) if "." in plain else int(plain)
        except (ValueError, InvalidOperation):
            value = None
    return tuple.__new__(Cell, (line[start:end], value, tuple.__new__(Span, (offset + start, offset + end))))
