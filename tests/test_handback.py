"""The hand-back: findings marked on copies of the originals, each copy read back by an independent
reader (python-docx and lxml for Word, pdfium re-opening and rendering the PDF, LibreOffice where it is
installed), anchors compared with the text each finding's span covers."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES
from publish import to_docx

from disclosure_lint.api import check_path
from disclosure_lint.engine import Context, Engine

ENGINE = Engine()
WRONG = (FIXTURES / "wrong-2023-pct-and-total.txt").read_text(encoding="utf-8")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def dlint(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "disclosure_lint", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, env={k: v for k, v in os.environ.items() if k != "DLINT_LANG"})


def docx_reports(tmp_path: Path) -> list[Path]:
    """The official template (its blank tables and title are findings), the template with a planted
    defect in the text, and our own wrong report published as Word."""
    template = FIXTURES / "template-2021.docx"
    planted = tmp_path / "planted.docx"
    with zipfile.ZipFile(template) as zin, zipfile.ZipFile(planted, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename == "word/document.xml":  # a stray space inside a heading (DL902)
                body = body.replace("（文字描述）".encode(), "（文字 描述）".encode(), 1)
            zout.writestr(info, body)
    own = tmp_path / "own.docx"
    own.write_bytes(to_docx(WRONG))
    copy = tmp_path / "template.docx"
    shutil.copy(template, copy)
    return [copy, planted, own]


def anchored_texts(data: bytes) -> dict[str, str]:
    """comment id -> the document text between its range start and end (lxml, in document order)."""
    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    open_ids: set[str] = set()
    texts: dict[str, str] = {}
    for el in root.iter():
        if el.tag == W + "commentRangeStart":
            open_ids.add(el.get(W + "id"))
            texts[el.get(W + "id")] = ""
        elif el.tag == W + "commentRangeEnd":
            open_ids.discard(el.get(W + "id"))
        elif el.tag == W + "t" and el.text:
            for i in open_ids:
                texts[i] += el.text
    return texts


def test_word_comments_anchored_on_exactly_the_findings_text(tmp_path):
    import docx

    from disclosure_lint.extract.docx import traced

    for path in docx_reports(tmp_path):
        original = path.read_bytes()
        result = check_path(path, ENGINE, Context())
        assert result.diagnostics, path
        out = tmp_path / "marked"
        proc = dlint(tmp_path, "annotate", str(path), "-o", str(out))
        assert proc.returncode == 0, proc.stderr
        assert path.read_bytes() == original  # the original is never written
        copy = (out / path.name).read_bytes()
        comments = list(docx.Document(io.BytesIO(copy)).comments)
        assert len(comments) == len(result.diagnostics)
        assert all(c.author == "dlint" for c in comments)
        text, origins = traced(original, trace=True)
        anchors = anchored_texts(copy)
        for comment, d in zip(comments, result.diagnostics):
            assert comment.text.startswith(f"{d.code} {d.message}")
            assert d.help is None or d.help in comment.text
            covered = "".join(text[i] for i in range(d.span.start, d.span.end) if origins[i] is not None)
            if covered:  # a finding about a place is anchored on its line
                assert anchors[str(comment.comment_id)] == covered, d.code
        # every other part byte for byte; only the parts a comment needs are changed or added
        with zipfile.ZipFile(io.BytesIO(original)) as a, zipfile.ZipFile(io.BytesIO(copy)) as b:
            changed = {n for n in a.namelist() if a.read(n) != b.read(n)}
            assert changed <= {"word/document.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"}
            assert set(b.namelist()) - set(a.namelist()) <= {"word/comments.xml", "word/_rels/document.xml.rels"}
    planted = check_path(tmp_path / "planted.docx", ENGINE, Context())
    assert "DL902" in {d.code for d in planted.diagnostics}  # the planted defect is among the comments checked


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (.ci/run installs it)")
def test_libreoffice_opens_the_marked_copy_with_its_comments(tmp_path):
    path = docx_reports(tmp_path)[2]
    count = len(check_path(path, ENGINE, Context()).diagnostics)
    assert dlint(tmp_path, "annotate", str(path), "-o", "marked").returncode == 0
    env = {**os.environ, "HOME": str(tmp_path)}  # a profile of its own
    for fmt in ("pdf", "odt"):
        proc = subprocess.run(["soffice", "--headless", "--convert-to", fmt, "--outdir", str(tmp_path / "lo"),
                               str(tmp_path / "marked" / path.name)], capture_output=True, text=True, env=env, timeout=180)
        assert (tmp_path / "lo" / f"{path.stem}.{fmt}").exists(), proc.stderr
    content = zipfile.ZipFile(tmp_path / "lo" / f"{path.stem}.odt").read("content.xml").decode("utf-8")
    assert content.count("<office:annotation ") == count  # every comment kept


def _annotations(data: bytes) -> list[tuple[int, int, list[tuple[float, float, float, float]], str]]:
    """(page, subtype, quad rectangles, contents) of every annotation dlint wrote, read by pdfium."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(data)
    out = []
    for i in range(len(doc)):
        page = doc[i]
        for k in range(raw.FPDFPage_GetAnnotCount(page.raw)):
            annot = raw.FPDFPage_GetAnnot(page.raw, k)
            subtype = raw.FPDFAnnot_GetSubtype(annot)
            if subtype not in (raw.FPDF_ANNOT_HIGHLIGHT, raw.FPDF_ANNOT_TEXT):
                continue
            quads = []
            for q in range(raw.FPDFAnnot_CountAttachmentPoints(annot)):
                qp = raw.FS_QUADPOINTSF()
                raw.FPDFAnnot_GetAttachmentPoints(annot, q, ctypes.byref(qp))
                quads.append((qp.x3, qp.y3, qp.x2, qp.y2))  # left, bottom, right, top
            size = raw.FPDFAnnot_GetStringValue(annot, b"Contents", None, 0)
            buf = ctypes.create_string_buffer(size)
            raw.FPDFAnnot_GetStringValue(annot, b"Contents", ctypes.cast(buf, ctypes.POINTER(raw.FPDF_WCHAR)), size)
            out.append((i, subtype, quads, buf.raw.decode("utf-16-le").rstrip("\0")))
            raw.FPDFPage_CloseAnnot(annot)
    return out


