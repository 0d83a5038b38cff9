"""Findings as Word review comments (批注) on a copy of a .docx.

The comment ranges are spliced into word/document.xml as bytes, at the exact characters of each
finding (a run is split where a finding starts or ends inside it, keeping its formatting); every other
byte of that part, and every other part of the file, is copied as it was. The comments go into
word/comments.xml (added to the one the document has, or made), registered in the document's
relationships and in [Content_Types].xml as Word requires, so Word, WPS and LibreOffice open the copy
without a repair prompt.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timezone
from typing import Any
from xml.parsers import expat
from xml.sax.saxutils import escape

from ..extract.docx import document_xml, traced
from . import anchor_range

MAIN_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
COMMENTS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"


class _T:
    """One w:t element: its prefix, its run's formatting (raw bytes), and its text's byte chunks."""

    __slots__ = ("chunks", "prefix", "rpr")

    def __init__(self, prefix: str, rpr: bytes) -> None:
        self.prefix = prefix
        self.rpr = rpr
        self.chunks: list[tuple[int, int, str]] = []  # (byte offset, byte length, decoded text)

    def byte_at(self, k: int) -> int:
        """The byte offset in document.xml before character k of this element's text."""
        seen = 0
        for start, length, text in self.chunks:
            if k < seen + len(text):
                inner = k - seen
                if len(text.encode("utf-8")) == length:  # no character reference inside: exact
                    return start + len(text[:inner].encode("utf-8"))
                return start  # a reference (&amp;) is one unit
            seen += len(text)
        last = self.chunks[-1]
        return last[0] + last[1]


