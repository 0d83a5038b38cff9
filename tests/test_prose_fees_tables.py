"""Rules whose inputs are too large for a YAML example: each shown failing on a mutation of the clean
report (non-zero numbers) and passing on the report itself."""

from __future__ import annotations

import pytest
from conftest import CLEAN

TEXT = CLEAN.read_text(encoding="utf-8")
FEE_LINE = "依据《政府信息公开信息处理费管理办法》，本局2023年未收取信息处理费。"


def codes(diags) -> list[str]:
    return sorted(d.code for d in diags)


def rows(text: str, **new: str) -> str:
    """Replace the numbers of the rows whose labels start with the given keys."""
    out = []
    for line in text.splitlines():
        for label, values in new.items():
            if line.startswith(label):
                line = line.split("\t")[0] + "\t" + values.replace(" ", "\t")
        out.append(line)
    return "\n".join(out) + "\n"


def test_clean_report_is_quiet(lint):
    assert lint(TEXT) == []


# ---- DL207 / DL209 ------------------------------------------------------------------------------
def test_missing_rows_are_named(lint):
    text = "\n".join(ln for ln in TEXT.splitlines() if not ln.startswith(("3.要求提供公开出版物", "行政强制"))) + "\n"
    diags = [d for d in lint(text) if d.code == "DL207"]
    assert len(diags) == 2
    assert any("要求提供公开出" in d.message and "R18" not in d.message for d in diags) and any("行政强制" in d.message for d in diags)


def test_missing_table_is_reported_under_its_heading(lint):
    lines = TEXT.splitlines()
    start = lines.index("四、政府信息公开行政复议、行政诉讼情况")
    end = lines.index("五、存在的主要问题及改进情况")
    text = "\n".join(lines[: start + 1] + ["本年度未发生行政复议、行政诉讼案件。", ""] + lines[end:]) + "\n"
    diags = lint(text)
    assert codes(diags) == ["DL209"]
    assert "行政复议" in diags[0].message


# ---- DL302 -----------------------------------------------------------------------------------------
UNPAID = rows(TEXT, **{"2.申请人逾期未按收费通知": "1 0 0 0 0 0 1", "（七）总计": "22 4 0 1 2 0 29",
                       "四、结转下年度": "0 0 0 0 0 0 0"})


def test_unpaid_fee_row_balances(lint):
    assert lint(UNPAID) == []


def test_fee_notice_denied_while_table_counts_unpaid_notices(lint):
    text = UNPAID.replace(FEE_LINE, "本局2023年未发出收费通知，未收取信息处理费。")
    diags = lint(text)
    assert codes(diags) == ["DL302"]
    assert "1件" in diags[0].message
    assert text[diags[0].span.start:diags[0].span.end].startswith("未发出收费通知")


def test_fee_notice_denied_is_fine_when_no_application_lapsed(lint):
    assert lint(TEXT.replace(FEE_LINE, "本局2023年未发出收费通知，未收取信息处理费。")) == []


# ---- DL501: each sentence shape ------------------------------------------------------------------
@pytest.mark.parametrize(("sentence", "stated"), [
    ("全年新收政府信息公开申请26件", "27"),
    ("另有1件申请结转下年度办理", "2"),
    ("本年度因政府信息公开被申请行政复议3起", "4"),
    ("本年度涉及信息公开行政诉讼2起", "3"),
    ("行政事业性收费3.25万元", "3.5"),
])
def test_prose_number_mismatch(lint, sentence, stated):
    base = TEXT.replace("组织业务培训2次。", f"组织业务培训2次。{sentence}。")
    assert lint(base) == [], "the true number must pass"
    true = {"27": "26", "2": "1", "4": "3", "3": "2", "3.5": "3.25"}[stated]
    wrong = base.replace(sentence, sentence.replace(true, stated, 1))
    diags = [d for d in lint(wrong) if d.code == "DL501"]
    assert len(diags) == 1
    assert wrong[diags[0].span.start:diags[0].span.end] == stated
    assert stated in diags[0].message and true in diags[0].message.replace("3.2500", "3.25")