def _mean_colour(data: bytes, page_no: int, rect: tuple[float, float, float, float], scale: float = 2.0) -> tuple[int, ...]:
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(data)[page_no]
    bitmap = page.render(scale=scale, draw_annots=True, rev_byteorder=True)
    buf, stride, n, height = bytes(bitmap.buffer), bitmap.stride, bitmap.n_channels, page.get_height()
    left, bottom, right, top = rect
    total, count = [0, 0, 0], 0
    for y in range(int((height - top) * scale) + 1, int((height - bottom) * scale) - 1):
        for x in range(int(left * scale) + 1, int(right * scale) - 1):
            o = y * stride + x * n
            for c in range(3):
                total[c] += buf[o + c]
            count += 1
    return tuple(round(v / max(count, 1)) for v in total)


@pytest.mark.parametrize("name", ["wrong-2023-pct-and-total.pdf", "hzq-2023.pdf", "hzq-2024.pdf"])
def test_pdf_highlights_lie_over_the_offending_characters(tmp_path, name):
    from disclosure_lint.extract.pdf import traced

    path = tmp_path / name
    shutil.copy(FIXTURES / name, path)
    original = path.read_bytes()
    result = check_path(path, ENGINE, Context())
    assert result.diagnostics
    assert dlint(tmp_path, "annotate", name, "-o", "marked").returncode == 0
    copy = (tmp_path / "marked" / name).read_bytes()
    assert path.read_bytes() == original and copy.startswith(original)  # an incremental update
    found = _annotations(copy)
    _text, boxes = traced(original)
    highlights = [(d, [boxes[i] for i in range(d.span.start, d.span.end) if boxes[i]]) for d in result.diagnostics]
    highlights = [(d, b) for d, b in highlights if b]
    marks = [a for a in found if a[3].startswith("DL")]
    assert len(marks) >= len(result.diagnostics)
    for d, char_boxes in highlights:
        mine = [a for a in marks if a[3].startswith(f"{d.code} {d.message}")]
        assert mine, d.code
        quads = [q for a in mine for q in a[2]]
        for _page, left, bottom, right, top in char_boxes:  # every character under a rectangle
            assert any(q[0] - 0.01 <= left and right <= q[2] + 0.01 and q[1] - 0.01 <= bottom and top <= q[3] + 0.01
                       for q in quads), (d.code, left, bottom)
        page = char_boxes[0][0]
        lit, plain = _mean_colour(copy, page, quads[0]), _mean_colour(original, page, quads[0])
        assert lit[2] < plain[2] - 10 and lit[0] >= plain[0] - 10  # yellow over the characters: less blue


