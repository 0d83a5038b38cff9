from __future__ import annotations

import pytest
from conftest import CLEAN, FIXTURES, SEED
from hypothesis import example, given, settings
from hypothesis import strategies as st

from disclosure_lint.build import build
from disclosure_lint.model import SECTION_IDS, Cell, Paragraph, Span
from disclosure_lint.source import Source, read_source


def cells(report, table, row):
    return [c.value for c in report.table(table).rows[row].cells]


def test_seed_tables_are_found_without_any_heading():
    r = build(read_source(SEED))
    assert r.year == 2021 and r.agency == "工信局" and r.template == "2021"
    assert r.headings == []
    assert list(r.table("proactive").rows) == ["P1", "P2", "P3", "P4", "P5", "P6"]
    requests = r.table("requests").rows
    assert list(requests) == [f"R{i}" for i in range(1, 26)]
    assert all(cells(r, "requests", rid) == [0] * 7 for rid in requests)
    assert cells(r, "review_litigation", "T4") == [0] * 15
    # the wrapped label of R21 spans two lines; its row still starts on the label's first line
    assert r.source.position(requests["R21"].span.start)[0] == 118


def test_clean_example_exact_numbers():
    r = build(read_source(CLEAN))
    assert cells(r, "proactive", "P2") == [2, 1, 15]
    assert str(cells(r, "proactive", "P6")[0]) == "3.2500"
    assert cells(r, "requests", "R1") == [20, 3, 0, 1, 2, 0, 26]
    assert cells(r, "requests", "R24") == [21, 4, 0, 1, 2, 0, 28]
    assert cells(r, "review_litigation", "T4") == [2, 1, 0, 0, 3, 1, 0, 0, 1, 2, 0, 0, 0, 0, 0]
    assert all(r.sections[s].heading for s in SECTION_IDS)


def test_pdf_text_with_footers_wraps_and_vertical_headers():
    r = build(read_source(FIXTURES / "dev-025.txt"))
    rows = r.table("requests").rows
    assert len(rows) == 25 and all(len(row.cells) == 7 for row in rows.values())
    assert cells(r, "requests", "R1") == [3001, 53, 0, 0, 61, 4, 3119]
    assert cells(r, "requests", "R4") == [447, 7, 0, 0, 0, 0, 454]
    assert cells(r, "requests", "R20") == [1, 0, 0, 0, 0, 0, 1]
    assert cells(r, "requests", "R21") == [67, 3, 0, 0, 1, 0, 71]
    assert cells(r, "requests", "R25") == [103, 0, 0, 0, 0, 0, 103]
    assert cells(r, "review_litigation", "T4")[:5] == [72, 64, 178, 37, 351]
    assert r.agency == "淮安市人民政府" and r.year == 2024


def test_cells_one_per_line():
    r = build(read_source(FIXTURES / "dev-017.txt"))
    assert cells(r, "proactive", "P2") == [3, 5, 156]
    assert cells(r, "requests", "R8") == [2, 1, 0, 0, 0, 0, 3]
    assert cells(r, "review_litigation", "T4") == [6, 1, 0, 0, 7, 0, 0, 0, 0, 0, 6, 1, 0, 0, 7]


def test_run_together_text_yields_sections_and_flattened_rows():
    r = build(read_source(FIXTURES / "dev-009.txt"))
    assert all(r.sections[s].heading for s in SECTION_IDS)
    r1 = r.table("requests").rows["R1"]  # `81010010`: seen as one run, then split by the arithmetic
    assert r1.recovered and [c.raw for c in r1.cells] == ["8", "1", "0", "1", "0", "0", "10"]
    one_line = build(read_source(FIXTURES / "dev-001.txt"))  # headings glued to text: 止。一、总体情况2023年
    assert [h.section for h in one_line.headings] == list(SECTION_IDS)


def test_table_labels_are_not_section_headings():
    r = build(Source.from_text("某局2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
                               "一、本年新收政府信息公开申请数量\n1\n0\n0\n0\n0\n0\n1\n三、本年度办理结果\n"))
    assert [h.section for h in r.headings] == ["requests"]
    assert cells(r, "requests", "R1") == [1, 0, 0, 0, 0, 0, 1]


