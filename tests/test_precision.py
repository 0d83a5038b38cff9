"""Rules auditors keep switched on: the false-alarm classes seen on clean real reports stay silent,
and the seed's and the corpus's real defects are still found."""

from __future__ import annotations

import re

from conftest import CLEAN, FIXTURES, SEED

CLEAN_TEXT = CLEAN.read_text(encoding="utf-8")


def codes(lint, text: str, **ctx) -> list[str]:
    return [d.code for d in lint(text, **ctx)]


def test_no_fee_statement_required_before_the_2021_template(lint):
    # 2019 and 2020 reports follow the 2019 template, which did not ask for the 信息处理费 statement
    old = (FIXTURES / "dev-020.txt").read_text(encoding="utf-8")  # a 2019 report without section 六
    assert "DL301" not in codes(lint, old)
    bare = re.sub(r"六、其他需要报告的事项\n.*", "六、其他需要报告的事项\n无。\n", CLEAN_TEXT, flags=re.S)
    assert "DL301" in codes(lint, bare)  # a 2023 report saying 无 still is one
    as_2020 = bare.replace("2023", "2020")
    assert "DL301" not in codes(lint, as_2020, year=2020) or "DL107" in codes(lint, as_2020, year=2020)


def test_parts_list_compared_by_meaning(lint):
    text = CLEAN_TEXT.replace("本报告依据《中华人民共和国政府信息公开条例》编制。",
                              "本报告依据《中华人民共和国政府信息公开条例》编制，全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
                              "主要问题和改进措施、其他需要报告的事项六个部分。")
    assert "DL111" not in codes(lint, text)
    wrong = text.replace("主要问题和改进措施、", "政府信息管理、")
    found = [d for d in lint(wrong) if d.code == "DL111"]
    assert found and "政府信息管理" in found[0].message
    seven = text.replace("六个部分", "七个部分")
    assert "DL111" in codes(lint, seven)


def test_overview_topics_is_info(engine):
    assert engine.rule("DL109").severity == "info"


def test_plan_year_only_in_sentences_that_plan(lint):
    problems = "本年度政府信息公开工作仍存在"
    looking_back = "（一）2023年工作中存在的主要问题\n2023年，我局政务公开工作取得一定成效，但仍存在不足。"
    text = CLEAN_TEXT.replace(problems, looking_back + problems)
    assert "DL401" not in codes(lint, text)
    planned = CLEAN_TEXT.replace("2024年，我局将进一步", "2023年，我局将进一步")
    assert "DL401" in codes(lint, planned)
    seed = [d for d in lint(SEED.read_text(encoding="utf-8")) if d.code == "DL401"]
    assert len(seed) == 1  # the seed's 2021年…认真总结经验，改正不足


def test_title_with_the_agency_after_the_year(lint):
    text = CLEAN_TEXT.replace("示例县教育局2023年政府信息公开工作年度报告", "2023年示例县教育局政府信息公开工作年度报告")
    assert "DL105" not in codes(lint, text)


def test_percentage_of_any_base_the_sentence_can_mean(lint):
    sentence = ("全年共收到政府信息公开申请2410件，答复政府信息公开申请2480件（含上年度结转），"
                "其中予以公开及部分公开1116件，占45.00%。")
    text = CLEAN_TEXT.replace("（二）依申请公开。全年共收到政府信息公开申请26件，均在法定期限内予以答复。",
                              "（二）依申请公开。" + sentence)
    assert "DL505" not in codes(lint, text)
    wrong = text.replace("45.00%", "47.00%")
    assert "DL505" in codes(lint, wrong)


def test_a_part_of_the_body_is_not_the_table(lint):
    text = CLEAN_TEXT.replace("全年共收到政府信息公开申请26件", "局机关代表全局受理政府信息公开申请17件")
    assert "DL501" not in codes(lint, text)
    text = CLEAN_TEXT.replace("全年共收到政府信息公开申请26件", "全年共收到政府信息公开申请17件")
    assert "DL501" in codes(lint, text)


def test_blank_total_column_is_one_finding_and_no_arithmetic(lint):
    lines = []
    for line in CLEAN_TEXT.splitlines():
        parts = line.split("\t")
        if len(parts) == 8 and all(p.isdigit() for p in parts[1:]):
            parts[7] = ""
        lines.append("\t".join(parts))
    found = [d for d in lint("\n".join(lines) + "\n") if d.code.startswith("DL2")]
    assert [d.code for d in found] == ["DL205"] and "第7列（总计）有25行为空白" in found[0].message


def test_clean_reports_stay_silent(lint, lint_file):
    assert codes(lint, CLEAN_TEXT) == []
    assert not [d for d in lint_file(FIXTURES / "dev-025.txt").diagnostics if d.severity in ("error", "warning")]


# ---- numbers in the prose ----------------------------------------------------------------------

LABELLED = FIXTURES / "prose-labelled.yaml"
PROSE_RULES = ("DL503", "DL505", "DL506", "DL507", "DL508", "DL406")


def test_labelled_prose_sentences(engine):
    import yaml

    from disclosure_lint.api import check_text
    from disclosure_lint.engine import Context, Engine

    prose = Engine(select=PROSE_RULES)
    entries = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    assert len(entries) > 150
    wrong = []
    for entry in entries:
        report = f"某局2023年政府信息公开工作年度报告\n一、总体情况\n{entry['text']}\n"
        got = sorted({d.code for d in check_text(report, prose, Context()).diagnostics})
        if got != sorted(entry["raises"]):
            wrong.append((entry["from"], entry["text"][:60], got, entry["raises"]))
    assert not wrong, wrong


def test_prose_against_the_tables(lint):
    # 办结 stated in 一 against table 三's （七）总计 (28 in the clean report)
    text = CLEAN_TEXT.replace("均在法定期限内予以答复。", "全年共办结政府信息公开申请27件，均在法定期限内予以答复。")
    assert [d.message for d in lint(text) if d.code == "DL501"] == ["正文称办结申请27，表格为28（表三“（七）总计”总计）"]
    assert "DL501" not in codes(lint, text.replace("申请27件", "申请28件"))
    # 予以公开及部分公开 = （一）+（二): 16 + 4
    assert "DL501" in codes(lint, CLEAN_TEXT.replace("均在法定期限内予以答复。", "其中予以公开及部分公开21件。"))
    assert "DL501" not in codes(lint, CLEAN_TEXT.replace("均在法定期限内予以答复。", "其中予以公开及部分公开20件。"))
    # a sub-row's number given as the whole of 无法提供 (5 + 1 + 0)
    assert "DL501" in codes(lint, CLEAN_TEXT.replace("均在法定期限内予以答复。", "因本机关不掌握等原因无法提供5件。"))


def test_claims_against_the_tables(lint):
    # 结转下年度 is 1 in the clean report
    assert "DL504" in codes(lint, CLEAN_TEXT.replace("均在法定期限内予以答复。", "所有申请均已办理完毕。"))
    assert "DL504" not in codes(lint, CLEAN_TEXT)


def test_real_consistent_prose_raises_nothing(lint_file):
    for name in ("dev-009.txt", "dev-017.txt", "dev-025.txt"):
        found = [d.code for d in lint_file(FIXTURES / name).diagnostics if d.code.startswith("DL5") or d.code == "DL406"]
        assert found == [], (name, found)


def test_title_cut_short_by_the_site(lint):
    # dev/026 and 027: the crawler kept the list page's title, `…工作年度报...`
    text = CLEAN_TEXT.replace("示例县教育局2023年政府信息公开工作年度报告", "示例县教育局2023年政府信息公开工作年度报...")
    assert "DL105" not in codes(lint, text)