def test_plain_text_gets_the_findings_beside_it_and_a_clean_report_no_copy(tmp_path):
    shutil.copy(FIXTURES / "seed-2021-gongxinju.txt", tmp_path / "seed.txt")
    shutil.copy(FIXTURES / "clean-2023-jiaoyuju.txt", tmp_path / "clean.txt")
    proc = dlint(tmp_path, "annotate", ".")
    assert proc.returncode == 0
    marked = tmp_path / "dlint-annotated"
    beside = (marked / "seed.dlint.txt").read_text(encoding="utf-8")
    assert "DL401" in beside and "^" in beside and "help:" in beside
    assert not (marked / "clean.dlint.txt").exists() and "没有问题，未生成批注副本" in proc.stderr
    # the marked copies are not checked as reports the next time the folder is
    again = dlint(tmp_path, "check", ".", "--no-cache", "--output-format", "concise")
    assert "dlint-annotated" not in again.stdout and "seed.txt" in again.stdout


HOSTILE_BODY = (b"<body onload=\"window.pwned = 1\"><script>window.pwned = 2</script>"
                b"<img src='http://example.invalid/x.png'><iframe src='http://example.invalid/'></iframe>")


def test_html_copy_marks_the_findings_and_runs_nothing(tmp_path):
    from publish import to_html

    from disclosure_lint.extract.html import extract

    page = to_html(WRONG).replace(b"<body>", HOSTILE_BODY, 1)
    path = tmp_path / "own.html"
    path.write_bytes(page)
    result = check_path(path, ENGINE, Context())
    assert result.diagnostics
    assert dlint(tmp_path, "annotate", "own.html", "-o", "marked").returncode == 0
    copy = tmp_path / "marked" / "own.html"
    text = extract(page)
    chromium = shutil.which("chromium") or os.environ.get("DLINT_CHROMIUM")
    if chromium is None:
        pytest.fail("no chromium: .ci/run installs Debian's chromium (or set DLINT_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        tab = browser.new_page()
        problems, requests = [], []
        tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: problems.append(str(e)))
        tab.on("request", lambda r: requests.append(r.url))
        tab.goto(copy.as_uri())
        marks = tab.eval_on_selector_all("mark.dlint", "ms => ms.map(m => [m.textContent, m.title])")
        listed = tab.eval_on_selector_all("#dlint-findings li", "ls => ls.length")
        pwned = tab.evaluate("typeof window.pwned")
        scripts = tab.eval_on_selector_all("script, iframe", "s => s.length")
        browser.close()
    assert pwned == "undefined" and scripts == 0
    assert requests == [copy.as_uri()]  # nothing loaded: no image, no frame, no script
    assert listed == len(result.diagnostics)
    for d in result.diagnostics:  # each finding's own text is marked, its message in the mark's title
        covered = text[d.span.start:d.span.end]
        assert any(m[0] in covered and f"{d.code} {d.message}" in m[1] for m in marks), d.code
    assert [p for p in problems if "Content Security Policy" not in p] == []