def test_blank_marks_are_blank_not_zero():
    r = build(Source.from_text("一、本年新收政府信息公开申请数量 1 / — 0 - 无 1\n"))
    values = [c.value for c in r.table("requests").rows["R1"].cells]
    assert values == [1, None, None, 0, None, None, 1]


def test_fullwidth_digits_and_thousands():
    r = build(Source.from_text("第二十条第（五）项\n行政许可 １２３\n行政处罚 1,234\n"))
    assert cells(r, "proactive", "P3") == [123] and cells(r, "proactive", "P4") == [1234]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_parsing_arbitrary_text_never_raises(text):
    r = build(Source.from_text(text))
    n = len(r.source.text)
    for ln in r.lines:
        assert 0 <= ln.span.start <= ln.span.end <= n


_LINE_CHARS = ("0123456789０１２３４５６７８９ \t\u3000|/／-—–－无不适用（）()元万页第共一二、三.．。；：，"
               "行政许可规章本年新收申请其中件")


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=_LINE_CHARS, min_size=1, max_size=40))
@example("第 3 页")
@example("- 3 -")
@example("规章 5 （其中修订1件）")
@example("行政事业性收费 1.5万元")
@example("本年新收 5 无")
@example("不适用")
@example("行政许可 5 条")
@example("（一）主动公开")
@example("一、总体情况")
@example("1.属于国家秘密")
def test_a_line_ending_in_no_cell_character_gets_the_shape_the_whole_grammar_gives(line):
    # such a line is matched without the cell shapes, and one that also starts with no number's first
    # character is taken for TEXT, the whole line, without a match at all
    from disclosure_lint.parse import CELL_ENDS, MARK_STARTS, line_shapes, text_shapes

    line = line.replace("\n", "")
    if not line or line[-1] in CELL_ENDS:
        return
    whole, short = line_shapes().match(line), text_shapes().match(line)
    assert (whole.lastgroup, whole.group()) == (short.lastgroup, short.group())
    if line[0] not in MARK_STARTS:
        assert (whole.lastgroup, whole.group()) == ("TEXT", line)


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=_LINE_CHARS.replace("\t", "").replace("|", "") + ",+｜\xa0", min_size=1, max_size=40),
       st.integers(0, 50))
@example("行政许可 3 0 12", 0)
@example("行政许可3189", 7)
@example("行政事业性收费670.376375", 0)
@example("无 5 0", 0)
@example("不适用 1", 0)
@example("本年新收 5 — 3", 0)
@example("合计 1,23 4", 0)
@example("1｜2", 0)
@example("行政处罚0+1111", 0)
@example("一、本年新收 １２ 3", 0)
@example("规章\xa05", 0)
@example("0123", 0)
def test_a_line_ending_in_a_count_is_read_as_the_line_shapes_and_the_cell_reader_read_it(line, offset):
    # a line of one count, a row of a label and counts between spaces, or a label with its number glued
    # on, is read without the line shapes' match: the kind, label and cells the shapes and split_cells give
    from disclosure_lint.parse import _KIND, _plain_row, line_shapes, split_cells
    from disclosure_lint.textutil import fold_digits

    line = line.strip()
    if not line or line[-1] not in "0123456789":
        return
    folded = fold_digits(line)
    m = line_shapes().match(line)
    kind = _KIND[m.lastgroup]
    if line.isdigit() and line.isascii() and len(line) < 19:  # parse_lines makes it a line of one cell
        assert (kind, m.group()) == ("numbers", line)
        cells = split_cells(line, offset, folded)[1]
        assert [(c.raw, c.value, c.span) for c in cells] == [(line, int(line), (offset, offset + len(line)))]
    fast = _plain_row(line, offset, folded)
    if fast is not None:
        assert (kind, m.group()) == ("row", line)
        assert fast == split_cells(line, offset, folded)