def _elements(xml: bytes) -> list[_T]:
    """Every w:t of document.xml in document order, with the byte positions of its text."""
    parser = expat.ParserCreate()
    out: list[_T] = []
    stack: list[str] = []
    run_rpr: list[bytes] = []
    state: dict[str, Any] = {"rpr_start": None, "pending": None}

    def close_pending() -> None:
        pending = state["pending"]
        if pending is not None:
            t, start, text = pending
            t.chunks.append((start, parser.CurrentByteIndex - start, text))
            state["pending"] = None

    def start(name: str, _attrs: dict[str, str]) -> None:
        close_pending()
        local = name.rsplit(":", 1)[-1]
        parent = stack[-1].rsplit(":", 1)[-1] if stack else ""
        if local == "r":
            run_rpr.append(b"")
        elif local == "rPr" and parent == "r":
            state["rpr_start"] = parser.CurrentByteIndex
        elif local == "t" and parent == "r":
            out.append(_T(name[: -len(local) - 1] if ":" in name else "", run_rpr[-1] if run_rpr else b""))
        stack.append(name)

    def end(name: str) -> None:
        close_pending()
        stack.pop()
        local = name.rsplit(":", 1)[-1]
        if local == "rPr" and state["rpr_start"] is not None and stack and stack[-1].rsplit(":", 1)[-1] == "r":
            stop = xml.index(b">", parser.CurrentByteIndex) + 1
            run_rpr[-1] = xml[state["rpr_start"]:stop]
            state["rpr_start"] = None
        elif local == "r" and run_rpr:
            run_rpr.pop()

    def chars(data: str) -> None:
        close_pending()
        if stack and stack[-1].rsplit(":", 1)[-1] == "t" and out:
            state["pending"] = (out[-1], parser.CurrentByteIndex, data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.Parse(xml, True)
    return out


def _comment(cid: int, p: str, lines: list[str], when: str) -> str:
    """One w:comment (`p`: the prefix with its colon), a paragraph per line."""
    paras = "".join(f'<{p}p><{p}r><{p}t xml:space="preserve">{escape(line)}</{p}t></{p}r></{p}p>' for line in lines)
    return f'<{p}comment {p}id="{cid}" {p}author="dlint" {p}date="{when}" {p}initials="dl">{paras}</{p}comment>'


def annotate(data: bytes, findings: list[tuple[int, int, list[str]]]) -> tuple[bytes, list[tuple[int, int]]]:
    """A copy of the .docx `data` with one comment per finding (start, end offsets into the extracted
    text, comment lines). Returns the copy and, per finding, the extracted-text range it is anchored on."""
    text, origins = traced(data, trace=True)
    xml = document_xml(data)
    ts = _elements(xml)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        existing = z.read("word/comments.xml").decode("utf-8") if "word/comments.xml" in z.namelist() else None
    next_id = max((int(x) for x in re.findall(r':id="(\d+)"', existing or "")), default=-1) + 1
    root = re.search(r"<(\w+:)?comments\b", existing or "")
    cprefix = (root.group(1) or "") if root else "w:"  # the comments part's own prefix for WordprocessingML
    splits: dict[int, tuple[_T, list[tuple[int, str]]]] = {}  # byte offset -> (its w:t, [(order, markup)])
    comments, anchored = [], []
    when = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    for start, end, lines in findings:
        hit = anchor_range(origins, text, start, end)
        if hit is None:
            anchored.append((start, start))
            continue
        first, last = origins[hit[0]], origins[hit[1]]
        assert first is not None and last is not None
        t_first, t_last = ts[first[0]], ts[last[0]]
        p = t_first.prefix
        if not p:
            raise ValueError("document.xml declares WordprocessingML as its default namespace")
        cid = next_id
        next_id += 1
        # ends before starts at one place: a finding ending where the next begins
        splits.setdefault(t_last.byte_at(last[1] + 1), (t_last, []))[1].append(
            (0, f'<{p}:commentRangeEnd {p}:id="{cid}"/><{p}:r><{p}:commentReference {p}:id="{cid}"/></{p}:r>'))
        splits.setdefault(t_first.byte_at(first[1]), (t_first, []))[1].append((1, f'<{p}:commentRangeStart {p}:id="{cid}"/>'))
        comments.append(_comment(cid, cprefix, lines, when))
        anchored.append((hit[0], hit[1] + 1))
    out = bytearray(xml)
    for offset in sorted(splits, reverse=True):  # from the end: earlier offsets stay valid
        t, marks = splits[offset]
        p = t.prefix
        markers = "".join(m for _, m in sorted(marks, key=lambda om: om[0]))
        # the run is split here: its text so far closes, the markers stand between, the rest continues
        # in a run of the same formatting
        piece = f'</{p}:t></{p}:r>{markers}<{p}:r>{t.rpr.decode("utf-8")}<{p}:t xml:space="preserve">'
        out[offset:offset] = piece.encode("utf-8")
    return _write(data, bytes(out), comments, existing), anchored


def _write(data: bytes, document: bytes, comments: list[str], existing: str | None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buf, "w") as zout:
        names = zin.namelist()
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename == "word/document.xml":
                body = document
            elif info.filename == "word/comments.xml" and existing is not None:
                body = re.sub(r"(</(?:\w+:)?comments>\s*)$", lambda m: "".join(comments) + m.group(1), existing,
                              count=1).encode("utf-8")
            elif info.filename == "word/_rels/document.xml.rels" and COMMENTS_TYPE not in body.decode("utf-8"):
                rels = body.decode("utf-8")
                rid = "rIdDlintComments"
                while f'Id="{rid}"' in rels:
                    rid += "x"
                body = rels.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{COMMENTS_TYPE}" '
                                    'Target="comments.xml"/></Relationships>').encode("utf-8")
            elif info.filename == "[Content_Types].xml" and "/word/comments.xml" not in body.decode("utf-8"):
                body = body.decode("utf-8").replace(
                    "</Types>", f'<Override PartName="/word/comments.xml" ContentType="{COMMENTS_CT}"/></Types>').encode("utf-8")
            zout.writestr(info, body)
        if "word/_rels/document.xml.rels" not in names:  # a minimal package: the document's relationships made
            zout.writestr(zipfile.ZipInfo("word/_rels/document.xml.rels", date_time=zin.infolist()[0].date_time),
                          ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
                           'openxmlformats.org/package/2006/relationships"><Relationship Id="rIdDlintComments" '
                           f'Type="{COMMENTS_TYPE}" Target="comments.xml"/></Relationships>').encode(),
                          compress_type=zipfile.ZIP_DEFLATED)
        if existing is None:
            part = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<w:comments xmlns:w="{MAIN_NS}">' + "".join(comments) + "</w:comments>")
            zout.writestr(zipfile.ZipInfo("word/comments.xml", date_time=zin.infolist()[0].date_time), part.encode("utf-8"),
                          compress_type=zipfile.ZIP_DEFLATED)
        assert "word/document.xml" in names
    return buf.getvalue()
