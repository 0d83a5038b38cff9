"""Flattened rows (`81010010`) split into cells only where the arithmetic admits exactly one split."""

from __future__ import annotations

import itertools

import pytest
from conftest import CLEAN, FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_lint.build import build
from disclosure_lint.recover import row_splits
from disclosure_lint.source import Source, read_source

# (report, R1 as printed in the original table, table 四, the run of 行政规范性文件 left unreadable)
CASES = [
    ("dev-010.txt", [12, 1, 0, 1, 0, 0, 14], [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1], "5426"),
    ("dev-011.txt", [4, 0, 0, 0, 0, 0, 4], [0] * 15, "5225"),
]


def test_prose_pins_a_run_without_arithmetic(lint_file):
    # 009: `行政规范性文件1126` has three splits into 3 cells (1 1 26, 1 12 6, 11 2 6); the prose says
    # `全年制发厅规范性文件1件、废止1件`, which leaves one
    report = build(read_source(FIXTURES / "dev-009.txt"))
    p2 = report.table("proactive").rows["P2"]
    assert p2.recovered and p2.values() == [1, 1, 26]
    assert report.table("requests").rows["R1"].values() == [8, 1, 0, 1, 0, 0, 10]


@pytest.mark.parametrize(("name", "r1", "t4", "ambiguous"), CASES)
def test_crawled_tables_are_recovered_where_unique(lint_file, name, r1, t4, ambiguous):
    report = build(read_source(FIXTURES / name))
    requests = report.table("requests").rows
    assert len(requests) == 25 and all(r.recovered and r.values() is not None for r in requests.values())
    assert requests["R1"].values() == r1
    assert report.table("review_litigation").rows["T4"].values() == t4
    p2 = report.table("proactive").rows["P2"]
    assert p2.unreadable and p2.cells[0].raw == ambiguous and p2.splits == 3  # no arithmetic: not guessed
    codes = [d.code for d in lint_file(FIXTURES / name).diagnostics]
    assert "DL210" in codes and not [c for c in codes if c in ("DL201", "DL202", "DL203", "DL204")]
    # the recovered cells sit on their digits in the source
    text = report.source.text
    assert [text[c.span.start:c.span.end] for c in requests["R1"].cells] == [str(v) for v in r1]


def test_crawl_that_dropped_blank_cells_is_not_split(lint_file):
    report = build(read_source(FIXTURES / "dev-012.txt"))  # 2019 table with blank cells dropped: `11`, `222`
    assert not [r for t in report.tables.values() for r in t.rows.values() if r.recovered]
    assert "DL210" not in {d.code for d in lint_file(FIXTURES / "dev-012.txt").diagnostics}


def flatten(text: str) -> str:
    """The clean report with table 三 crawled flat: every row's cells glued to its label."""
    out = []
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) == 8 and all(p.isdigit() for p in parts[1:]):
            out.append(parts[0] + "".join(parts[1:]))
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def test_flattened_consistent_table_is_recovered_exactly():
    text = CLEAN.read_text(encoding="utf-8")
    plain = build(Source.from_text(text)).table("requests").rows
    flat = build(Source.from_text(flatten(text))).table("requests").rows
    assert {rid: r.values() for rid, r in flat.items()} == {rid: r.values() for rid, r in plain.items()}


def test_two_splits_that_both_fit_are_not_guessed():
    # 1 0 0 0 0 10 11 and 10 0 0 0 0 1 11 read the same when flattened; with the same row in 一, （一）
    # and （七） both splits satisfy every relation of the table
    text = CLEAN.read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) == 8 and all(p.isdigit() for p in parts[1:]):
            label = parts[0]
            values = [1, 0, 0, 0, 0, 10, 11] if label.startswith(("一、本年新收", "（一）予以公开", "（七）总计")) else [0] * 7
            line = label + "".join(map(str, values))
        lines.append(line)
    rows = build(Source.from_text("\n".join(lines) + "\n")).table("requests").rows
    # the three rows that can go either way stay unreadable, each alone, with its two candidates;
    # every other row has one split only and is read
    assert {rid for rid, r in rows.items() if r.unreadable} == {"R1", "R3", "R24"}
    assert all(rows[rid].splits == 2 for rid in ("R1", "R3", "R24"))
    assert all(r.recovered for rid, r in rows.items() if rid not in ("R1", "R3", "R24"))


def test_splits_respect_leading_zeros():
    assert row_splits(["1000"], [(3, False)]) == [(10, 0, 0)]  # `00` is no number
    assert row_splits(["0100"], [(3, False)]) == [(0, 10, 0)]
    assert row_splits(["12"], [(3, False)]) == []


def _every_split(chunks: list[str], blocks: list[tuple[int, bool]]) -> list[tuple[int, ...]]:
    """The splits row_splits must find, by brute force: every way to cut the digits into the row's cells
    (no cell across a chunk boundary, no leading zero) whose blocks' totals equal their parts' sums."""
    digits = "".join(chunks)
    bounds = set(itertools.accumulate(len(c) for c in chunks))
    cells = sum(parts + has_total for parts, has_total in blocks)
    found = []
    for cuts in itertools.combinations(range(1, len(digits)), cells - 1):
        edges = (0, *cuts, len(digits))
        pieces = [digits[a:b] for a, b in zip(edges, edges[1:])]
        if any(p[0] == "0" and len(p) > 1 for p in pieces):
            continue
        if any(any(a < b < e for b in bounds) for a, e in zip(edges, edges[1:])):
            continue
        values, k, fits = [int(p) for p in pieces], 0, True
        for parts, has_total in blocks:
            if has_total:
                fits = fits and sum(values[k:k + parts]) == values[k + parts]
            k += parts + has_total
        if fits:
            found.append(tuple(values))
    return sorted(found)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 4), st.booleans()), min_size=1, max_size=3), st.data())
def test_row_splits_are_every_split_that_fits(blocks, data):
    """Rows of zeros (most flattened rows: answered without the search) and rows of a few digits."""
    cells = sum(parts + has_total for parts, has_total in blocks)
    length = data.draw(st.integers(1, cells + 3))
    digits = data.draw(st.sampled_from(["0" * length, None])) or data.draw(
        st.text(alphabet="0012", min_size=length, max_size=length))
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, length - 1)), max_size=2))) if length > 1 else []
    chunks = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, length]) if a < b]
    assert sorted(row_splits(chunks, blocks)) == _every_split(chunks, blocks)