def test_the_lines_of_real_reports_are_read_as_the_line_shapes_read_them():
    # the reports' own lines (crawled flat, printed as text, cut from tables), each read by parse_lines and
    # by matching the line shapes and splitting the cells as the shapes say
    from disclosure_lint.parse import _KIND, line_shapes, parse_lines, split_cells
    from disclosure_lint.textutil import fold_digits

    read = 0
    for path in sorted(FIXTURES.glob("*.txt")):
        source = read_source(path)
        if "\t" in source.text or "|" in source.text:
            continue
        lines, _blanks = parse_lines(source)
        for ln in lines:
            m = line_shapes().match(ln.text)
            kind = _KIND[m.lastgroup]
            assert (ln.kind, ln.text) == (kind, m.group())
            if kind in ("row", "numbers"):
                label, cells = split_cells(ln.text, ln.span.start, fold_digits(ln.text))
                assert (ln.label, ln.cells) == (label, cells)
                read += ln.text[-1:].isdigit()
    assert read > 200


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=_LINE_CHARS + ",", min_size=1, max_size=40))
@example("1 2 3")
@example("1,234 5.5 / 无 | 7")
@example("规章 5 （其中修订1件）")
@example("合计 1,23 4")
def test_the_possessive_cells_match_what_a_plain_repetition_matches(line):
    # CELLS is (SEP CELL)*+ so that sre keeps no state per cell: a cell never holds a separator, so no
    # repetition could be given back, and every line gets the shape and the extent it would get without it
    import re

    from disclosure_lint.parse import line_shapes

    shapes = line_shapes()
    assert ")*+" in shapes.pattern
    plain = re.compile(shapes.pattern.replace(")*+", ")*"))
    line = line.replace("\n", "")
    whole, slow = shapes.match(line), plain.match(line)
    assert (whole.lastgroup, whole.group()) == (slow.lastgroup, slow.group())


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789０１２ \t\u3000|", min_size=1, max_size=40), st.integers(0, 50))
@example("1" * 19 + " 2", 0)
@example(" | 12 \u3000 3 |", 3)
def test_a_line_of_plain_counts_is_read_as_its_chunks_are(line, offset):
    # a line of counts between spaces is read at once (no list of chunks): the same cells as chunk by chunk
    from disclosure_lint import parse
    from disclosure_lint.textutil import fold_digits

    folded = fold_digits(line)
    fast = parse.split_cells(line, offset, folded)
    chunks = [m for m in parse._CHUNK.finditer(folded)]
    if not chunks:
        return
    assert fast[0] == ""
    assert [(c.raw, c.value, c.span) for c in fast[1]] == \
        [(line[m.start():m.end()], int(m.group()), (offset + m.start(), offset + m.end())) for m in chunks]


_HEAD_PIECES = ["\n", "\n\n", "某市人民政府", "2023年", "政府信息公开工作年度报告", "\u3000\u3000", "一、总体情况",
                "二、主动公开政府信息情况", "（一）", "。", "规章", "行政许可", "本年新收政府信息公开申请数量",
                "3", "12", " ", "\t", "其他"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_HEAD_PIECES), max_size=40).map("".join))
def test_the_title_pass_cuts_each_physical_line_as_the_whole_text_is_cut(text):
    # the batch's title pass segments one physical line at a time, as far as it reads: exact only because
    # the segmenter cuts every physical line on its own
    from disclosure_lint.build import _lines_of
    from disclosure_lint.segment import segments

    assert [ln.span for ln in _lines_of(text)] == list(segments(text))
    assert all(ln.text == text[ln.span.start:ln.span.end] for ln in _lines_of(text))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", " ", "  ", "\u3000"]),
                          st.from_regex(r"[0-9]{1,6}|[0-9]{1,3}(,[0-9]{3})+|无|1\.5| 7 8", fullmatch=True),
                          st.sampled_from(["", " ", "\u3000"])), min_size=1, max_size=8),
       st.integers(0, 50))
def test_a_tab_separated_rows_cells_keep_their_places(fields, offset):
    """Each field of a tab-separated row: its number's text, value and place in the source, whether it is a
    plain count (read at once) or anything else (read chunk by chunk)."""
    from disclosure_lint.parse import split_delimited

    line = "行政许可\t" + "\t".join(lead + value + trail for lead, value, trail in fields)
    kind, label, cells = split_delimited("row", line, offset, line)
    assert (kind, label) == ("row", "行政许可")
    expected = []
    at = len("行政许可\t")
    for lead, value, trail in fields:
        start = at + len(lead)
        for chunk in value.split(" "):  # a field of two numbers is two cells
            if chunk:
                expected.append((chunk, offset + line.index(chunk, start), offset + line.index(chunk, start) + len(chunk)))
                start = line.index(chunk, start) + len(chunk)
        at += len(lead + value + trail) + 1
    assert [(c.raw, c.span.start, c.span.end) for c in cells] == expected
    for c in cells:
        if c.raw.isdigit():
            assert c.value == int(c.raw)


