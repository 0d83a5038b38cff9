"""What users meet first (part of the user-experience issue): page suffixes, legacy Word files, content
controls in DOCX, JUnit severities, -V, dlint alone, effective settings."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from conftest import CLEAN
from publish import to_docx, to_html

CLEAN_TEXT = CLEAN.read_text(encoding="utf-8")


def dlint(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "disclosure_lint", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "NO_COLOR": "1"})


@pytest.mark.parametrize("suffix", [".shtml", ".aspx", ".jsp", ".xhtml"])
def test_pages_of_any_server_suffix_are_html(tmp_path, suffix):
    (tmp_path / f"report{suffix}").write_bytes(to_html(CLEAN_TEXT))
    for target in (str(tmp_path / f"report{suffix}"), str(tmp_path)):  # named, and found in a folder
        proc = dlint("check", target, "--no-cache", "--output-format", "json")
        files = json.loads(proc.stdout)["files"]
        assert len(files) == 1 and files[0]["year"] == 2023 and files[0]["diagnostics"] == [], proc.stdout


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_legacy_word_files_get_a_clear_finding(tmp_path, suffix):
    (tmp_path / f"report{suffix}").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    proc = dlint("check", str(tmp_path), "--no-cache", "--output-format", "json")
    (diag,) = json.loads(proc.stdout)["files"][0]["diagnostics"]
    assert diag["code"] == "DL008" and ".docx" in diag["message"]


def test_docx_body_inside_a_content_control(tmp_path):
    plain = to_docx(CLEAN_TEXT)
    with zipfile.ZipFile(__import__("io").BytesIO(plain)) as z:
        document = z.read("word/document.xml").decode("utf-8")
        types = z.read("[Content_Types].xml")
    wrapped = document.replace("<w:body>", "<w:body><w:sdt><w:sdtPr/><w:sdtContent>").replace(
        "</w:body>", "</w:sdtContent></w:sdt></w:body>")
    path = tmp_path / "r.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("word/document.xml", wrapped)
    data = json.loads(dlint("check", str(path), "--no-cache", "--output-format", "json").stdout)["files"][0]
    assert data["year"] == 2023 and data["diagnostics"] == []


def test_junit_counts_info_findings_as_no_failures(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(CLEAN_TEXT.replace("扎实推进政府信息公开工作", "扎实推进 政府信息公开工作"), encoding="utf-8")  # DL902, info
    proc = dlint("check", str(path), "--no-cache", "--output-format", "junit")
    root = ET.fromstring(proc.stdout)
    assert proc.returncode == 0 and root.get("failures") == "0" and root.get("tests") == "1"
    assert root.find(".//testcase/system-out") is not None and root.find(".//failure") is None


def test_version_help_and_effective_settings(tmp_path):
    assert dlint("-V").stdout.startswith("dlint ")
    alone = dlint()
    assert alone.returncode == 0 and "用法：dlint" in alone.stdout
    (tmp_path / "r.txt").write_text(CLEAN_TEXT, encoding="utf-8")
    shown = json.loads(dlint("check", str(tmp_path / "r.txt"), "--show-settings").stdout)
    assert shown["similarity-threshold"] == 0.5 and shown["time-limit"] == 10.0


def _under_caret(lines: list[str]) -> list[str]:
    """The text above each caret line, cell for cell (a Han character two cells)."""
    from disclosure_lint.textutil import display_width

    out = []
    for above, line in zip(lines, lines[1:]):
        if "^" not in line or "|" not in line:
            continue
        start, count = line.index("^"), line.count("^")
        acc, got = 0, ""
        for ch in above:
            if start <= acc < start + count:
                got += ch
            acc += display_width(ch)
        out.append(got)
    return out


@pytest.mark.parametrize("columns", [80, 120])
def test_long_crawled_lines_show_a_window_with_the_caret_in_place(tmp_path, columns):
    from disclosure_lint.textutil import display_width

    long = CLEAN_TEXT.replace("2023年，示例县教育局认真贯彻落实",
                              "2023年，示例县教育局" + "认真贯彻落实各项部署，" * 60 + "认真贯彻 落实")
    path = tmp_path / "r.txt"
    path.write_text(long, encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": str(columns)}
    run = lambda cols: subprocess.run([sys.executable, "-m", "disclosure_lint", "check", str(path), "--no-cache",  # noqa: E731
                                       "--output-format", "full"], capture_output=True, text=True,
                                      env={**env, "COLUMNS": str(cols)}).stdout.splitlines()
    narrow, wide = run(columns), run(5000)
    source_lines = [line for line in narrow if line.startswith("6 |")]
    assert source_lines and all(display_width(line) <= columns for line in source_lines)
    assert "…" in source_lines[0]
    assert _under_caret(narrow) == _under_caret(wide) == ["彻 落"]


def test_no_colour_means_no_escape_and_always_means_colour(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(CLEAN_TEXT.replace("扎实推进政府信息公开工作", "扎实推进 政府信息公开工作"), encoding="utf-8")
    base = [sys.executable, "-m", "disclosure_lint", "check", str(path), "--no-cache", "--output-format", "full"]
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    for extra, env_extra in (([ "--no-color", "--color", "always"], {}), (["--color", "always"], {"NO_COLOR": "1"}),
                             (["--color", "never"], {})):
        out = subprocess.run(base + extra, capture_output=True, text=True, env={**env, **env_extra}).stdout
        assert "\x1b[" not in out, extra
    out = subprocess.run(base + ["--color", "always"], capture_output=True, text=True, env=env).stdout
    assert "\x1b[" in out


def test_notices_follow_the_language_and_name_what_they_did(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(CLEAN_TEXT.replace("扎实推进政府信息公开工作", "扎实推进 政府信息公开工作"), encoding="utf-8")
    fixed = dlint("check", str(path), "--fix", "--no-cache")
    assert "已修复1个问题" in fixed.stderr and "fixed" not in fixed.stderr
    path.write_text(CLEAN_TEXT.replace("（七）总计\t21", "（七）总计\t22"), encoding="utf-8")
    base = tmp_path / "base.json"
    wrote = dlint("check", str(path), "--write-baseline", str(base), "--no-cache")
    assert "记入基线" in wrote.stderr
    hidden = dlint("check", str(path), "--baseline", str(base), "--no-cache")
    assert hidden.returncode == 0 and "基线中已记录的" in hidden.stdout
    out = tmp_path / "out.json"
    proc = dlint("check", str(path), "-o", str(out), "--output-format", "json", "--no-cache")
    assert str(out) in proc.stderr and "检查了1个文件" in proc.stderr and json.loads(out.read_text(encoding="utf-8"))


def test_messages_name_rows_by_label_and_headings_whole(tmp_path):
    text = CLEAN_TEXT.replace("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0\n", "")
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    out = dlint("check", str(path), "--no-cache").stdout
    assert "DL207" in out and "(R21)" not in out


def test_check_dot_in_a_repository_checks_only_the_reports(tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "2023.txt").write_text(CLEAN_TEXT, encoding="utf-8")
    (tmp_path / "README.md").write_text("# 报告仓库\n说明文字。\n", encoding="utf-8")
    (tmp_path / "CHANGELOG.txt").write_text("2024-01-20 初稿\n", encoding="utf-8")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "draft.txt").write_text("草稿", encoding="utf-8")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "2019.txt").write_text("旧稿", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("build/\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    assert dlint("check", ".", "--show-files", cwd=tmp_path).stdout.split() == ["old/2019.txt", "reports/2023.txt"]
    (tmp_path / ".dlint.yaml").write_text("extend-exclude: [old]\n", encoding="utf-8")
    proc = dlint("check", ".", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 0 and "reports/2023.txt" not in proc.stdout.split(":")[0]
    assert "检查了1个文件" in proc.stdout and "被.gitignore忽略1个" in proc.stdout and "非报告文件" in proc.stdout
    assert "按exclude排除1个" in proc.stdout
    every = dlint("check", ".", "--show-files", "--no-respect-gitignore", cwd=tmp_path).stdout.split()
    assert every == ["build/draft.txt", "reports/2023.txt"]  # extend-exclude still applies


def test_standard_input_with_a_name(tmp_path):
    from conftest import FIXTURES, SEED

    (tmp_path / ".dlint.yaml").write_text("ignore: [DL902]\n", encoding="utf-8")
    run = lambda data, *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "disclosure_lint", "check", "-", *args, "--output-format", "concise"],
        input=data, capture_output=True, env={**os.environ, "NO_COLOR": "1"})
    named = run(SEED.read_bytes(), "--stdin-filename", str(tmp_path / "draft.txt"))
    lines = [line for line in named.stdout.decode("utf-8").splitlines() if ": DL" in line]
    assert named.returncode == 1 and lines and all(line.startswith(str(tmp_path / "draft.txt")) for line in lines)
    assert "DL401" in named.stdout.decode() and "DL902" not in named.stdout.decode()  # its folder's configuration
    pdf = run((FIXTURES / "wrong-2023-pct-and-total.pdf").read_bytes(), "--stdin-filename", "wrong.pdf")
    assert pdf.returncode == 1 and b"wrong.pdf:" in pdf.stdout and b"DL505" in pdf.stdout
    plain = run(CLEAN.read_bytes())
    assert plain.returncode == 0


def test_the_report_inside_a_sites_chrome(tmp_path):
    from publish import to_html

    title = CLEAN_TEXT.splitlines()[0]
    body = to_html("\n".join(CLEAN_TEXT.splitlines()[1:]) + "\n").decode("utf-8")
    article = body[body.index("<div class='article'>"):body.index("<footer>")]
    page = ("<html><head><meta charset='utf-8'>"
            f"<title>{title}_示例县人民政府门户网站</title></head><body>"
            "<div class='top'><ul><li><a>首 页</a></li><li><a>政务 公开</a></li><li><a>互动 交流</a></li></ul>"
            "<div class='search'>站内 搜索</div></div>"
            "<div class='crumb'>当前位置：首 页 &gt; 政府信息公开 &gt; 年度 报告</div>"
            f"<div class='main'><div class='detail'>{article}</div>"
            "<div class='related'>相关 链接：上一篇 下一篇</div></div>"
            "<div class='bottom'>主办单位：示例县人民政府办公室 版权 所有</div></body></html>")
    path = tmp_path / "page.shtml"
    path.write_text(page, encoding="utf-8")
    data = json.loads(dlint("check", str(path), "--no-cache", "--output-format", "json").stdout)["files"][0]
    assert (data["agency"], data["year"]) == ("示例县教育局", 2023)
    assert data["diagnostics"] == []  # no title error, no stray spaces from the navigation bar
    text = dlint("extract", str(path)).stdout
    assert text.startswith(title) and "首 页" not in text and "版权" not in text


def test_publication_date_of_the_page_against_the_deadline(tmp_path):
    from publish import to_html

    title = CLEAN_TEXT.splitlines()[0]  # a department's 2023 report: due by 31 January 2024
    body = to_html("\n".join(CLEAN_TEXT.splitlines()[1:]) + "\n").decode("utf-8")
    article = body[body.index("<div class='article'>"):body.index("<footer>")]

    def page(head: str, chrome: str) -> dict:
        html = (f"<html><head><meta charset='utf-8'>{head}<title>{title}</title></head><body>"
                f"<div class='crumb'>首页 &gt; 年度报告</div><div class='info'>{chrome}</div>"
                f"<div class='detail'>{article}</div><div class='bottom'>版权所有</div></body></html>")
        path = tmp_path / "page.html"
        path.write_text(html, encoding="utf-8")
        return json.loads(dlint("check", str(path), "--no-cache", "--output-format", "json").stdout)["files"][0]

    late = page("<meta name='PubDate' content='2024-03-05 10:12'>", "")
    found = [d for d in late["diagnostics"] if d["code"] == "DL407"]
    assert len(found) == 1 and "2024-03-05" in found[0]["message"] and "2024年1月31日" in found[0]["message"]
    assert found[0]["line"] == 1  # at the title
    in_chrome = page("", "发布时间：2024年02月01日 来源：本局")
    assert [d["code"] for d in in_chrome["diagnostics"]] == ["DL407"]
    on_time = page("", "发布时间：2024-01-30 浏览次数：12")
    assert on_time["diagnostics"] == []
    assert page("", "")["diagnostics"] == []  # no date on the page: nothing to say


HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("command", ["", "check", "rules", "rule", "extract", "clean", "parse"])
def test_help_of_every_subcommand_speaks_the_users_language(command):
    def descriptions(text: str) -> list[str]:
        # the text beside each option or argument (after the column gap), and every heading
        out = [ln for ln in text.splitlines() if ln and not ln.startswith(" ")]
        out += [re.split(r"\s{2,}", ln.strip(), maxsplit=1)[1] for ln in text.splitlines()
                if ln.startswith("  ") and re.search(r"\S\s{2,}\S", ln.strip())]
        out += [ln.strip() for ln in text.splitlines() if ln.startswith(" " * 20) and ln.strip()]  # wrapped
        return [d for d in out if not d.startswith(("usage", "用法")) and d.strip(" {},") != ""]

    args = [command, "-h"] if command else ["-h"]
    zh = dlint(*args)
    assert zh.returncode == 0 and zh.stdout.startswith("用法：")
    lines = descriptions(zh.stdout)
    english = [d for d in lines if not HAN.search(d) and re.search(r"[A-Za-z]{3,}", d)]  # a wrapped `）` is no English
    assert lines and not english, english
    en = subprocess.run([sys.executable, "-m", "disclosure_lint", *args], capture_output=True, text=True,
                        env={**os.environ, "DLINT_LANG": "en"})
    assert en.stdout.startswith("usage: ")
    # the tables' and the reports' own names are terms of the domain, in English text too (table 三)
    terms = re.compile(r"政府信息公开工作年度报告|[二三四](?= and |\b| )")
    assert [d for d in descriptions(en.stdout) if HAN.search(terms.sub("", d))] == []


def test_usage_errors_in_chinese():
    proc = dlint("chek")
    assert proc.returncode == 2 and "错误" in proc.stderr and "无效的选项" in proc.stderr


def test_os_errors_and_notices_in_chinese(tmp_path):
    missing = dlint("check", str(tmp_path / "missing.txt"), "--no-cache", "--output-format", "concise")
    assert "文件或文件夹不存在" in missing.stdout and "No such file" not in missing.stdout
    english = dlint("check", str(tmp_path / "missing.txt"), "--no-cache", "--lang", "en")
    assert "No such file or directory" in english.stdout
    (tmp_path / "r.txt").write_text(CLEAN_TEXT, encoding="utf-8")
    unwritable = dlint("check", str(tmp_path / "r.txt"), "-o", str(tmp_path / "no" / "such" / "out.json"))
    assert unwritable.returncode == 2 and "不存在" in unwritable.stderr and "No such" not in unwritable.stderr
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "mine.txt").write_text("x", encoding="utf-8")
    kept = dlint("clean", "--cache-dir", str(folder))
    assert "不是dlint的缓存" in kept.stderr and (folder / "mine.txt").exists()
    assert "没有缓存" in dlint("clean", "--cache-dir", str(tmp_path / "none")).stderr


def test_the_readme_hook_rev_is_this_versions_release_tag():
    from disclosure_lint import __version__

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    revs = re.findall(r"^\s+rev: (\S+)", readme, re.M)
    assert revs == [f"v{__version__}"]  # the tag made for this version; <tag> placeholders do not install
    assert f"## {__version__} " in (root / "CHANGELOG.md").read_text(encoding="utf-8")


def test_git_ignores_files_reached_through_links(tmp_path):
    """The paths asked of git are resolved: a folder named through a link, a link to an ignored file and
    a link in an ignored folder to a report are each judged where they really are."""
    from disclosure_lint.runner import _real_paths, collect_files

    repo = tmp_path / "repo"
    (repo / "build").mkdir(parents=True)
    (repo / "reports").mkdir()
    (repo / "reports" / "2023.txt").write_text(CLEAN_TEXT, encoding="utf-8")
    (repo / "build" / "draft.txt").write_text("草稿", encoding="utf-8")
    (repo / "reports" / "draft-link.txt").symlink_to(repo / "build" / "draft.txt")  # an ignored file
    (repo / "build" / "kept-link.txt").symlink_to(repo / "reports" / "2023.txt")  # in an ignored folder
    (repo / ".gitignore").write_text("build/\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (tmp_path / "via").symlink_to(repo)  # the repository named through a link
    for root in (repo, tmp_path / "via"):
        files = sorted(root.rglob("*.txt"))
        assert _real_paths(files) == [str(f.resolve()) for f in files]
        kept = [display for _path, display in collect_files([str(root)]).files]
        assert kept == [str(root / "build" / "kept-link.txt"), str(root / "reports" / "2023.txt")]


def test_a_folders_reports_come_in_the_order_of_their_paths(tmp_path):
    """Sorted part by part, as paths compare (`a-b/c` before `a-b.txt`: a folder's name is compared
    before what follows it), whatever the names' characters."""
    from disclosure_lint.runner import collect_files

    names = ["a-b/c.txt", "a-b.txt", "a b.txt", "a/z.txt", "A.txt", "a.b/x.txt", "a0.txt", "报告/2023.txt",
             "报告-旧.txt", "z/y/x/w.txt"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = [path for path, _display in collect_files([str(tmp_path)]).files]
    assert found == sorted(tmp_path / name for name in names)


def test_git_is_asked_only_about_a_repository(tmp_path, monkeypatch):
    """A folder in no repository (a supervisor's submissions) is collected without starting git; once it
    is a repository, git is asked, and a report named through a link into it is asked about too."""
    import shutil

    from disclosure_lint.runner import collect_files

    real_git = shutil.which("git")
    if real_git is None or subprocess.run([real_git, "-C", str(tmp_path), "rev-parse"], capture_output=True).returncode == 0:
        pytest.skip("needs git, and a temporary folder outside any repository")
    tools, log = tmp_path / "tools", tmp_path / "git-calls"
    tools.mkdir()
    (tools / "git").write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{real_git}" "$@"\n', encoding="utf-8")
    (tools / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    folder = tmp_path / "submissions"
    (folder / "build").mkdir(parents=True)
    (folder / "2023.txt").write_text(CLEAN_TEXT, encoding="utf-8")
    (folder / "build" / "draft.txt").write_text("草稿", encoding="utf-8")
    (folder / ".gitignore").write_text("build/\n", encoding="utf-8")
    assert [d for _p, d in collect_files([str(folder)]).files] == [str(folder / "2023.txt"), str(folder / "build" / "draft.txt")]
    assert not log.exists()
    subprocess.run([real_git, "init", "-q"], cwd=folder, check=True)
    (tmp_path / "via").symlink_to(folder / "build")
    assert [d for _p, d in collect_files([str(folder)]).files] == [str(folder / "2023.txt")]
    assert [d for _p, d in collect_files([str(tmp_path / "via")]).files] == []  # draft.txt, ignored where it is
    assert log.read_text(encoding="utf-8").count("check-ignore") == 2
