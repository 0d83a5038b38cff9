"""HTML pages: body text in order, <table> rows as tab-separated lines, scripts and navigation dropped.

Parsed by Lexbor (selectolax), a spec-conformant HTML5 parser: linear in the page's size and lenient
exactly as browsers are (omitted `</td>` and `</tr>`, stray `<!`, content inside an ASP.NET `<form>`).
The tree is walked with an explicit stack, so a page nested ten thousand deep is no recursion error.
"""

from __future__ import annotations

import re
from typing import Any

from . import traced_row

_SKIP = {"script", "style", "noscript", "template", "head", "nav", "header", "footer", "svg", "iframe", "button",
         "select", "textarea", "input", "-comment"}
_BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
          "dd", "blockquote", "pre", "address", "center", "hr", "body", "caption"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_SPACES = " \t\r\n\f\u00a0"
_SPACE = re.compile(f"[{_SPACES}]+")


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


_ROW_PARTS = {"thead", "tbody", "tfoot"}


Origin = tuple[int, int] | None  # (text node's index in `Trace.nodes`, offset in its text)


class Trace:
    """Where each character of the text came from, for the hand-back: the text nodes read, in order."""

    def __init__(self) -> None:
        self.nodes: list[Any] = []

    def piece(self, node: Any) -> tuple[str, int]:
        self.nodes.append(node)
        return node.text(deep=False) or "", len(self.nodes) - 1


def _line(pieces: list[tuple[str, int | None]], trace: Trace | None) -> tuple[str, list[Origin]]:
    """Pieces of text as one line: white space collapsed to one space, the ends stripped. Traced, the
    same character by character, each keeping its origin."""
    if trace is None:
        joined = pieces[0][0] if len(pieces) == 1 else "".join([t for t, _ in pieces])
        if not joined.strip(_SPACES):
            return "", []  # white space only (the page's indentation between blocks): nothing to collapse
        if joined.isprintable() and "  " not in joined:  # no white space but single spaces: none to collapse
            return joined.strip(), []
        return _SPACE.sub(" ", joined).strip(), []
    chars: list[str] = []
    origins: list[Origin] = []
    in_run = False  # inside a run of white space: it stands as its first character, as one space
    for text, idx in pieces:
        for k, ch in enumerate(text):
            if ch in " \t\r\n\f\u00a0":
                if in_run:
                    continue
                ch, in_run = " ", True
            else:
                in_run = False
            chars.append(ch)
            origins.append((idx, k) if idx is not None else None)
    line = "".join(chars)
    start = len(line) - len(line.lstrip())
    stripped = line.strip()
    return stripped, origins[start:start + len(stripped)]


def _cell_text(cell: Any, trace: Trace | None = None) -> tuple[str, list[Origin]]:
    """A cell's text, nested tables and line breaks included, as one line."""
    if trace is None and next(cell.iter(), None) is None:  # text only (most cells): its text read in one call
        return _line([(cell.text(deep=False) or "", None)], None)
    parts: list[tuple[str, int | None]] = []
    stack = [cell]
    while stack:
        node = stack.pop()
        tag = node.tag
        if tag == "-text":
            parts.append(trace.piece(node) if trace else (node.text(deep=False) or "", None))
        elif tag == "br":
            parts.append((" ", None))
        elif tag not in _SKIP:
            stack.extend(reversed(list(node.iter(include_text=True))))
    return _line(parts, trace)


def _table(table: Any, trace: Trace | None = None) -> list[tuple[str, list[Origin]]]:
    """One line a row, cells joined by tabs. Every cell keeps its column, an empty one as an empty field
    (a blank, not a zero); a merged cell's text stands once, at its first row and column."""
    lines = []
    rows = []
    for child in table.iter():
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in _ROW_PARTS:
            rows.extend(r for r in child.iter() if r.tag == "tr")
    for tr in rows:
        cells = [_cell_text(c, trace) for c in tr.iter() if c.tag in ("td", "th")]
        if any(text for text, _ in cells):
            lines.append(traced_row(cells))
    return lines


# The six section headings of the report (any template): where they are, the article is.
_SECTION_HEAD = re.compile(r"([一二三四五六七])[、.．]\s*(?:总体情况|基本情况|概述|主动公开|收到和处理|依申请公开|"
                           r"(?:因)?政府信息公开(?:工作)?(?:被申请)?行政复议|行政复议|存在的主要问题|主要问题|其他需要报告|其他事项)")
