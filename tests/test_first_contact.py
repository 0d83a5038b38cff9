"""What users meet first (part of the user-experience issue): page suffixes, legacy Word files, content
controls in DOCX, JUnit severities, -V, dlint alone, effective settings."""

from __future__ import annotations

import json
import os
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
    assert alone.returncode == 0 and "usage: dlint" in alone.stdout
    (tmp_path / "r.txt").write_text(CLEAN_TEXT, encoding="utf-8")
    shown = json.loads(dlint("check", str(tmp_path / "r.txt"), "--show-settings").stdout)
    assert shown["similarity-threshold"] == 0.5 and shown["time-limit"] == 10.0
