"""How a batch pairs each report with the same body's report of the year before, at any batch size: the
title read from the file's head, the near-name look-up, and last year's model built once."""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

import disclosure_lint.runner as runner_module
from disclosure_lint.config import Overrides
from disclosure_lint.runner import Runner, collect, index_reports
from disclosure_lint.source import read_head, read_source

Y2023, Y2022 = FIXTURES / "dev-017.txt", FIXTURES / "dev-018.txt"


def test_near_names_pair_both_ways_and_an_ambiguous_one_does_not():
    peers = {("淮安市洪泽区人民政府", 2023): "long.txt", ("盱眙县人民政府", 2023): "short.txt",
             ("某市盱眙县人民政府", 2023): "other.txt", ("教育厅", 2023): "tiny.txt"}
    run = Runner(Overrides(), peers=peers)
    assert run.previous_path("洪泽区人民政府", 2024) == "long.txt"  # a name that ends with this one
    assert run.previous_path("江苏省淮安市洪泽区人民政府", 2024) == "long.txt"  # a name this one ends with
    assert run.previous_path("淮安市洪泽区人民政府", 2024) == "long.txt"  # the same name
    assert run.previous_path("县人民政府", 2024) is None  # two bodies end so: no guess
    assert run.previous_path("省教育厅", 2024) is None  # under four characters: never by its ending
    assert run.previous_path("洪泽区人民政府", 2023) is None  # no report of 2022


def test_pairing_a_large_batch_does_not_scan_the_index_per_report():
    """10⁵ bodies: the index is gone through once, for a sorted list of the names written backwards (one
    entry a report); each look-up is then a few probes and a binary search. A scan of the index per report
    made a province's batch quadratic."""

    class Counted(dict):
        scans = 0

        def items(self):
            Counted.scans += 1
            return super().items()

    peers = Counted({(f"第{i}号县人民政府", 2023): f"{i}.txt" for i in range(100_000)})
    run = Runner(Overrides(), peers=peers)
    run.previous_path("某县人民政府", 2024)
    before = Counted.scans  # the index gone through when the runner is made and at the first look-up
    for i in range(0, 100_000, 1000):
        assert run.previous_path(f"江苏省第{i}号县人民政府", 2024) == f"{i}.txt"  # a name this one ends with
        # a name ending with this one: only a five-digit number is no other's ending (1号 ends 第11号 too)
        assert run.previous_path(f"{i}号县人民政府", 2024) == (f"{i}.txt" if i >= 10_000 else None)
    assert Counted.scans == before <= 2
    assert sum(len(names) for names in run._backwards().values()) == len(peers)


def test_last_years_model_is_built_once_for_both_checks(tmp_path, monkeypatch):
    """A report checked as last year's of another is not parsed again when its own turn comes, and the
    other way round; the findings are those of a run that builds each time."""
    shutil.copy(Y2023, tmp_path / "a-2023.txt")  # sorted first: its last year is read before it is checked
    shutil.copy(Y2022, tmp_path / "b-2022.txt")
    files = collect([str(tmp_path)])
    import disclosure_lint.build as build_module

    built: list[str] = []
    real_build = build_module.build

    def counting(source):
        built.append(Path(source.path).name)
        return real_build(source)

    monkeypatch.setattr(build_module, "build", counting)
    run = Runner(Overrides(), peers=index_reports(files))
    first = [[(d.code, d.span) for d in r.diagnostics] for r, _s in run.run(files)]
    assert sorted(built) == ["a-2023.txt", "b-2022.txt"]
    assert any(code.startswith("DL6") for code, _span in first[0])  # the pair was made
    monkeypatch.setattr(runner_module, "_MODELS_KEPT", 0)  # nothing kept: every model built anew
    built.clear()
    run = Runner(Overrides(), peers=index_reports(files))
    again = [[(d.code, d.span) for d in r.diagnostics] for r, _s in run.run(files)]
    assert again == first and len(built) > 2


TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\r\x00"), max_size=300)


