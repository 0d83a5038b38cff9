"""The HTML audit page in a real headless browser (Debian's chromium, driven by Playwright), and the
CSV export."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CLEAN, FIXTURES, SEED

CHROMIUM = os.environ.get("DLINT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
HOSTILE = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">"


def dlint(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "disclosure_lint", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd)


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("audit")
    reports = folder / "reports"
    reports.mkdir()
    for f in FIXTURES.glob("*.txt"):
        shutil.copy(f, reports / f.name)
    # a report whose title and body carry markup: it must be shown, never run
    hostile = SEED.read_text(encoding="utf-8").replace("工信局2021年", f"工信局{HOSTILE}2021年", 1)
    hostile = hostile.replace("扩 大民主", f"扩 大民主{HOSTILE}")
    (reports / "hostile.txt").write_text(hostile, encoding="utf-8")
    out = folder / "audit.html"
    proc = dlint(folder, "check", "reports", "--output-format", "html", "-o", str(out), "--no-cache")
    assert proc.returncode == 1, proc.stderr
    return out


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.fail("no chromium: .ci/run installs Debian's chromium (or set DLINT_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def open_page(browser, path: Path):
    page = browser.new_page()
    problems, requests = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, problems, requests


def test_page_loads_self_contained_without_console_errors(browser, page_file):
    page, problems, requests = open_page(browser, page_file)
    assert problems == []
    assert requests == [page_file.as_uri()]  # no network resources
    rows = page.eval_on_selector_all("#reports tbody tr", "rows => rows.length")
    assert rows == len(list(FIXTURES.glob("*.txt"))) + 1
    assert page.locator("svg.chart rect").count() > 5
    # dev-001 publishes its tables as images: not 合格, but 无法核对, and counted so in the header
    verdicts = column(page, 8)
    assert "无法核对" in verdicts and "不合格" in verdicts and "合格" in verdicts
    assert page.inner_text(".stat.unchecked").split() == [str(verdicts.count("无法核对")), "无法核对"]
    page.close()


def test_injected_script_does_not_run(browser, page_file):
    page, problems, _ = open_page(browser, page_file)
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.locator("img[src=x]").count() == 0
    assert "<script>window.pwned = 1</script>" in page.inner_text("body")  # shown as text
    assert problems == []
    page.close()


def column(page, n: int) -> list[str]:
    return page.eval_on_selector_all(f"#reports tbody tr:not([hidden]) td:nth-child({n})",
                                     "cells => cells.map(c => c.textContent)")


def test_sorting_by_clicking_headers(browser, page_file):
    page, problems, _ = open_page(browser, page_file)
    page.click("#reports thead th:nth-child(5)")  # errors, ascending
    errors = [int(x) for x in column(page, 5)]
    assert errors == sorted(errors) and errors[0] < errors[-1]
    page.click("#reports thead th:nth-child(5)")  # descending
    assert [int(x) for x in column(page, 5)] == sorted(errors, reverse=True)
    page.click("#reports thead th:nth-child(1)")  # by path, as text
    paths = column(page, 1)
    assert paths == sorted(paths)
    assert problems == []
    page.close()


def test_filtering(browser, page_file):
    page, _, _ = open_page(browser, page_file)
    page.fill("#filter", "教育局")
    visible = column(page, 2)
    assert visible and all("教育局" in a for a in visible)
    page.fill("#filter", "")
    assert len(column(page, 1)) == len(list(FIXTURES.glob("*.txt"))) + 1
    page.close()


def test_csv_one_row_per_finding(tmp_path):
    shutil.copy(SEED, tmp_path / "seed.txt")
    shutil.copy(CLEAN, tmp_path / "clean.txt")
    text = dlint(tmp_path, "check", ".", "--output-format", "csv", "--no-cache").stdout
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    data = json.loads(dlint(tmp_path, "check", ".", "--output-format", "json", "--no-cache").stdout)
    assert len(rows) == sum(len(f["diagnostics"]) for f in data["files"])
    assert {r["agency"] for r in rows} == {"工信局"} and {r["year"] for r in rows} == {"2021"}
    first = rows[0]
    assert first["code"].startswith("DL") and int(first["line"]) >= 1
    assert {r["verdict"] for r in rows} == {"不合格"}  # the seed fails; the clean report has no rows


def test_report_without_its_tables_is_not_passed(tmp_path):
    shutil.copy(FIXTURES / "dev-001.txt", tmp_path / "images.txt")  # tables published as images
    shutil.copy(CLEAN, tmp_path / "clean.txt")
    proc = dlint(tmp_path, "check", ".", "--no-cache")
    assert proc.returncode == 1  # a hook does not pass it (DL209 is an error)
    assert "报告：不合格0份，合格1份，无法核对1份。" in proc.stdout
    rows = list(csv.DictReader(io.StringIO(dlint(tmp_path, "check", ".", "--output-format", "csv",
                                                 "--no-cache").stdout.lstrip("\ufeff"))))
    assert {r["verdict"] for r in rows} == {"无法核对"}


RANK = {"不合格": 2, "无法核对": 1, "合格": 0}


def test_opens_worst_first_with_counts_in_the_header(browser, page_file):
    page, problems, _ = open_page(browser, page_file)
    verdicts = column(page, 8)
    ranks = [RANK[v] for v in verdicts]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] == 2 and ranks[-1] == 0
    errors = [int(x) for x, v in zip(column(page, 5), verdicts) if v == "不合格"]
    assert errors == sorted(errors, reverse=True)  # among the failed, most errors first
    stats = page.eval_on_selector_all(".stat", "s => s.map(x => x.innerText.replace(/\\s+/g, ' ').trim())")
    assert stats[:3] == [f"{verdicts.count(v)} {v}" for v in ("不合格", "无法核对", "合格")]
    shown = sum(int(x) for x in column(page, 5))
    assert stats[3] == f"{shown} 错误"  # findings by severity, summed over the reports
    assert problems == []
    page.close()


def test_chart_bar_filters_reports_and_details_with_chinese_titles(browser, page_file):
    page, problems, _ = open_page(browser, page_file)
    label = page.locator("svg.chart text").first.text_content()
    code = label.split()[0]
    assert code.startswith("DL") and any("\u4e00" <= ch <= "\u9fff" for ch in label)  # the rule's Chinese title
    page.locator(f'.bar[data-rule="{code}"]').click()
    assert page.input_value("#f-rule") == code
    visible = page.eval_on_selector_all("#reports tbody tr:not([hidden])", "rs => rs.map(r => r.getAttribute('data-id'))")
    total = page.eval_on_selector_all("#reports tbody tr", "rs => rs.length")
    assert 0 < len(visible) < total
    assert f"显示 {len(visible)} / {total} 份报告" in page.inner_text("#shown")
    # the details follow: only the visible reports' sections, and in them only this rule's findings
    sections = page.eval_on_selector_all("section:not([hidden])", "ss => ss.map(s => s.id)")
    assert sections == visible
    shown_rules = page.eval_on_selector_all("section:not([hidden]) details:not([hidden])",
                                            "ds => ds.map(d => d.getAttribute('data-rule'))")
    assert shown_rules and set(shown_rules) == {code}
    assert code in page.inner_text(f"#{visible[0]}")  # the code stands beside the title
    page.locator(f'.bar[data-rule="{code}"]').click()  # a second click clears it
    assert len(column(page, 1)) == total
    assert problems == []
    page.close()


def test_filters_by_severity_verdict_and_agency(browser, page_file):
    page, problems, _ = open_page(browser, page_file)
    total = len(column(page, 1))
    page.select_option("#f-verdict", "unchecked")
    assert set(column(page, 8)) == {"无法核对"}
    page.select_option("#f-verdict", "")
    page.select_option("#f-severity", "info")
    infos = [int(x) for x in column(page, 7)]
    assert infos and all(n > 0 for n in infos) and len(infos) < total
    kinds = page.eval_on_selector_all("section:not([hidden]) details:not([hidden])",
                                      "ds => ds.map(d => d.getAttribute('data-severity'))")
    assert set(kinds) == {"info"}
    page.click("#f-clear")
    assert len(column(page, 1)) == total
    # the per-agency view: one row per body with its verdicts; its link filters the reports
    agencies = page.eval_on_selector_all("#agencies tbody tr", "rs => rs.map(r => [...r.cells].map(c => c.innerText))")
    assert sum(int(a[1]) for a in agencies) == total
    assert all(int(a[1]) == int(a[2]) + int(a[3]) + int(a[4]) for a in agencies)
    name, count = agencies[0][0], int(agencies[0][1])
    page.locator("#agencies a[data-agency]").first.click()
    assert set(column(page, 2)) == {name} and len(column(page, 2)) == count
    assert problems == []
    page.close()
