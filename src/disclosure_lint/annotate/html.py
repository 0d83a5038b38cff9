"""Findings marked on a copy of an HTML page: each finding's text wrapped in `<mark>` whose title is the
message, and a list of the findings at the top of the page (each linking to its mark). The page's own
scripts, event handlers and frames are removed, outside addresses of images, style sheets and media
dropped, and a Content-Security-Policy forbids loading anything: the copy opens offline and runs
nothing. Every piece of text is escaped."""

from __future__ import annotations

import re
import secrets
from html import escape
from typing import Any

_ACTIVE = "script, noscript, iframe, frame, frameset, object, embed, applet, base"
_CSP = ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
        'img-src data:">')
_STYLE = ("<style>mark.dlint{background:#ffe08a;outline:1px solid #d4a400}#dlint-findings{border:2px solid #d4a400;"
          "padding:.5rem 1rem;margin:1rem;background:#fffbea;font:14px/1.5 system-ui,sans-serif}</style>")


def annotate(data: bytes, findings: list[tuple[int, int, list[str]]]) -> tuple[bytes, list[tuple[int, int]]]:
    """A copy of the page with every finding marked. Returns the copy and, per finding, the range of the
    extracted text it marks (an empty range: listed only)."""
    from selectolax.lexbor import LexborHTMLParser

    from ..extract.html import decode, traced
    from . import anchor_range

    tree = LexborHTMLParser(decode(data))
    text, origins, trace = traced(tree)
    cuts: dict[int, list[tuple[int, int, int]]] = {}  # text node -> [(start, end, finding)]
    anchored = []
    for n, (start, end, _lines) in enumerate(findings):
        hit = anchor_range(origins, text, start, end)
        if hit is None:
            anchored.append((start, start))
            continue
        anchored.append((hit[0], hit[1] + 1))
        for i in range(hit[0], hit[1] + 1):
            o = origins[i]
            if o is None:
                continue
            node_cuts = cuts.setdefault(o[0], [])
            if node_cuts and node_cuts[-1][2] == n and node_cuts[-1][1] == o[1]:
                node_cuts[-1] = (node_cuts[-1][0], o[1] + 1, n)
            else:
                node_cuts.append((o[1], o[1] + 1, n))
    nonce = secrets.token_hex(8)
    pieces: dict[str, str] = {}
    for idx, node_cuts in cuts.items():
        node = trace.nodes[idx]
        token = f"dlint{nonce}x{idx}y"
        pieces[token] = _marked(node.text(deep=False) or "", node_cuts, findings)
        node.replace_with(token)
    for node in tree.css(_ACTIVE):
        node.decompose()
    for node in tree.root.traverse() if tree.root is not None else ():
        for name in [a for a in node.attributes if a.lower().startswith("on") or a.lower() in ("srcdoc", "formaction")]:
            del node.attrs[name]
        for name in ("href", "src", "action"):
            value = node.attributes.get(name) or ""
            if value.strip().lower().startswith(("javascript:", "vbscript:", "data:text/html")):
                del node.attrs[name]
        # nothing is fetched when the copy is opened: images, style sheets, media keep no outside address
        for name in ("src", "srcset", "poster", "background", "data") if node.tag != "a" else ():
            value = (node.attributes.get(name) or "").strip().lower()
            if name in node.attributes and not value.startswith("data:image/"):
                del node.attrs[name]
        if node.tag == "link" and "href" in node.attributes:
            del node.attrs["href"]
    page = tree.html or ""
    for token, markup in pieces.items():
        page = page.replace(token, markup, 1)
    page = re.sub(r"<head[^>]*>", lambda m: m.group(0) + '<meta charset="utf-8">' + _CSP + _STYLE, page, count=1)
    page = re.sub(r"<body[^>]*>", lambda m: m.group(0) + _listing(findings), page, count=1)
    return page.encode("utf-8"), anchored


def _marked(text: str, node_cuts: list[tuple[int, int, int]], findings: list[Any]) -> str:
    """A text node's text, escaped, with each finding's characters in a <mark>."""
    bounds = sorted({0, len(text)} | {s for s, _, _ in node_cuts} | {e for _, e, _ in node_cuts})
    out = []
    for a, b in zip(bounds, bounds[1:]):
        which = [n for s, e, n in node_cuts if s <= a and b <= e]
        chunk = escape(text[a:b], quote=False)
        if which:
            title = escape("\n".join(line for n in which for line in findings[n][2]))
            ids = " ".join(f"dlint-{n}" for n in which)
            out.append(f'<mark class="dlint" data-dlint="{ids}" id="dlint-{which[0]}-{a}" title="{title}">{chunk}</mark>')
        else:
            out.append(chunk)
    return "".join(out)


def _listing(findings: list[tuple[int, int, list[str]]]) -> str:
    items = "".join(f"<li>{escape(lines[0])}" + (f"<br>{escape(lines[1])}" if len(lines) > 1 else "") + "</li>"
                    for _s, _e, lines in findings)
    return (f'<aside id="dlint-findings"><strong>dlint：{len(findings)}个问题 / {len(findings)} finding(s)</strong>'
            f"<ol>{items}</ol></aside>")
