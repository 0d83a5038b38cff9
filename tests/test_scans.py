"""Scanned reports: image-only PDFs and page images read by OCR (the `ocr` extra). The scans are made here
from the real PDFs in tests/fixtures (their pages rendered to images), never committed."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES

from disclosure_lint.api import check_source
from disclosure_lint.build import build
from disclosure_lint.engine import Context, Engine
from disclosure_lint.source import Source, read_source

ENGINE = Engine()


def to_scan(pdf: Path, out: Path, dpi: int = 200, pages: range | None = None, spoil=None) -> Path:
    """An image-only PDF of `pdf` (of its `pages`): each page rendered and placed back as a picture;
    `spoil(i, picture)` may first do to page i's picture what a scanner does (a PIL image in, one out)."""
    import pypdfium2 as pdfium

    src, new = pdfium.PdfDocument(pdf), pdfium.PdfDocument.new()
    for i in pages or range(len(src)):
        page = src[i]
        width, height = page.get_size()
        picture = page.render(scale=dpi / 72)
        if spoil is not None:
            picture = pdfium.PdfBitmap.from_pil(spoil(i, picture.to_pil()))
        image = pdfium.PdfImage.new(new)
        image.set_bitmap(picture)
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        target = new.new_page(width, height)
        target.insert_obj(image)
        target.gen_content()
    new.save(out)
    return out


def rows(report) -> dict:
    return {(tid, rid): table.values(rid) for tid in ("requests", "review_litigation")
            if (table := report.tables.get(tid)) for rid in table.rows}


def dlint(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, encoding="utf-8", cwd=cwd,
                          env={**os.environ, **(env or {})})