@settings(max_examples=150, deadline=None)
@given(TEXT, st.sampled_from(["utf-8", "gb18030", "utf-16", "utf-8-sig"]), st.integers(1, 64))
def test_the_head_of_a_file_is_the_start_of_its_text(tmp_path_factory, text, encoding, size):
    """A head cut inside a character loses that character, never decodes it as something else: it is the
    start of the text the whole file reads as. (GB18030 bytes that are also UTF-8, `影` as D3 B0, read as
    UTF-8 whole or cut; a head that is UTF-8 of a file that is not cannot know it without the rest.)"""
    from disclosure_lint.source import SourceError, decode

    try:
        data = text.encode(encoding)
        whole = decode(data).text
    except (UnicodeEncodeError, SourceError):
        return
    path = tmp_path_factory.mktemp("head") / "r.txt"
    path.write_bytes(data)
    head = read_head(path, size)
    if not whole.startswith(head):
        assert encoding == "gb18030" and size < len(data)
        assert head == codecs.utf_8_decode(data[:size], "strict", False)[0]  # the cut bytes alone are UTF-8
        return
    assert len(whole) - len(head) <= len(data[size:]) + 1 or size >= len(data)


def test_a_utf8_head_cut_inside_a_character_reads_as_the_whole_file_does(tmp_path):
    """The head read in one call (UTF-8, its last character cut) is the start of the file's text as a
    check reads it: newlines normalised, nothing decoded from the cut character."""
    text = "某某市人民政府2023年政府信息公开工作年度报告\r\n\r\n一、总体情况\r\n" * 40
    data = text.encode("utf-8")
    path = tmp_path / "r.txt"
    path.write_bytes(data)
    whole = read_source(path).text
    for size in (1000, 1001, 1002, 1003):  # a three-byte character cut at each of its bytes
        head = read_head(path, size)
        assert head == data[:size].decode("utf-8", "ignore").replace("\r\n", "\n").replace("\r", "\n")
        assert whole.startswith(head.rstrip("\n"))


_PIECES = st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<br>", "<table>", "<tr>", "<td>", "</td>", "</table>",
                           "<nav>首页</nav>", "<script>x()</script>", "<title>某县教育局2023年政府信息公开工作年度报告_某县</title>",
                           '<meta name="ArticleTitle" content="某局2022年政府信息公开工作年度报告">', "\n", "  ",
                           "某县教育局", "2023年政府信息公开工作年度报告", "一、总体情况", "二、主动公开政府信息情况",
                           "三、收到和处理政府信息公开申请情况", "（一）行政许可", "12", "本局"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=80))
def test_a_pages_head_is_the_start_of_its_text_and_names_the_same_title(tmp_path_factory, pieces):
    """A batch reads a page's title from its head: the walk of the page stops after the lines a title is
    read from. Those lines are the page's text as a check reads it, so the title and year are the same."""
    from disclosure_lint.build import peek_title
    from disclosure_lint.source import SourceError

    path = tmp_path_factory.mktemp("page") / "r.html"
    path.write_bytes("".join(pieces).encode("utf-8", "surrogatepass"))
    try:
        whole = read_source(path).text
    except SourceError:
        return
    head = read_head(path)
    assert whole.startswith(head) and (head == whole or head.endswith("\n"))
    assert peek_title(head) == peek_title(whole)


@pytest.mark.parametrize("name", ["clean-2023-jiaoyuju.txt", "dev-017.txt", "dev-018.txt", "seed-2021-gongxinju.txt"])
def test_a_pages_title_is_read_without_walking_the_whole_page(tmp_path, name):
    from publish import to_html

    from disclosure_lint.build import peek_title
    from disclosure_lint.source import HEAD_LINES

    path = tmp_path / "r.html"
    path.write_bytes(to_html((FIXTURES / name).read_text(encoding="utf-8")))  # in a site's chrome
    whole, head = read_source(path).text, read_head(path)
    assert whole.startswith(head) and head.count("\n") <= HEAD_LINES + 12 < whole.count("\n")  # a table's rows at most
    assert peek_title(head) == peek_title(whole) != (None, None)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["某县教育局2023年政府信息公开工作年度报告", "一、总体情况", "本局\t12\t0", "（一）行政许可\t3",
                                 "", "二、主动公开政府信息情况", "信息内容\t本年制发件数"]) | st.text(max_size=12),
                min_size=0, max_size=60))
