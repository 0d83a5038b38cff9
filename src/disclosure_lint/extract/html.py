"""HTML pages: body text in order, <table> rows as tab-separated lines, scripts and navigation dropped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP = {"script", "style", "noscript", "template", "head", "nav", "header", "footer", "svg", "iframe", "button",
         "select", "form"}
_BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
          "dd", "blockquote", "pre", "address", "center", "hr", "body", "caption"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_SPACE = re.compile(r"[ \t\r\n\f\u00a0]+")


def decode(data: bytes) -> str:
    """By the BOM, else the page's meta charset (GBK/GB2312 read as GB18030), else UTF-8, else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    m = _CHARSET.search(data[:4096])
    declared = None
    if m:
        declared = m.group(1).decode("ascii", "replace").lower()
        if declared in ("gbk", "gb2312", "gb_2312-80", "x-gbk", "gb18030", "cp936"):
            declared = "gb18030"
    # The bytes decide where the meta tag contradicts them (a template's `charset=gbk` on a page saved as
    # UTF-8, or the reverse): strict UTF-8 first (GBK text almost never decodes as UTF-8), then the
    # declared charset, then GB18030; only then with replacement characters.
    for name in dict.fromkeys(["utf-8", declared, "gb18030"]):
        if name is None:
            continue
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        return data.decode(declared or "utf-8", "replace")
    except LookupError:
        return data.decode("utf-8", "replace")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.text: list[str] = []  # the current block's text
        self.skip = 0
        self.tables: list[list[list[str]]] = []  # a stack: nested tables are read into their cell
        self.cell: list[str] | None = None

    def flush(self) -> None:
        line = _SPACE.sub(" ", "".join(self.text)).strip()
        if line:
            self.lines.append(line)
        self.text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif self.skip:
            return
        elif tag == "table":
            if not self.tables:
                self.flush()
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            if len(self.tables) == 1:
                if not self.tables[-1]:
                    self.tables[-1].append([])
                self.cell = []
        elif tag == "br":
            if self.cell is not None:
                self.cell.append(" ")
            else:
                self.flush()
        elif tag in _BLOCK and self.cell is None:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif self.skip:
            return
        elif tag in ("td", "th") and self.cell is not None and len(self.tables) == 1:
            self.tables[-1][-1].append(_SPACE.sub(" ", "".join(self.cell)).strip())
            self.cell = None
        elif tag == "table" and self.tables:
            rows = self.tables.pop()
            if not self.tables:
                for row in rows:
                    # every cell keeps its column, an empty one as an empty field (a blank, not a zero);
                    # a merged cell's text stands once, at its first row
                    if any(row):
                        self.lines.append("\t".join(row))
        elif tag in _BLOCK and self.cell is None:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif not self.tables:
            self.text.append(data)


def extract(data: bytes) -> str:
    page = _Page()
    page.feed(decode(data))
    page.close()
    page.flush()
    return "\n".join(page.lines) + "\n"
