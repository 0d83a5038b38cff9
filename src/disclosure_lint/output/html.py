"""The supervisor's audit page: one self-contained HTML file (no network resources).

A sortable, filterable table of all reports, a chart of how many reports break each rule, and each
report's findings with the offending text in context. Every piece of report text goes through
html.escape: a report containing `<script>` shows it, never runs it.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from html import escape
from typing import IO, Any

from .. import __version__
from ..verdict import label, verdict
from . import span

_STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}
th{background:#f3f3f3;cursor:pointer;user-select:none}th[aria-sort=ascending]::after{content:" ▲"}
th[aria-sort=descending]::after{content:" ▼"}td.n{text-align:right}
.fail{color:#b00020;font-weight:bold}.pass{color:#1b5e20}.warning{color:#8a5a00}.info{color:#555}.error{color:#b00020}
.bar{fill:#c0392b}.chart text{font-size:12px}pre{background:#fafafa;border:1px solid #eee;padding:.4rem;white-space:pre-wrap}
mark{background:#ffe08a}#filter{padding:.3rem;width:20rem;margin-bottom:.5rem}details{margin:.4rem 0}
"""

_SCRIPT = """
(function () {
  var table = document.getElementById("reports");
  var body = table.tBodies[0];
  function key(row, col, numeric) {
    var text = row.cells[col].getAttribute("data-sort") || row.cells[col].textContent;
    return numeric ? parseFloat(text) || 0 : text;
  }
  function sortBy(th) {
    var col = th.cellIndex, numeric = th.getAttribute("data-type") === "number";
    var asc = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, col, numeric), y = key(b, col, numeric);
      var c = numeric ? x - y : String(x).localeCompare(String(y), "zh");
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    th.addEventListener("click", function () { sortBy(th); });
  });
  document.getElementById("filter").addEventListener("input", function (e) {
    var q = e.target.value.trim().toLowerCase();
    Array.prototype.forEach.call(body.rows, function (r) {
      r.hidden = q !== "" && r.textContent.toLowerCase().indexOf(q) === -1;
    });
  });
})();
"""


_SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")


def _context(r: Any, d: Any) -> str:
    """The offending line with the offending text marked, all escaped."""
    if r.source is None:
        return ""
    line, col, end_line, end_col = span(r, d)
    text = r.source.line_text(line)
    stop = end_col - 1 if end_line == line else len(text)
    before, hit, after = text[: col - 1], text[col - 1: stop], text[stop:]
    if len(before) > 60:
        before = "…" + before[-60:]
    if len(after) > 60:
        after = after[:60] + "…"
    return f"<pre>{line}: {escape(before)}<mark>{escape(hit)}</mark>{escape(after)}</pre>"


def _finding(r: Any, d: Any) -> str:
    line, col, _, _ = span(r, d)
    return (f'<details open><summary><span class="{d.severity}">{escape(d.code)} {escape(d.name)}</span> '
            f'{line}:{col} — {escape(d.message)}</summary>{_context(r, d)}'
            + (f"<p>{escape(d.help)}</p>" if d.help else "") + "</details>")


def _chart(broken: Counter[str], names: dict[str, str], total: int) -> str:
    if not broken:
        return "<p>—</p>"
    items = sorted(broken.items(), key=lambda kv: (-kv[1], kv[0]))
    width, bar_h, label_w = 640, 18, 230
    height = bar_h * len(items) + 10
    top = max(n for _, n in items)
    parts = [f'<svg class="chart" role="img" aria-label="reports per rule" width="{width + label_w + 60}" height="{height}">']
    for i, (code, n) in enumerate(items):
        y = i * bar_h + 5
        w = max(1, int(width * n / top))
        parts.append(f'<text x="0" y="{y + 13}">{escape(code)} {escape(names.get(code, ""))}</text>'
                     f'<rect class="bar" x="{label_w}" y="{y}" width="{w}" height="{bar_h - 4}"></rect>'
                     f'<text x="{label_w + w + 4}" y="{y + 13}">{n}/{total}</text>')
    parts.append("</svg>")
    return "".join(parts)


def write(results: Any, stream: IO[str], options: Any) -> None:
    zh = getattr(options, "lang", "zh") != "en"
    rows, sections = [], []
    broken: Counter[str] = Counter()
    names: dict[str, str] = {}
    totals: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    count = 0
    for i, r in enumerate(results):
        count += 1
        sev = Counter(d.severity for d in r.diagnostics)
        totals.update(sev)
        for code in {d.code for d in r.diagnostics}:
            broken[code] += 1
        names.update({d.code: d.name for d in r.diagnostics})
        judged = verdict(r)
        verdicts[judged] += 1
        failed = judged != "pass"
        status = label(judged, "zh" if zh else "en")
        rows.append(
            f'<tr><td><a href="#r{i}">{escape(r.path)}</a></td><td>{escape(r.agency or "")}</td>'
            f'<td class="n">{r.year or ""}</td><td>{escape(r.template or "")}</td>'
            f'<td class="n">{sev["error"]}</td><td class="n">{sev["warning"]}</td><td class="n">{sev["info"]}</td>'
            f'<td class="{"fail" if failed else "pass"}" data-sort="{ {"fail": 2, "unchecked": 1}.get(judged, 0)}">'
            f'{status}</td></tr>')
        items = "".join(_finding(r, d) for d in r.diagnostics)
        sections.append(f'<section id="r{i}"><h2>{escape(r.path)}</h2>{items or "<p>✓</p>"}</section>')
    head = (["报告", "机关", "年度", "模板", "错误", "警告", "提示", "结论"] if zh
            else ["report", "agency", "year", "template", "errors", "warnings", "info", "status"])
    types = ["text", "text", "number", "text", "number", "number", "number", "number"]
    title = "政府信息公开工作年度报告检查结果" if zh else "Annual report audit"
    summary = (f"共{count}份报告：错误{totals['error']}个，警告{totals['warning']}个，提示{totals['info']}个。" if zh else
               f"{count} report(s): {totals['error']} error(s), {totals['warning']} warning(s), {totals['info']} info.")
    summary += (f"不合格{verdicts['fail']}份，合格{verdicts['pass']}份，无法核对{verdicts['unchecked']}份。" if zh else
                f" {verdicts['fail']} fail, {verdicts['pass']} pass, {verdicts['unchecked']} not checkable.")
    configs = [c or ("默认设置" if zh else "the defaults") for c in getattr(options, "configs", list)()]
    summary += (f"配置：{'、'.join(configs)}。" if zh else f" Configuration: {', '.join(configs)}.") if configs else ""
    stream.write(
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if zh else "en"}"><head><meta charset="utf-8">'
        # only this page's own script may run (by its hash), even if some text escaped the escaping
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
        f"script-src '{_SCRIPT_HASH}'; img-src data:\">"
        f"<title>{title}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{title}</h1><p>{escape(summary)} dlint {escape(__version__)}</p>"
        f'<input id="filter" type="search" placeholder="{"筛选" if zh else "filter"}…" aria-label="filter">'
        '<table id="reports"><thead><tr>'
        + "".join(f'<th data-type="{t}">{h}</th>' for h, t in zip(head, types))
        + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        f"<h2>{'各规则涉及的报告数' if zh else 'Reports breaking each rule'}</h2>{_chart(broken, names, count)}"
        + "".join(sections) + f"<script>{_SCRIPT}</script></body></html>\n")