CHROMIUM = os.environ.get("DLINT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
# How a Word-made report prints its tables: single rules, a little room around each number.
PRINTED = b"<style>table{border-collapse:collapse}td{border:1px solid #000;padding:3px 8px}</style>"


def own_pdf(name: str, out: Path) -> Path:
    """Our own report (tests/fixtures/NAME.txt) published as a web page and printed to PDF by chromium."""
    if CHROMIUM is None:
        pytest.fail("no chromium: .ci/run installs Debian's chromium (or set DLINT_CHROMIUM)")
    from publish import to_html

    page = out.with_suffix(".html")
    html = to_html((FIXTURES / f"{name}.txt").read_text(encoding="utf-8"))
    page.write_bytes(html.replace(b"</head>", PRINTED + b"</head>", 1))
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={out}", page.as_uri()], check=True, capture_output=True, timeout=120)
    return out


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """name -> (the PDF with its text layer, the same pages as an image-only PDF)."""
    folder = tmp_path_factory.mktemp("scan")
    out = {}
    for name in ("hzq-2023", "hzq-2024", "dev-025"):
        out[name] = (FIXTURES / f"{name}.pdf", to_scan(FIXTURES / f"{name}.pdf", folder / f"{name}-scan.pdf"))
    for name in ("clean-2023-jiaoyuju", "wrong-2023-pct-and-total"):
        printed = own_pdf(name, folder / f"{name}.pdf")
        out[name] = (printed, to_scan(printed, folder / f"{name}-scan.pdf"))
    return out


@pytest.fixture(scope="module")
def hzq_scan(scans) -> Path:
    return scans["hzq-2023"][1]


def checked(path: Path) -> tuple[dict, list]:
    result = check_source(read_source(path), ENGINE, Context())
    return rows(result.report), sorted((d.code, d.severity) for d in result.diagnostics)


@pytest.mark.parametrize("name", ["hzq-2023", "hzq-2024", "dev-025", "clean-2023-jiaoyuju", "wrong-2023-pct-and-total"])
def test_a_scan_reads_tables_three_and_four_as_the_text_layer_does(scans, name):
    """Three real published PDFs and our own two reports printed: the rows of 表三 and 表四 read from the
    pictures as from the text layer (measured: every row of all five), and the same findings: none on the
    consistent reports, the planted defects on the wrong one, the real 表四 errors of hzq-2023."""
    text_layer, scan = scans[name]
    expected, found = checked(text_layer)
    read, found_on_scan = checked(scan)
    same = sum(1 for key, values in expected.items() if read.get(key) == values)
    assert len(expected) >= 24 and same / len(expected) >= 0.95, (same, len(expected))
    assert found_on_scan == found
    if name == "wrong-2023-pct-and-total":
        assert {"DL201", "DL203", "DL505"} <= {code for code, _severity in found}
    if name == "hzq-2023":
        assert [code for code, severity in found if severity == "error"] == ["DL204", "DL204"]
    if name in ("clean-2023-jiaoyuju", "dev-025", "hzq-2024"):
        assert not [code for code, severity in found if severity == "error"]


def test_page_images_are_read_like_a_scanned_pdf(scans, tmp_path):
    """The pages published as PNG pictures: the page holding 表三 read on its own, rows as in the PDF."""
    import pypdfium2 as pdfium

    text_layer, _scan = scans["wrong-2023-pct-and-total"]
    expected, _found = checked(text_layer)
    doc = pdfium.PdfDocument(text_layer)
    pictures = []
    for i in range(len(doc)):
        picture = tmp_path / f"page-{i + 1}.png"
        doc[i].render(scale=200 / 72).to_pil().save(picture)
        pictures.append(picture)
    from disclosure_lint.textutil import norm_label

    lines = {norm_label(ln.split("\t")[0]): ln.split("\t")[1:]
             for p in pictures for ln in read_source(p).text.splitlines() if "\t" in ln}
    assert lines["(七)总计"] == [str(v) for v in expected[("requests", "R24")]]
    assert lines["(一)予以公开"] == [str(v) for v in expected[("requests", "R3")]]


def smudged(pdf: Path, label: str, out: Path) -> tuple[Path, str]:
    """The scan of `pdf` with the first number of the row `label` painted over by a grey blot."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    from disclosure_lint.extract.pdf import traced

    text, boxes = traced(pdf.read_bytes())
    start = text.index("\t", text.index(label)) + 1
    end = text.index("\t", start)
    where = [b for b in boxes[start:end] if b]
    page_no = where[0][0]
    scale = 200 / 72

    def blot(i, picture):
        picture = picture.convert("RGB")
        if i == page_no:
            height = pdfium.PdfDocument(pdf)[i].get_height()
            left, right = min(b[1] for b in where) * scale, max(b[3] for b in where) * scale
            top, bottom = (height - max(b[4] for b in where)) * scale, (height - min(b[2] for b in where)) * scale
            pad = (bottom - top) * 0.15
            ImageDraw.Draw(picture).ellipse((left - pad, top - pad, right + pad, bottom + pad), fill=(90, 90, 90))
        return picture

    to_scan(pdf, out, spoil=blot)
    return out, text[start:end]


def test_a_smudged_cell_is_marked_unreadable_not_an_arithmetic_error(tmp_path):
    """The first number of 表三's row 一 blotted out: the cell keeps its column, is marked (DL009), and the
    arithmetic it upsets is information, not an error."""
    scan, hidden = smudged(FIXTURES / "hzq-2024.pdf", "一、本年新收", tmp_path / "smudged.pdf")
    result = check_source(read_source(scan), ENGINE, Context())
    row = result.report.table("requests").rows["R1"]
    truth = rows(build(read_source(FIXTURES / "hzq-2024.pdf")))[("requests", "R1")]
    assert hidden == str(truth[0]) and len(row.cells) == 7 and row.cells[0].value is None
    assert row.values()[1:] == truth[1:]
    marks = [d for d in result.diagnostics if d.code == "DL009"]
    assert any(d.span.start == row.cells[0].span.start and "无法识别" in d.message for d in marks)
    assert not [d for d in result.diagnostics if d.code.startswith("DL2") and d.severity != "info"]


def without_ocr(folder: Path) -> dict[str, str]:
    """The environment of a machine without the `ocr` extra: a package of the engine's name that cannot be
    imported stands first on the path, in this process's children and in theirs (the page workers)."""
    shadow = folder / "no-ocr" / "rapidocr_onnxruntime"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'rapidocr_onnxruntime'\", name='rapidocr_onnxruntime')\n")
    return {"PYTHONPATH": os.pathsep.join([str(shadow.parent), os.environ.get("PYTHONPATH", "")])}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_without_the_ocr_extra_a_scan_is_one_clear_finding(hzq_scan, tmp_path, jobs):
    proc = dlint(tmp_path, "-m", "disclosure_lint", "check", str(hzq_scan), "--no-cache", "--jobs", jobs,
                 "--output-format", "json", env=without_ocr(tmp_path))
    found = json.loads(proc.stdout)["files"][0]["diagnostics"]
    assert [d["code"] for d in found] == ["DL006"] and "disclosure-lint[ocr]" in found[0]["message"]


def test_arithmetic_on_a_doubtful_reading_is_information_not_an_error():
    text = (FIXTURES / "wrong-2023-pct-and-total.txt").read_text(encoding="utf-8")
    source = Source.from_text(text, "scan.pdf")
    plain = check_source(source, ENGINE, Context()).diagnostics
    errors = [d for d in plain if d.code.startswith("DL2") and d.severity == "error"]
    assert errors  # the report's own table 三 does not add up
    at = text.index("一、本年新收政府信息公开申请数量\t") + len("一、本年新收政府信息公开申请数量\t")
    doubted = dataclasses.replace(source, doubtful=((at, at + 2, 0.41),))  # as OCR would mark "21"
    found = check_source(doubted, ENGINE, Context()).diagnostics
    assert not [d for d in found if d.code.startswith("DL2") and d.severity == "error"]
    softened = [d for d in found if d.code in {e.code for e in errors}]
    assert softened and all(d.severity == "info" and "识别置信度低" in d.message for d in softened)
    marks = [d for d in found if d.code == "DL009"]
    assert len(marks) == 1 and "“21”" in marks[0].message and "41%" in marks[0].message