_FIELD_PIECES = ["", " ", "\u3000", "\xa0", "0", "12", "３", "1,234", "3.25", "-5", "—", "-", "/", "无", "不适用", "?",
                 ":", "：", "（其中2件）", "(注)", "元", "万元", "行政许可", "（二）部分公开", "数据1", "列", "页", "）", "٣"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_FIELD_PIECES), max_size=3).map("".join), min_size=1, max_size=7),
       st.integers(0, 50))
@example(["（二）部分公开（区分处理的）", "3", "", "4"], 0)
@example(["", "12", "3"], 5)
@example(["", ""], 0)
@example(["-", "—"], 0)
@example(["数据1", "列2"], 0)
@example(["12(注)", "3"], 0)
def test_a_tabbed_row_read_field_by_field_is_read_as_the_general_reader_reads_it(fields, offset):
    """The tab-only reader answers a row exactly as the reader of any delimited row, or leaves it to it."""
    from disclosure_lint.parse import _split_fields, _split_tabbed
    from disclosure_lint.textutil import fold_digits

    line = "\t".join(fields)
    folded = fold_digits(line)
    fast = _split_tabbed("text", line, offset, folded)
    assert fast is None or fast == _split_fields("text", line, offset, folded)


_ROW_PIECES = ["行政许可", "四、结转下年度继续办理", "3.", "0", "0000000", "3189", "３", "٣", ",", ".", "+", "－", "—", "/",
               "无", "(注)", "元", " ", "\u3000", "\t", "|", "\xa0", "1,234", "3.25", "9" * 20]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_ROW_PIECES), min_size=1, max_size=8).map("".join), st.integers(0, 50))
@example("行政许可3189", 0)
@example("四、结转下年度继续办理0000000", 3)
@example("收费1,234", 0)
@example("收费3.25", 0)
@example("收入97+82", 0)
@example("行政٣12", 0)
@example("（一）行政许可 0 0 0", 0)
@example(" 行政许可  12 3", 4)
@example("行政许可 无 3", 0)
@example("行政许可3 4 5", 0)
@example("收费 1,234 5", 0)
@example("行政许可 ٣ 5", 0)
@example("合计(注) 5", 0)
@example("0 行政许可 3", 0)
@example("行政许可 " + "9" * 20 + " 3", 0)
def test_a_row_read_by_a_shortcut_is_read_as_its_chunks_are(line, offset):
    """Whatever split_cells reads at once (counts only, a number glued to its label, a label and counts
    between spaces) is what reading the row chunk by chunk gives."""
    from disclosure_lint.parse import _split_chunks, split_cells
    from disclosure_lint.textutil import fold_digits

    folded = fold_digits(line)
    assert split_cells(line, offset, folded) == _split_chunks(line, offset, folded)


def test_a_number_glued_to_its_label_is_read_without_its_chunks(monkeypatch):
    """A crawl's flattened row (`行政许可3189`) is its label and one glued number, read without a list of
    chunks and its four patterns: most rows a crawl flattens are so."""
    from disclosure_lint import parse

    monkeypatch.setattr(parse, "_split_chunks", None)  # any row left to the chunk reader fails here
    assert parse.split_cells("行政许可3189", 5) == ("行政许可", (Cell("3189", 3189, Span(9, 13)),))
    assert parse.split_cells("四、结转下年度继续办理0000000")[1][0].raw == "0000000"


