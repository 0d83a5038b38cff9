"""Wrong-by-one in every column of every relation: found, located, and the cell suggested."""

from __future__ import annotations

import re

import pytest
from conftest import CLEAN

TEXT = CLEAN.read_text(encoding="utf-8")
COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def bump(label: str, col: int, by: int = 1, text: str = TEXT) -> str:
    """Change one cell of the tab-separated row starting with `label`."""
    line = next(ln for ln in text.splitlines() if ln.startswith(label))
    parts = line.split("\t")
    parts[col + 1] = str(int(parts[col + 1]) + by)
    return text.replace(line, "\t".join(parts))


@pytest.mark.parametrize("col", range(6))
def test_new_applications_cell_breaks_row_and_balance(lint, col):
    diags = lint(bump("一、本年新收", col))
    codes = sorted(d.code for d in diags)
    assert codes == ["DL201", "DL203"]
    balance = next(d for d in diags if d.code == "DL201")
    assert f"第{col + 1}列（{COLUMNS[col]}）" in balance.message and "差 1" in balance.message
    assert balance.help and COLUMNS[col] in balance.help
    old = int(re.search(r"：(\d+) 使", balance.help).group(1))
    assert f"改为 {old - 1} 则全部成立" in balance.help


def test_total_column_cell_breaks_row_total_and_balance(lint):
    diags = lint(bump("一、本年新收", 6))
    # the prose says 收到…申请26件: the changed total now contradicts it too
    assert sorted(d.code for d in diags) == ["DL201", "DL203", "DL501"]
    assert all("总计" in d.help for d in diags if d.code != "DL501")


@pytest.mark.parametrize("col", range(7))
def test_result_cell_breaks_results(lint, col):
    diags = lint(bump("（一）予以公开", col))
    codes = sorted(d.code for d in diags)
    assert "DL202" in codes
    results = next(d for d in diags if d.code == "DL202")
    assert f"第{col + 1}列" in results.message and "差 1" in results.message
    assert results.help and "予以公开" in results.help


@pytest.mark.parametrize("col", range(7))
def test_carry_forward_cell_breaks_balance(lint, col):
    codes = {d.code for d in lint(bump("四、结转下年度", col))}
    assert "DL201" in codes


@pytest.mark.parametrize("col", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14])
def test_review_litigation_blocks(lint, col):
    line = next(ln for ln in TEXT.splitlines() if ln.startswith("2\t1\t0\t0\t3"))
    parts = line.split("\t")
    parts[col] = str(int(parts[col]) + 1)
    diags = lint(TEXT.replace(line, "\t".join(parts)))
    block = [d for d in diags if d.code == "DL204"]
    assert len(block) == 1 and "差 1" in block[0].message


def test_each_relation_is_added_up_once_a_report_however_many_rules_fail(lint, monkeypatch):
    """The table's relations are added up once for all its arithmetic rules: a wrong cell, which fails a
    row's rule and a column's and makes the table judged, adds none up again (each failing rule judged
    the whole table anew, and each rule added up its own relations once more)."""
    from disclosure_lint.kinds import tables

    sides = []
    real_residual = tables._residual

    def counting(lhs, rhs, values):
        sides.append((lhs, rhs))
        return real_residual(lhs, rhs, values)

    monkeypatch.setattr(tables, "_residual", counting)
    assert not [d for d in lint(TEXT) if d.code.startswith("DL2")]
    clean = list(sides)
    sides.clear()
    diags = lint(bump("一、本年新收", 2))
    assert sorted(d.code for d in diags) == ["DL201", "DL203"] and all("改为" in d.help for d in diags)
    assert len(clean) > 30 and sorted(sides) == sorted(clean)  # the same relations, each once
    assert len(set(sides)) == len(sides)


def test_blank_mark_is_a_defect_not_a_zero(lint):
    line = next(ln for ln in TEXT.splitlines() if ln.startswith("2.重复申请"))
    diags = lint(TEXT.replace(line, line.replace("\t0\t0\t0\t0\t0\t0\t0", "\t/\t0\t0\t0\t0\t0\t0")))
    assert [d.code for d in diags if d.code.startswith("DL2")] == ["DL205"]


def test_missing_cell(lint):
    line = next(ln for ln in TEXT.splitlines() if ln.startswith("二、上年结转"))
    diags = lint(TEXT.replace(line, line.rsplit("\t", 1)[0]))
    assert "DL206" in {d.code for d in diags}


def test_a_wrong_cell_is_judged_once_for_the_row_and_the_column_rule(lint, monkeypatch):
    """One wrong cell fails a row's rule (DL203) and a column's (DL201): the table's equations are judged,
    and the one cell that mends them all found, once for both, and both suggest that cell."""
    from disclosure_lint.kinds import tables

    calls = []
    real_suggest = tables._suggest

    def counting(*args):
        calls.append(args)
        return real_suggest(*args)

    monkeypatch.setattr(tables, "_suggest", counting)
    diags = lint(bump("一、本年新收", 2))
    assert sorted(d.code for d in diags) == ["DL201", "DL203"]
    assert len(calls) == 1  # once for the two rules (once for each failing rule before)
    assert all("改为" in d.help and COLUMNS[2] in d.help for d in diags)