def tilted(pdf: Path, degrees: float, out: Path) -> Path:
    """The scan of `pdf` fed in askew, greyed, speckled and saved as JPEG, as a page through a scanner."""
    import io

    import numpy as np
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(7)

    def through_a_scanner(_i, picture):
        picture = picture.convert("L")
        picture = picture.rotate(degrees, resample=Image.BICUBIC, fillcolor=255).filter(ImageFilter.GaussianBlur(0.6))
        grey = np.clip(np.asarray(picture) * 0.85 + 20 + rng.normal(0, 12, picture.size[::-1]), 0, 255).astype(np.uint8)
        jpeg = io.BytesIO()
        Image.fromarray(grey).convert("RGB").save(jpeg, "JPEG", quality=60)
        return Image.open(jpeg).convert("RGB")

    return to_scan(pdf, out, spoil=through_a_scanner)


def test_a_page_scanned_askew_is_levelled_before_its_tables_are_read(tmp_path):
    """hzq-2024 fed in 1.2° askew, greyed, speckled and JPEG-compressed: levelled by its table rules, every
    row of 表三 and 表四 read as from the text layer (without levelling: 22/24 at 0.6°, with false DL206)."""
    expected, found = checked(FIXTURES / "hzq-2024.pdf")
    read, found_on_scan = checked(tilted(FIXTURES / "hzq-2024.pdf", 1.2, tmp_path / "askew.pdf"))
    same = sum(1 for key, values in expected.items() if read.get(key) == values)
    assert same == len(expected) and found_on_scan == found


# Loaded by every Python process started with this folder on PYTHONPATH, the page workers included (they
# are spawned, not forked): each page OCR'd is logged with the process that read it.
SPY = """
import os
if os.environ.get("DLINT_TEST_PAGE_LOG"):
    from disclosure_lint.extract import ocr
    real = ocr.chars_of
    def chars_of(*args):
        with open(os.environ["DLINT_TEST_PAGE_LOG"], "a") as log:
            log.write(f"{os.getpid()}\\n")
        return real(*args)
    ocr.chars_of = chars_of
"""


def test_one_scan_under_jobs_reads_its_pages_at_once_and_keeps_each_reading(tmp_path):
    """`--jobs 2` on one scanned file: its two table pages OCR'd by two worker processes at once, read as
    one process reads them. Each page's reading is kept with the results: `dlint extract`, and a check with
    other settings, then run without the OCR engine at all and read the same text."""
    from disclosure_lint.extract import keep_readings_in

    scan = to_scan(FIXTURES / "hzq-2024.pdf", tmp_path / "tables.pdf", pages=range(2, 4))
    log, cache, spy = tmp_path / "pids.log", tmp_path / "cache", tmp_path / "spy"
    spy.mkdir()
    (spy / "sitecustomize.py").write_text(SPY, encoding="utf-8")
    env = {"PYTHONPATH": os.pathsep.join([str(spy), os.environ.get("PYTHONPATH", "")]),
           "DLINT_TEST_PAGE_LOG": str(log)}
    main = "import os, sys; from disclosure_lint.cli import main; print(os.getpid(), file=sys.stderr); sys.exit(main(sys.argv[1:]))"
    first = dlint(tmp_path, "-c", main, "check", str(scan), "--jobs", "2", "--cache-dir", str(cache),
                  "--time-limit", "300", "--output-format", "json", env=env)
    assert first.returncode in (0, 1), first.stderr
    parent = first.stderr.split()[0]
    pids = log.read_text().split()
    assert len(pids) == 2 and len(set(pids)) == 2 and parent not in pids
    keep_readings_in(None)  # this process's own reading: serial, nothing kept
    blind = without_ocr(tmp_path)
    kept = dlint(tmp_path, "-m", "disclosure_lint", "extract", str(scan), "--cache-dir", str(cache), env=blind)
    assert kept.returncode == 0, kept.stderr
    assert kept.stdout == read_source(scan).text
    found = json.loads(first.stdout)["files"][0]["diagnostics"]
    missing = [d for d in found if d["code"] == "DL101"]  # two pages of six sections: some are missing
    again = dlint(tmp_path, "-m", "disclosure_lint", "check", str(scan), "--select", "DL101", "--cache-dir",
                  str(cache), "--output-format", "json", env=blind)
    assert missing, found
    assert json.loads(again.stdout)["files"][0]["diagnostics"] == missing
    afresh = dlint(tmp_path, "-m", "disclosure_lint", "extract", str(scan), "--no-cache", env=blind)
    assert afresh.returncode == 1 and "disclosure-lint[ocr]" in afresh.stderr  # the engine is really absent