def test_a_word_files_head_is_the_start_of_its_text_and_names_the_same_title(tmp_path_factory, lines):
    """A batch reads a Word file's title from its head: its XML is parsed only as far as the lines a title is
    read from. Those lines are the file's text as a check reads it."""
    from publish import to_docx

    from disclosure_lint.build import peek_title
    from disclosure_lint.source import SourceError

    path = tmp_path_factory.mktemp("docx") / "r.docx"
    path.write_bytes(to_docx("\n".join(line.replace("\r", "") for line in lines)))
    head = read_head(path)
    try:
        whole = read_source(path).text
    except SourceError:  # a character XML refuses: the file is damaged, and names no title either
        assert peek_title(head) == (None, None)
        return
    assert whole.startswith(head) and peek_title(head) == peek_title(whole)


def test_a_word_templates_title_is_read_from_its_first_blocks(tmp_path):
    """The official template (Word's own XML, 250 KB): its head is read without parsing the rest."""
    import xml.etree.ElementTree as ET

    from disclosure_lint.build import peek_title
    from disclosure_lint.extract import docx

    path = FIXTURES / "template-2021.docx"
    whole, head = read_source(path).text, read_head(path)
    assert whole.startswith(head) and len(head) < len(whole) / 2 and peek_title(head) == peek_title(whole)
    xml = docx.document_xml(path.read_bytes())
    fed = []
    real = ET.XMLPullParser.feed
    try:
        ET.XMLPullParser.feed = lambda self, chunk: (fed.append(len(chunk)), real(self, chunk))[1]
        read_head(path)
    finally:
        ET.XMLPullParser.feed = real
    assert 0 < sum(fed) < len(xml) / 2


def test_a_published_report_is_read_once_though_it_is_also_last_years(tmp_path, monkeypatch):
    """Two years of one body as web pages, this year's checked first: last year's page is read for this
    year's comparison and not again for its own check (the same bytes), and the titles are read from the
    pages' heads. Five walks of a whole page before: two titles, two checks, last year's model."""
    from publish import to_html

    from disclosure_lint.extract import html

    (tmp_path / "a.html").write_bytes(to_html(Y2023.read_text(encoding="utf-8")))
    (tmp_path / "b.html").write_bytes(to_html(Y2022.read_text(encoding="utf-8")))
    walks = []
    real = html.read
    monkeypatch.setattr(html, "read", lambda data: (walks.append(1), real(data))[1])
    files = collect([str(tmp_path)])
    results = [r for r, _s in Runner(Overrides(), peers=index_reports(files)).run(files)]
    assert len(walks) == 2 and len(index_reports(files)) == 2  # paired
    serial = [[(d.code, d.span) for d in r.diagnostics] for r in results]
    monkeypatch.setattr(runner_module, "_MODELS_KEPT", 0)  # nothing kept: each page read anew, the same findings
    again = [[(d.code, d.span) for d in r.diagnostics] for r, _s in Runner(Overrides(), peers=index_reports(files)).run(files)]
    assert again == serial and len(walks) > 4