_TITLE_WORDS = re.compile(r"(?:政府信息公开|信息公开|政务公开)[^。]{0,12}(?:报告|年报)")


def _article(root: Any) -> Any:
    """The element that holds the report on a page with a site's chrome around it (header, navigation,
    search, breadcrumbs, related links, footer): the deepest element holding the most section headings.
    None when the headings do not single out a part of the page (then the whole page is read)."""
    seen: dict[int, set[str]] = {}
    nodes: dict[int, tuple[Any, int]] = {}
    for node, number in _headed(root):
        depth, parent = 0, node.parent
        chain = []
        while parent is not None and parent.tag not in ("html", "#document"):
            chain.append(parent)
            parent = parent.parent
        for depth, ancestor in enumerate(reversed(chain)):
            seen.setdefault(ancestor.mem_id, set()).add(number)
            nodes.setdefault(ancestor.mem_id, (ancestor, depth))
    if not seen:
        return None
    most = max(len(v) for v in seen.values())
    if most < 3:
        return None
    best = max((nodes[k] for k, v in seen.items() if len(v) == most), key=lambda nd: nd[1])[0]
    return None if best.tag == "body" else best


# between text nodes in the page's text read in one call: no heading matches it, and HTML parsing drops it
# from text (the pieces are counted against the nodes all the same)
_NODE_BREAK = "\x00"


def _headed(root: Any) -> list[tuple[Any, str]]:
    """The text nodes that hold a section heading, with its number (a node's first heading only). The
    page's text is read and searched in one call each, and only the nodes of the matches are looked at:
    reading and searching every text node on its own was a quarter of a page's reading."""
    whole = root.text(deep=True, separator=_NODE_BREAK)
    first = _SECTION_HEAD.search(whole)
    if first is None:
        return []
    texts = [node for node in root.traverse(include_text=True) if node.tag == "-text"]
    if whole.count(_NODE_BREAK) != len(texts) - 1:  # the text's pieces are not the nodes: each read alone
        return [(node, m.group(1)) for node in texts if (m := _SECTION_HEAD.search(node.text(deep=False) or ""))]
    out: dict[int, tuple[Any, str]] = {}
    k, at = 0, 0  # the text node of offset `at`
    for m in _SECTION_HEAD.finditer(whole, first.start()):
        k += whole.count(_NODE_BREAK, at, m.start())
        at = m.start()
        if k not in out:
            out[k] = (texts[k], m.group(1))
    return list(out.values())


def _page_title(tree: Any) -> str | None:
    """The report's title from the page's metadata: ArticleTitle, else <title> less the site's name."""
    meta = tree.css_first('meta[name="ArticleTitle"], meta[name="articletitle"]')
    if meta is not None and (meta.attributes.get("content") or "").strip():
        return _SPACE.sub(" ", meta.attributes["content"]).strip()
    node = tree.css_first("title")
    text = _SPACE.sub(" ", node.text() if node is not None else "").strip()
    for part in re.split(r"\s*[_|｜—–-]{1,2}\s*", text):
        if _TITLE_WORDS.search(part):
            return part
    return None


def _holds_table(table: Any) -> bool:
    """A layout table (the whole page laid out in one, as older sites do) holds the report's tables in
    its cells: it is read as blocks of text, and the tables inside it as tables."""
    return any(inner.mem_id != table.mem_id for inner in table.css("table"))


# The page's publication date: its metadata, else the site's "发布时间：2024-01-20" line beside the article.
_PUB_META = ('meta[name="PubDate"], meta[name="pubdate"], meta[name="publishdate"], meta[name="PublishDate"], '
             'meta[property="article:published_time"]')
