"""Published forms: HTML pages, Word files and PDFs read into the same findings as their text."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import CLEAN, FIXTURES
from publish import to_docx, to_html

from disclosure_lint.api import check_path
from disclosure_lint.build import build
from disclosure_lint.engine import Context, Engine
from disclosure_lint.source import read_source

ENGINE = Engine()
WRONG = FIXTURES / "wrong-2023-pct-and-total.txt"


def findings(path: Path) -> list[tuple[str, str]]:
    result = check_path(path, ENGINE, Context())
    assert not result.errors
    return [(d.code, d.message) for d in result.diagnostics]


def tables(path: Path) -> dict[tuple[str, str], list]:
    report = build(read_source(path))
    return {(t, rid): [c.value for c in row.cells] for t, table in report.tables.items() for rid, row in table.rows.items()}


@pytest.mark.parametrize("report", [CLEAN, WRONG], ids=["consistent", "wrong-total"])
@pytest.mark.parametrize("form", ["html", "html-gbk", "docx", "pdf"])
def test_published_forms_give_the_findings_of_the_text(tmp_path, report, form):
    text = report.read_text(encoding="utf-8")
    if form == "pdf":  # printed by chromium from our own HTML (tests/fixtures/make_pdfs.py)
        published = FIXTURES / f"{report.stem}.pdf"
    else:
        published = tmp_path / f"{report.stem}.{form.split('-')[0]}"
        data = to_docx(text) if form == "docx" else to_html(text, "gbk" if form == "html-gbk" else "utf-8")
        published.write_bytes(data)
    assert findings(published) == findings(report)
    assert tables(published) == tables(report)
    if report == WRONG:
        assert {"DL201", "DL203", "DL505"} <= {c for c, _ in findings(published)}


def test_html_drops_scripts_and_navigation_and_handles_merged_cells(tmp_path):
    page = tmp_path / "r.html"
    page.write_bytes(to_html(CLEAN.read_text(encoding="utf-8")))
    text = read_source(page).text
    assert "not text" not in text and "首页" not in text and "版权所有" not in text
    assert "（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0" in text  # rowspan label once, on its first row
    assert "\n2.其他法律行政法规禁止公开\t0" in text


def test_real_pdf_has_the_tables_of_its_text_version():
    pdf, txt = tables(FIXTURES / "dev-025.pdf"), tables(FIXTURES / "dev-025.txt")
    assert len(pdf) == 32 and pdf == txt
    assert not [c for c, _ in findings(FIXTURES / "dev-025.pdf") if c.startswith("DL2")]


@pytest.mark.parametrize("name", ["hzq-2023.pdf", "hzq-2024.pdf"])
def test_pdfs_with_scrambled_text_order_are_read_by_position(name):
    report = build(read_source(FIXTURES / name))
    rows = report.table("requests").rows
    # every row the PDF prints, 23: the template's 25 with （六）'s three sub-rows printed as one row (the 2019 layout)
    assert set(rows) == {f"R{i}" for i in range(1, 26) if i not in (21, 22, 23)} | {"R21-23"}
    assert rows["R21-23"].condensed and rows["R21-23"].values() == [0] * 7
    assert all(row.values() is not None for row in rows.values())
    assert rows["R1"].values()[-1] == {"hzq-2023.pdf": 21, "hzq-2024.pdf": 95}[name]
    codes = [c for c, _ in findings(FIXTURES / name)]
    # the layout deviation once, at the row; no missing rows; the results still add up through it
    assert codes.count("DL211") == 1 and "DL207" not in codes and "DL202" not in codes


def test_hzq_2023_table_four_totals_are_really_zero():
    # the PDF prints 行政复议 10 1 0 0 with 总计 0, and 复议后起诉 5 0 0 0 with 总计 0 (see the rendered page)
    t4 = build(read_source(FIXTURES / "hzq-2023.pdf")).table("review_litigation").rows["T4"].values()
    assert t4 == [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]


def test_consecutive_pdfs_pair_up_and_carry_over_agrees(tmp_path):
    for name in ("hzq-2023.pdf", "hzq-2024.pdf"):
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    from disclosure_lint.config import Overrides
    from disclosure_lint.runner import Runner, collect, index_reports

    files = collect([str(tmp_path)])
    runner = Runner(Overrides(), peers=index_reports(files))
    assert runner.previous_path("淮安市洪泽区人民政府", 2024) == str(tmp_path / "hzq-2023.pdf")
    result, _ = runner.check(tmp_path / "hzq-2024.pdf", "hzq-2024.pdf")
    assert not [d for d in result.diagnostics if d.code == "DL601"]


def test_official_blank_template_docx():
    report = build(read_source(FIXTURES / "template-2021.docx"))
    assert all(report.sections[s].heading is not None for s in report.sections)  # all six headings
    assert len(report.table("proactive").rows) == 6 and len(report.table("requests").rows) == 25
    assert list(report.table("review_litigation").rows) == ["T4"]  # headers, no number: a blank row
    found = findings(FIXTURES / "template-2021.docx")
    blank = [m for c, m in found if c == "DL205"]
    assert [m.split("：")[0] for m in blank] == ["6行没有填写任何数字", "25行没有填写任何数字", "1行没有填写任何数字"]
    assert "表四" in blank[2] and "DL209" not in {c for c, _ in found}  # blank, not zero and not missing


@pytest.mark.parametrize("source", [CLEAN, FIXTURES / "template-2021.docx"], ids=["report", "template"])
def test_a_word_files_text_is_read_without_its_characters_origins_unless_asked(source):
    """The origins (each character's `w:t` and offset, for the hand-back) are made only when asked for: the
    untraced reading makes none, and reads the same text."""
    from xml.etree import ElementTree as ET

    from disclosure_lint.extract import docx

    data = source.read_bytes() if source.suffix == ".docx" else to_docx(source.read_text(encoding="utf-8"))
    text, origins = docx.traced(data, trace=True)
    assert docx.traced(data) == (text, []) and docx.extract(data) == text
    assert len(origins) == len(text) and any(origins)
    body = ET.fromstring(docx.document_xml(data)).find(docx.W + "body")
    paragraphs = [p for p in body.iter(docx.W + "p") if docx._text(p, None)[0]]
    assert paragraphs and all(docx._text(p, None)[1] == [] for p in paragraphs)


def dlint(cwd: Path, *args: str, code: str | None = None) -> subprocess.CompletedProcess:
    prefix = [sys.executable, "-c", code] if code else [sys.executable, "-m", "disclosure_lint"]
    return subprocess.run([*prefix, *args], capture_output=True, text=True, encoding="utf-8", cwd=cwd)


def test_extract_command(tmp_path):
    (tmp_path / "a.docx").write_bytes(to_docx(CLEAN.read_text(encoding="utf-8")))
    single = dlint(tmp_path, "extract", "a.docx")
    assert single.returncode == 0 and "一、本年新收政府信息公开申请数量\t20\t3" in single.stdout
    (tmp_path / "b.html").write_bytes(to_html(CLEAN.read_text(encoding="utf-8")))
    assert dlint(tmp_path, "extract", "a.docx", "b.html", "-o", "out").returncode == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.txt", "b.txt"]


@pytest.mark.parametrize("lang, words", [("zh", "无法提取文本"), ("en", "cannot extract")])
def test_extract_of_a_damaged_file_says_so_and_goes_on(tmp_path, lang, words):
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    (tmp_path / "a.docx").write_bytes(to_docx(CLEAN.read_text(encoding="utf-8")))
    proc = dlint(tmp_path, "extract", "broken.docx", "a.docx", "--lang", lang)
    assert proc.returncode == 1 and "broken.docx" in proc.stderr and words in proc.stderr
    assert "内部错误" not in proc.stderr and "internal error" not in proc.stderr
    assert "一、本年新收政府信息公开申请数量\t20\t3" in proc.stdout


def test_missing_pdf_reader_is_a_one_line_finding(tmp_path):
    code = ("import sys; sys.modules['pypdfium2'] = None; from disclosure_lint.cli import main; "
            "sys.exit(main(sys.argv[1:]))")
    proc = dlint(FIXTURES, "check", "dev-025.pdf", "--no-cache", "--output-format", "json", code=code)
    assert "Traceback" not in proc.stderr and "ImportError" not in proc.stdout
    (diag,) = json.loads(proc.stdout)["files"][0]["diagnostics"]
    assert diag["code"] == "DL006" and "pip install 'disclosure-lint[pdf]'" in diag["message"]


def test_damaged_published_files_are_findings(tmp_path):
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n this is not a pdf")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<" + b" " * (70 * 1024 * 1024))
    (tmp_path / "bomb.docx").write_bytes(bomb.getvalue())
    (tmp_path / "notzip.docx").write_bytes(b"plain text")
    proc = dlint(tmp_path, "check", ".", "--no-cache", "--output-format", "json")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    codes = {Path(f["path"]).name: [d["code"] for d in f["diagnostics"]] for f in json.loads(proc.stdout)["files"]}
    assert codes == {"broken.pdf": ["DL004"], "bomb.docx": ["DL002"], "notzip.docx": ["DL004"]}


def test_fix_never_writes_over_a_published_file(tmp_path):
    page = tmp_path / "r.html"
    text = CLEAN.read_text(encoding="utf-8").replace("扎实推进", "扎实 推进")
    page.write_bytes(to_html(text))
    before = page.read_bytes()
    proc = dlint(tmp_path, "check", "r.html", "--fix")
    assert page.read_bytes() == before and "not written back" in proc.stderr