def test_a_folders_configuration_is_read_once_for_all_its_reports(tmp_path, monkeypatch):
    """A batch of one folder reads its configuration once (it was found and parsed again for every
    report), and a sub-folder with its own still gets its own."""
    import disclosure_lint.config as config_module

    (tmp_path / ".dlint.yaml").write_text("ignore: [DL902]\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".dlint.yaml").write_text("ignore: [DL903]\n", encoding="utf-8")
    for i in range(20):
        shutil.copy(Y2023, tmp_path / f"{i:02d}.txt")
    shutil.copy(Y2023, tmp_path / "sub" / "a.txt")
    read: list[str] = []
    real = config_module.load_settings

    def counting(path):
        read.append(str(path))
        return real(path)

    monkeypatch.setattr(config_module, "load_settings", counting)
    run = Runner(Overrides())
    settings = [run.settings(path) for path, _display in collect([str(tmp_path)])]
    assert sorted(read) == sorted([str((tmp_path / ".dlint.yaml").resolve()), str((tmp_path / "sub" / ".dlint.yaml").resolve())])
    assert settings[0].ignore == ("DL902",) and settings[-1].ignore == ("DL903",)


def test_under_jobs_a_report_and_last_years_go_to_one_worker(tmp_path, monkeypatch):
    """`--jobs 2`: the 2023 report and its 2022 report share a worker, which builds each once (split over
    two workers, the 2022 report was read twice: for a scan, every page OCR'd twice); the other reports
    spread over the workers, and the output is in input order, as one process gives it."""
    names = ["a-2022.txt", "a-2023.txt", "b-other.txt", "c-other.txt"]
    for name, fixture in zip(names, [Y2022, Y2023, FIXTURES / "dev-001.txt", FIXTURES / "dev-009.txt"]):
        shutil.copy(fixture, tmp_path / name)
    files = collect([str(tmp_path)])
    log = tmp_path / "built.log"
    import os

    import disclosure_lint.build as build_module

    real_build = build_module.build

    def logged(source):
        with log.open("a", encoding="utf-8") as out:  # the workers are other processes: a file is shared
            out.write(f"{os.getpid()} {Path(source.path).name}\n")
        return real_build(source)

    monkeypatch.setattr(build_module, "build", logged)
    serial = [(r.path, [(d.code, d.span) for d in r.diagnostics]) for r, _s in
              Runner(Overrides(), peers=index_reports(files)).run(files)]
    log.unlink()
    run = Runner(Overrides(), peers=index_reports(files))
    assert run._groups(files) == [[0, 1], [2], [3]]  # the pair one task, whatever the scheduling
    parallel = [(r.path, [(d.code, d.span) for d in r.diagnostics]) for r, _s in run.run(files, jobs=2)]
    assert parallel == serial and any(code.startswith("DL6") for code, _span in serial[1][1])
    built = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    assert sorted(name for _pid, name in built) == sorted(names)  # each built once
    worker = {name: pid for pid, name in built}
    assert worker["a-2023.txt"] == worker["a-2022.txt"]


def test_a_run_leaves_the_page_jobs_of_the_process_as_it_found_them(tmp_path):
    """One file under jobs 4 lets its scanned pages share four processes, for that run only: a library
    user's next reading in the same process is not sent to a pool it did not ask for."""
    from disclosure_lint import extract

    shutil.copy(Y2023, tmp_path / "a.txt")
    files = collect([str(tmp_path)])
    seen = []
    for _result, _settings in Runner(Overrides()).run(files, jobs=4):
        seen.append(extract.PAGE_JOBS)
    assert seen == [4] and extract.PAGE_JOBS == 1



def test_a_chain_of_years_cuts_each_sections_windows_once(tmp_path, monkeypatch):
    """Four consecutive years of one body, section 五 copied forward from the first year: a middle year is
    compared as this year's and as last year's. Its 五's windows for the copied-text measure (DL603) are cut
    once, whichever comes first; section 一, written anew each year, cannot pass the threshold and is
    not cut at all."""
    heading = "五、存在的主要问题及改进情况"
    first = (FIXTURES / "dev-012.txt").read_text(encoding="utf-8")  # 2020: section 五 ends the file
    copied = first[first.index(heading) + len(heading):]
    for name in ("dev-009.txt", "dev-010.txt", "dev-011.txt"):  # 2023, 2022, 2021
        text = (FIXTURES / name).read_text(encoding="utf-8")
        at, end = text.index(heading) + len(heading), text.index("六、其他需要报告的事项")
        own = f"本年度继续整改（{name}）。"  # each year's 五 its own text: a cut is told apart by its text
        (tmp_path / name).write_text(text[:at] + copied.rstrip("\n") + own + "　　" + text[end:], encoding="utf-8")
    (tmp_path / "dev-012.txt").write_text(first, encoding="utf-8")
    import disclosure_lint.kinds.crossyear as crossyear

    cut: list[str] = []
    real_windows = crossyear._windows_of

    def counting(text: str, k: int) -> list[str]:
        cut.append(text)
        return real_windows(text, k)

    monkeypatch.setattr(crossyear, "_windows_of", counting)
    names = sorted(p.name for p in tmp_path.iterdir())
    for order in (names, names[::-1]):  # last year's checked after this year's, or before
        files = [(tmp_path / name, name) for name in order]
        cut.clear()
        results = [r for r, _settings in Runner(Overrides(), peers=index_reports(files)).run(files)]
        copies = {r.path for r in results for d in r.diagnostics if d.code == "DL603"}
        assert copies == {"dev-009.txt", "dev-010.txt", "dev-011.txt"}
        # 3 comparisons of 五, 4 reports' 五: each cut once (6 times when cut at each use)
        assert len(cut) == len(set(cut)) == 4