_PUB_TEXT = re.compile(r"(?:发布|发表|公开|成文)(?:时间|日期)\s*[:：]?\s*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_PUB_BOUND = 200_000
_ISO = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def _published(tree: Any, article: Any) -> str:
    """The date the page says it was published, as YYYY-MM-DD ("" when it says none)."""
    for meta in tree.css(_PUB_META):
        m = _ISO.match((meta.attributes.get("content") or "").strip())
        if m:
            return _iso(m)
    if article is None:  # no chrome around the report: a date in its text is the report's own
        return ""
    body = tree.body
    text = body.text(deep=True) if body is not None else ""
    # `\s*` reads a run of white space as it reads the one space it would be collapsed to: the text is
    # searched as it is, unless collapsing would bring more of it within the bound
    m = _PUB_TEXT.search(text if len(text) <= _PUB_BOUND else _SPACE.sub(" ", text)[:_PUB_BOUND])
    return _iso(m) if m else ""


def _iso(m: re.Match[str]) -> str:
    return f"{int(m.group(1))}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"


def extract(data: bytes) -> str:
    return read(data)[0]


def read(data: bytes) -> tuple[str, str]:
    """The page's report text and its publication date (YYYY-MM-DD or "")."""
    from selectolax.lexbor import LexborHTMLParser

    text, _origins, tree, article = _walk(LexborHTMLParser(decode(data)), None)
    return text, _published(tree, article)


def head(data: bytes, lines: int) -> str | None:
    """The report text of a page as far as its first `lines` lines (at least; whole lines): a batch reads
    each report's title from its head, and a page's walk stops there instead of reading it all. None where
    the text could pass the extraction bound (the page is then read whole, as its check reads it)."""
    from selectolax.lexbor import LexborHTMLParser

    from . import MAX_TEXT

    page = decode(data)
    if len(page) > MAX_TEXT:  # the text is no longer than the page
        return None
    return _walk(LexborHTMLParser(page), None, lines)[0]


def traced(tree: Any) -> tuple[str, list[Origin], Trace]:
    """The text of a parsed page, each character's origin, and the text nodes they index."""
    trace = Trace()
    text, origins, _tree, _article = _walk(tree, trace)
    return text, origins, trace


# What the walk does not read as running text: a block or a row opens a line, a line break ends one, the
# skipped elements' text is not read (comments are no text to `text(deep=True)` either)
_NOT_INLINE = (_SKIP | _BLOCK | {"br", "table", "tr", "td", "th"}) - {"-comment"}


def _plain(block: Any) -> bool:
    """Whether a block holds text and inline elements only (no block, line break, table or skipped element
    below it): the walk would read its text nodes in order into one line. A paragraph's elements are looked
    at (HTML puts no block inside one); another block's, only when it has none."""
    first = next(block.iter(), None)
    if first is None:
        return True
    if block.tag != "p":
        return False
    below = block.traverse(include_text=False)
    next(below)  # the paragraph itself
    not_inline = _NOT_INLINE
    return not any(node.tag in not_inline for node in below)


def _walk(tree: Any, trace: Trace | None, stop: int = 0) -> tuple[str, list[Origin], Any, Any]:
    """The text (`stop`: once it has that many lines), each character's origin when traced."""
    root = tree.body or tree.root
    article = _article(root) if root is not None else None
    lines: list[tuple[str, list[Origin]]] = []
    if article is not None:  # the report inside the site's chrome: only it is read, titled
        root = article
        title = _page_title(tree)
        first = _SPACE.sub("", (article.text(deep=True) or "")[:400])
        if title and not _TITLE_WORDS.search(first[:120]):
            lines.append((title, [None] * len(title)))  # from the metadata: no place in the page's text
    text: list[tuple[str, int | None]] = []

    def flush() -> None:
        if not text:  # most calls: a block opened or closed with no text since the last
            return
        line = _line(text, trace)
        if line[0]:
            lines.append(line)
        text.clear()

    # a node to enter, or None where a block's children end (its text is flushed there)
    stack: list[Any] = [root] if root is not None else []
    while stack:
        if stop and len(lines) >= stop:
            break
        node = stack.pop()
        if node is None:
            flush()
            continue
        tag = node.tag
        if tag == "-text":
            if trace is not None:
                text.append(trace.piece(node))
            else:
                piece = node.text(deep=False) or ""
                if text or piece.strip(_SPACES):  # white space opening a line is stripped: a line the less
                    text.append((piece, None))
        elif tag in _SKIP:
            continue
        elif tag == "table" and not _holds_table(node):
            flush()
            lines.extend(_table(node, trace))
        elif tag == "br":
            flush()
        else:
            if tag in _BLOCK or tag in ("tr", "td", "th", "table"):
                flush()
                if trace is None and _plain(node):  # most paragraphs: their text read in one call, one line
                    text.append((node.text(deep=True) or "", None))
                    flush()
                    continue
                stack.append(None)
            children = list(node.iter(include_text=True))
            children.reverse()
            stack += children
    flush()
    origins: list[Origin] = []
    if trace is not None:
        for _line_text, where in lines:
            origins.extend(where)
            origins.append(None)
    return "".join(line + "\n" for line, _ in lines) or "\n", origins, tree, article