def test_a_label_and_counts_between_spaces_are_read_without_the_chunks(monkeypatch):
    """A row printed as text (`（一）行政许可 0 0 0`) is read from its end without the chunk reader; a label
    that may end in a cell is still left to it."""
    from disclosure_lint import parse

    monkeypatch.setattr(parse, "_split_chunks", None)  # any row left to the chunk reader fails here
    assert parse.split_cells("（一）行政许可  0 12", 5) == ("（一）行政许可", (Cell("0", 0, Span(14, 15)),
                                                                            Cell("12", 12, Span(16, 18))))
    # every row of the seed report, a text report: read with no chunk reader at all
    assert len([ln for ln in build(read_source(SEED)).lines if ln.kind == "row"]) >= 25

    monkeypatch.setattr(parse, "_split_chunks", lambda *_args: ("read by chunks", ()))
    assert parse.split_cells("行政许可 无 3")[0] == "read by chunks"


def test_a_batchs_headings_are_read_once_and_each_report_keeps_its_own_place():
    """The template's headings, printed alike in most reports, are matched to their sections once; each
    report's Heading still stands where its own line does."""
    from disclosure_lint.build import _heading_reading

    first = build(Source.from_text(CLEAN.read_text(encoding="utf-8")))
    before = _heading_reading.cache_info().hits
    second = build(Source.from_text("\n\n" + CLEAN.read_text(encoding="utf-8")))
    assert _heading_reading.cache_info().hits - before >= len(first.headings) >= 6
    assert [(h.number, h.title, h.section) for h in second.headings] == [(h.number, h.title, h.section)
                                                                         for h in first.headings]
    assert [h.span.start for h in second.headings] == [h.span.start + 2 for h in first.headings]


def test_an_extracted_tables_rows_are_read_by_the_tab_only_reader():
    """Rows of a table extracted from a document (a label, then counts, decimals, marks or empty fields)
    take the tab-only reader: it is what makes such a report's lines cheap to read."""
    from disclosure_lint.parse import _split_tabbed
    from disclosure_lint.textutil import fold_digits

    rows = [ln for ln in CLEAN.read_text(encoding="utf-8").splitlines() if "\t" in ln]
    rows += ["（一）予以公开\t12\t\t—\t1\t/\t0\t16", "\t3\t4", "行政事业性收费\t3.2500", "申请人情况\t自然人\t商业企业"]
    read = [row for row in rows if _split_tabbed("text", row, 0, fold_digits(row)) is not None]
    assert len(read) >= len(rows) - 1  # a header ending in its unit, （单位：万元）, is left to the general reader


def _placed(pieces: tuple[tuple[int, int], ...], i: int) -> int:
    """The plain reading of a paragraph offset: the last line starting at or before it, else the first."""
    base, src = pieces[0]
    for p_off, s_off in pieces:
        if p_off <= i:
            base, src = p_off, s_off
    return src + (i - base)


@given(st.lists(st.tuples(st.integers(1, 12), st.integers(0, 5)), min_size=1, max_size=12), st.data())
def test_a_paragraph_places_its_offsets_and_spans_as_its_lines_say(lines, data):
    """Wrapped lines of these lengths, each after this many newlines and spaces: every offset and span of the
    paragraph lands on the source character it was read from, by halving as by walking the lines."""
    source, pieces, text = "", [], ""
    for length, gap in lines:
        source += "\n" * (gap + 1)
        pieces.append((len(text), len(source)))
        line = "".join(chr(0x4E00 + (len(text) + n) % 500) for n in range(length))
        source += line
        text += line
    para = Paragraph(text, tuple(pieces), None)
    for i in range(len(text)):
        assert para.source_offset(i) == _placed(para.pieces, i)
        assert source[para.source_offset(i)] == text[i]
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start, len(text)))
    span = para.span_of(start, end)
    assert span == (_placed(para.pieces, start), _placed(para.pieces, max(start, end - 1)) + 1)
    assert para.span == (_placed(para.pieces, 0), _placed(para.pieces, len(text)))


def test_the_possessive_cells_are_the_grammars_own_separator_and_cell():
    # CELLS spells out (SEP CELL)*+ as one regex (the grammar composes no possessive repeat): it must stay
    # what Lark makes of SEP and CELL, or an edit of a cell's shape would miss the cells after the first
    from lark import Lark

    from disclosure_lint.parse import _GRAMMAR, _shape_list

    grammar = _GRAMMAR.read_text(encoding="utf-8").replace("start: _line*", "start: _line* | _twin\n_twin: SEP CELL", 1)
    terminals = {t.name: t.pattern.to_regexp() for t in Lark(grammar, parser="lalr", lexer="basic").terminals}
    twin = "(?:" + terminals["SEP"] + terminals["CELL"] + ")*+"
    shapes = dict(_shape_list())
    assert twin in shapes["NUMBERS"] and twin in shapes["ROW"]


