"""Turn a plain-text report into the forms it is published in (HTML, DOCX), as a test's own fixtures.

Tables come out as real tables: each group label of table 三 (（三）不予公开 …) as a vertically merged
cell beside its sub-rows, and the first column of the table-三 rows spanning two grid columns, as on
government websites and in Word.
"""

from __future__ import annotations

import io
import re
import zipfile
from html import escape

GROUP = re.compile(r"^（[三四五六]）[^\t]*$")
SUB = re.compile(r"^\d\.")
Cell = tuple  # (text or None for the covered part of a merged cell, rowspan, colspan)


def blocks(text: str) -> list[tuple[str, object]]:
    """("p", line) and ("table", rows) in order; a table is a run of tab-separated lines (group
    labels between them belong to the table)."""
    out: list[tuple[str, object]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        in_table = out and out[-1][0] == "table"
        if "\t" in line or (in_table and GROUP.match(line)):
            if in_table:
                out[-1][1].append(line.split("\t"))  # type: ignore[union-attr]
            else:
                out.append(("table", [line.split("\t")]))
        else:
            out.append(("p", line))
    return out


def grid(rows: list[list[str]]) -> list[list[Cell]]:
    out: list[list[Cell]] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        if len(row) == 1 and GROUP.match(row[0]):
            j = i + 1
            while j < len(rows) and SUB.match(rows[j][0]):
                j += 1
            subs = rows[i + 1:j]
            if subs:
                for k, sub in enumerate(subs):
                    head: Cell = (row[0], len(subs), 1) if k == 0 else (None, 1, 1)
                    out.append([head] + [(c, 1, 1) for c in sub])
                i = j
                continue
        wide = len(row) == 8  # a table-三 row: its label spans the group column and the label column
        out.append([(c, 1, 2 if k == 0 and wide else 1) for k, c in enumerate(row)])
        i += 1
    return out


def to_html(text: str, charset: str = "utf-8") -> bytes:
    parts = [f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>年报</title>'
             "<style>td{border:1px solid #000}</style><script>var x = '<p>not text</p>';</script></head><body>"
             "<nav><a href='/'>首页</a> &gt; <a href='/xxgk'>政府信息公开</a></nav><div class='article'>"]
    for kind, value in blocks(text):
        if kind == "p":
            tag = "h2" if re.match(r"^[一二三四五六]、", str(value)) else "p"
            parts.append(f"<{tag}>{escape(str(value))}</{tag}>")
            continue
        parts.append("<table>")
        for row in grid(value):  # type: ignore[arg-type]
            cells = "".join(f"<td{f' rowspan={r}' if r > 1 else ''}{f' colspan={c}' if c > 1 else ''}>{escape(t)}</td>"
                            for t, r, c in row if t is not None)
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</table>")
    parts.append("</div><footer>版权所有：示例县人民政府</footer></body></html>")
    encoding = "gb18030" if charset.lower() in ("gbk", "gb2312", "gb18030") else charset
    return "\n".join(parts).encode(encoding)


def _p(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def to_docx(text: str) -> bytes:
    body = []
    for kind, value in blocks(text):
        if kind == "p":
            body.append(_p(str(value)))
            continue
        rows = []
        for row in grid(value):  # type: ignore[arg-type]
            cells = []
            for t, r, c in row:
                props = (f'<w:gridSpan w:val="{c}"/>' if c > 1 else "") + (
                    '<w:vMerge w:val="restart"/>' if r > 1 else "<w:vMerge/>" if t is None else "")
                cells.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{_p(t) if t else '<w:p/>'}</w:tc>")
            rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
        body.append("<w:tbl>" + "".join(rows) + "</w:tbl>")
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                + "".join(body) + "</w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Override PartName="/word/document.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                   'officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", document)
    return buf.getvalue()