# ---- DL502 -----------------------------------------------------------------------------------------
def test_zero_table_with_applications_in_prose(lint):
    zero = "0 0 0 0 0 0 0"
    text = rows(TEXT, **{k: zero for k in ("一、本年新收", "二、上年结转", "（一）予以公开", "（二）部分公开", "4.保护第三方",
                                        "1.本机关不掌握", "2.没有现成信息", "1.信访举报", "（七）总计", "四、结转下年度")})
    diags = [d for d in lint(text) if d.code == "DL502"]
    assert len(diags) == 1 and "26" in diags[0].message


def test_nonzero_table_while_prose_says_none(lint):
    text = TEXT.replace("全年共收到政府信息公开申请26件，均在法定期限内予以答复。", "全年未收到政府信息公开申请。")
    diags = [d for d in lint(text) if d.code == "DL502"]
    assert len(diags) == 1 and "26" in diags[0].message  # this year's new ones; 3 were carried over


def test_none_received_with_only_carried_over_applications_is_consistent(lint):
    text = TEXT.replace("全年共收到政府信息公开申请26件，均在法定期限内予以答复。", "全年未收到政府信息公开申请。")
    text = text.replace("\t20\t3\t0\t1\t2\t0\t26", "\t0\t0\t0\t0\t0\t0\t0", 1)  # none new, 3 carried over
    assert not [d for d in lint(text) if d.code == "DL502"]


# ---- DL504 -----------------------------------------------------------------------------------------
def test_upheld_claim_against_corrected_case(lint):
    text = TEXT.replace("组织业务培训2次。", "组织业务培训2次。本年度行政复议案件均获维持。")
    diags = [d for d in lint(text) if d.code == "DL504"]
    assert len(diags) == 1 and text[diags[0].span.start:diags[0].span.end] == "均获维持"


def test_all_finished_claim_against_carry_over(lint):
    claim = "全年共收到政府信息公开申请26件，均已办结。"
    text = TEXT.replace("全年共收到政府信息公开申请26件，均在法定期限内予以答复。", claim)
    assert [d.code for d in lint(text)] == ["DL504"]
    done = rows(text, **{"（七）总计": "22 4 0 1 2 0 29", "四、结转下年度": "0 0 0 0 0 0 0", "（一）予以公开": "13 2 0 1 1 0 17"})
    assert lint(done) == []


# ---- DL505 / DL506 ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("pct", "fails"), [("77%", False), ("76.9%", False), ("77.0%", False),  # within one printed unit
                                             ("77.1%", True), ("80%", True), ("75%", True)])
def test_percentage_against_stated_total(lint, pct, fails):
    text = TEXT.replace("均在法定期限内予以答复。", f"其中网络申请20件，占{pct}。")  # 20 / 26 = 76.92 %
    found = [d for d in lint(text) if d.code == "DL505"]
    assert bool(found) == fails
    if fails:
        assert "76.9" in found[0].message and text[found[0].span.start:found[0].span.end] == pct.rstrip("%")


@pytest.mark.parametrize(("done", "fails"), [("29", False), ("26", False), ("30", True)])
def test_finished_against_received_and_carried(lint, done, fails):
    # 26 received this year + 3 carried over: at most 29 can be finished
    text = TEXT.replace("申请26件，均在法定期限内予以答复", f"申请26件，办结{done}件")
    assert ("DL506" in codes(lint(text))) == fails


def test_sentence_right_after_a_table_is_prose_not_a_wrapped_label(lint):
    # a sentence printed under table 四 was taken as the wrapped label of its last row and lost to the rules
    text = TEXT.replace("\n五、存在的主要问题", "\n本年度行政复议结果均予以维持。\n\n五、存在的主要问题")
    diags = [d for d in lint(text) if d.code == "DL504"]
    assert len(diags) == 1 and text[diags[0].span.start:diags[0].span.end] == "均予以维持"
