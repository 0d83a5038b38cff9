"""How a web page is read: the shortcuts of the page reader hold to the plain readings they replace."""

from __future__ import annotations

from conftest import CLEAN
from hypothesis import given, settings
from hypothesis import strategies as st
from publish import to_html
from selectolax.lexbor import LexborHTMLParser

from disclosure_lint.extract import html

# pieces of a page: blocks, inline tags, tables, chrome, section headings whole and split across tags, and
# every kind of white space the reader collapses or keeps
_PIECES = st.sampled_from([
    "<p>", "</p>", "<div>", "</div>", "<span>", "</span>", "<b>", "</b>", "<br>", "<nav>", "</nav>", "<h2>", "</h2>",
    "<table>", "</table>", "<tr>", "<td>", "</td>", "<!-- c -->", "<script>x</script>", "<article>", "</article>",
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议",
    "五、存在的主要问题", "六、其他需要报告的事项", "一、<b>总体情况</b>", "二、", "总体情况",
    " ", "  ", "\n    ", "\t", "\xa0", "\u3000", "&nbsp;", "\x00", "a b", "a  b", "x\n y", "规章", "12",
    "发布时间：2024-01-20", "发布日期: 2023 年 2 月 5 日", "<meta name='PubDate' content='2024-03-01'>",
    "<strong>", "</strong>", "<a href='#'>", "</a>", "<font>", "</font>", "<img src='x'>", "<button>b</button>",
    "<input value='v'>", "<svg>t</svg>", "<style>s</style>", "<noscript>n</noscript>", "<ul>", "<li>", "</ul>",
])


def _page(pieces: list[str]) -> LexborHTMLParser:
    return LexborHTMLParser("<html><body>" + "".join(pieces) + "</body></html>")


def _headed_node_by_node(root: object) -> list[tuple[int, str]]:
    """The plain reading: every text node read and searched on its own, its first heading kept."""
    out = []
    for node in root.traverse(include_text=True):  # type: ignore[attr-defined]
        if node.tag == "-text":
            m = html._SECTION_HEAD.search(node.text(deep=False) or "")
            if m:
                out.append((node.mem_id, m.group(1)))
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=50))
def test_the_page_reader_holds_to_the_plain_readings(pieces):
    tree = _page(pieces)
    root = tree.body
    # the headings found in the page's text read once are those of its nodes read one by one
    assert [(node.mem_id, number) for node, number in html._headed(root)] == _headed_node_by_node(root)
    # the text read without origins is the text the traced reading makes character by character (which
    # takes every text node and collapses every run of white space itself)
    text, _origins, _tree, article = html._walk(tree, None)
    assert text == html.traced(tree)[0]
    # a publication date searched in the page's text as it stands is the one found after collapsing it
    if not tree.css(html._PUB_META):
        m = html._PUB_TEXT.search(html._SPACE.sub(" ", root.text(deep=True))[:200_000])
        assert html._published(tree, root) == (html._iso(m) if m else "")


class _Counted:
    """A page node that counts the text nodes read one by one (the page is real; only the reads are counted)."""

    reads = 0

    def __init__(self, node: object) -> None:
        self._node = node

    def __getattr__(self, name: str) -> object:
        return getattr(self._node, name)

    def text(self, deep: bool = True, separator: str = "") -> str:
        if not deep:
            _Counted.reads += 1
        return self._node.text(deep=deep, separator=separator)  # type: ignore[attr-defined]

    def traverse(self, include_text: bool = False):  # noqa: ANN201
        return map(_Counted, self._node.traverse(include_text=include_text))  # type: ignore[attr-defined]


def test_a_pages_headings_are_found_without_reading_its_text_nodes_one_by_one():
    tree = LexborHTMLParser(html.decode(to_html(CLEAN.read_text(encoding="utf-8"))))
    _Counted.reads = 0
    found = html._headed(_Counted(tree.body))
    assert {number for _node, number in found} >= set("一二三四五六")
    assert _Counted.reads == 0  # node by node, every text node of the page was read (hundreds)
    assert sum(1 for node in tree.body.traverse(include_text=True) if node.tag == "-text") > 100


def test_a_line_opening_with_white_space_is_read_as_before():
    page = "<p>\n   <b>一、总体情况</b>\n</p><div>\xa0 a  b\u3000</div><p>  </p><p>x<br>  y</p>"
    assert html.extract(page.encode()).splitlines() == ["一、总体情况", "a b", "x", "y"]