_TITLE = "某局2023年政府信息公开工作年度报告"


@pytest.mark.parametrize("blank", ["", "   ", "\u3000"])
def test_blank_lines_count_among_the_first_twelve_where_the_title_is_looked_for(blank):
    # blank lines are left out of the model's lines, but the title is looked for in the first 12 logical
    # lines as before: blank ones count
    assert build(Source.from_text((blank + "\n") * 11 + _TITLE + "\n")).year == 2023
    assert build(Source.from_text((blank + "\n") * 12 + _TITLE + "\n")).year is None
    # the title as the fourth line with text (the last one looked at), the 12th and the 13th logical line
    assert build(Source.from_text("前言\n\n\n\n前言\n\n\n\n说明\n\n\n" + _TITLE + "\n")).year == 2023
    assert build(Source.from_text("前言\n\n\n\n前言\n\n\n\n说明\n\n\n\n" + _TITLE + "\n")).year is None


def test_a_blank_line_ends_a_paragraph_and_a_wrap_does_not():
    report = build(Source.from_text(_TITLE + "\n一、总体情况\n甲乙。\n丙丁\n戊。\n  \n己。\n\n\n庚。\n"))
    assert [p.text for p in report.paragraphs] == ["甲乙。丙丁戊。", "己。", "庚。"]
    assert not any(ln.kind == "blank" for ln in report.lines)
    assert sorted(report.blanks.values()) == [1, 2]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "  \n\u3000\n"])
def test_a_text_of_blank_lines_keeps_them_for_its_finding(text):
    from disclosure_lint.segment import segments

    report = build(Source.from_text(text))
    assert [ln.span for ln in report.lines] == segments(text)


def test_rows_made_without_their_constructor_have_every_field():
    # the table reader makes rows and cells with tuple.__new__ (a third of the time): each has every field
    from disclosure_lint.model import Cell, Row, Span

    rows = [r for path in (CLEAN, SEED, *sorted(FIXTURES.glob("*.txt")))
            for t in build(read_source(path)).tables.values() for r in t.rows.values()]
    assert len(rows) > 100 and any(r.recovered for r in rows)
    for row in rows:
        assert len(row) == len(Row._fields) and isinstance(row.unreadable, bool) and isinstance(row.splits, int)
        assert all(len(c) == len(Cell._fields) and len(c.span) == len(Span._fields) for c in row.cells)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_HEAD_PIECES + ["   ", "\u3000\u3000", "。二、主动公开政府信息情况", "\n \n"]),
                max_size=40).map("".join))
def test_the_segments_without_blank_lines_count_them_where_they_stood(text):
    # the line reader takes the segments without their blank lines, counted before the next one instead
    from disclosure_lint.segment import segments

    whole = segments(text)
    blanks: dict[int, int] = {}
    kept = segments(text, blanks)
    assert kept == [(s, e) for s, e in whole if e > s]
    expected: dict[int, int] = {}
    gap, index = 0, 0
    for s, e in whole:
        if e == s:
            gap += 1
            continue
        if gap:
            expected[index] = gap
        gap, index = 0, index + 1
    assert blanks == expected


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    """A piece of the text stripped of white space, tabs after its text kept (a tab row's blank cells)."""
    ws = " \t\u3000\u00a0\ufeff"
    first = start
    while first < end and text[first] in ws:
        first += 1
    if first == end:
        return end, end
    last = end
    while text[last - 1] in ws:
        last -= 1
    while last < end and text[last] == "\t":
        last += 1
    return first, last


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=" \t\u3000\u00a0规章1。", max_size=12), st.integers(0, 12), st.integers(0, 12))
def test_a_piece_is_stripped_but_for_the_tabs_after_its_text(text, a, b):
    from disclosure_lint.segment import _strip

    start, end = sorted((min(a, len(text)), min(b, len(text))))
    assert _strip(text, start, end) == _stripped(text, start, end)
