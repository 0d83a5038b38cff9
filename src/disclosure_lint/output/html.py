"""The supervisor's audit page: one self-contained HTML file (no network resources).

Worst reports first; the header counts reports by verdict and findings by severity; filters by rule
(a list with counts, or a click on the chart's bar), severity, verdict and agency drive both the
report table and the per-report details; a per-agency view for an office with many bodies. Every
piece of report text goes through html.escape: a report containing `<script>` shows it, never runs it.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter, defaultdict
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
.fail{color:#b00020;font-weight:bold}.pass{color:#1b5e20}.unchecked{color:#8a5a00;font-weight:bold}
.warning{color:#8a5a00}.info{color:#555}.error{color:#b00020}
.bar{fill:#c0392b;cursor:pointer}.bar:hover,.bar.on{fill:#7b241c}.chart text{font-size:12px}
pre{background:#fafafa;border:1px solid #eee;padding:.4rem;white-space:pre-wrap}
mark{background:#ffe08a}details{margin:.4rem 0}
.stats{display:flex;gap:.6rem;flex-wrap:wrap;margin:.6rem 0}
.stat{border:1px solid #ddd;border-radius:6px;padding:.4rem .8rem;min-width:6rem}
.stat b{display:block;font-size:1.5rem}
.filters{display:flex;gap:.6rem;flex-wrap:wrap;align-items:center;margin:.6rem 0}
.filters select,.filters input{padding:.3rem}#shown{color:#555}
code{color:#555}
"""

_SCRIPT = """
(function () {
  function all(sel) { return Array.prototype.slice.call(document.querySelectorAll(sel)); }
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
  var f = {rule: document.getElementById("f-rule"), severity: document.getElementById("f-severity"),
           verdict: document.getElementById("f-verdict"), agency: document.getElementById("f-agency"),
           text: document.getElementById("filter")};
  function apply() {
    var rule = f.rule.value, sev = f.severity.value, ver = f.verdict.value, ag = f.agency.value;
    var q = f.text.value.trim().toLowerCase(), shown = 0;
    function findingShown(el) {
      return (!rule || el.getAttribute("data-rule") === rule) && (!sev || el.getAttribute("data-severity") === sev);
    }
    Array.prototype.forEach.call(body.rows, function (r) {
      var sec = document.getElementById(r.getAttribute("data-id"));
      var findings = Array.prototype.slice.call(sec.querySelectorAll("details[data-rule]"));
      var any = findings.some(findingShown);
      var ok = (!ver || r.getAttribute("data-verdict") === ver) && (!ag || r.getAttribute("data-agency") === ag)
        && ((!rule && !sev) || any) && (q === "" || r.textContent.toLowerCase().indexOf(q) !== -1);
      r.hidden = !ok;
      sec.hidden = !ok;
      findings.forEach(function (d) { d.hidden = !findingShown(d); });
      if (ok) { shown += 1; }
    });
    all(".bar").forEach(function (b) { b.classList.toggle("on", b.getAttribute("data-rule") === rule); });
    document.getElementById("shown").textContent = document.getElementById("shown").getAttribute("data-text")
      .replace("{n}", shown).replace("{m}", body.rows.length);
  }
  [f.rule, f.severity, f.verdict, f.agency].forEach(function (s) { s.addEventListener("change", apply); });
  f.text.addEventListener("input", apply);
  all(".bar").forEach(function (b) {
    b.addEventListener("click", function () {
      var code = b.getAttribute("data-rule");
      f.rule.value = f.rule.value === code ? "" : code;
      apply();
      table.scrollIntoView();
    });
  });
  all("a[data-agency]").forEach(function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      f.agency.value = a.getAttribute("data-agency");
      apply();
      table.scrollIntoView();
    });
  });
  document.getElementById("f-clear").addEventListener("click", function () {
    f.rule.value = ""; f.severity.value = ""; f.verdict.value = ""; f.agency.value = ""; f.text.value = "";
    apply();
  });
  apply();
})();
"""

_SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
_RANK = {"fail": 2, "unchecked": 1, "pass": 0}
_WORDS = {
    "zh": {"title": "政府信息公开工作年度报告检查结果", "reports": "份报告", "error": "错误", "warning": "警告",
           "info": "提示", "head": ["报告", "机关", "年度", "模板", "错误", "警告", "提示", "结论"],
           "rule": "全部规则", "severity": "全部级别", "verdict": "全部结论", "agency": "全部机关",
           "filter": "筛选文字", "clear": "清除筛选", "shown": "显示 {n} / {m} 份报告",
           "chart": "各规则涉及的报告数（点击筛选）", "agencies": "各机关情况",
           "agency_head": ["机关", "报告数", "不合格", "合格", "无法核对", "最常见的问题"],
           "config": "配置", "defaults": "默认设置", "none": "没有发现问题", "findings": "个问题"},
    "en": {"title": "Annual report audit", "reports": " report(s)", "error": "errors", "warning": "warnings",
           "info": "info", "head": ["report", "agency", "year", "template", "errors", "warnings", "info", "verdict"],
           "rule": "all rules", "severity": "all severities", "verdict": "all verdicts", "agency": "all agencies",
           "filter": "filter text", "clear": "clear filters", "shown": "showing {n} / {m} reports",
           "chart": "Reports breaking each rule (click to filter)", "agencies": "By agency",
           "agency_head": ["agency", "reports", "fail", "pass", "not checkable", "most frequent findings"],
           "config": "Configuration", "defaults": "the defaults", "none": "no findings", "findings": " finding(s)"},
}


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


def _finding(r: Any, d: Any, title: str) -> str:
    line, col, _, _ = span(r, d)
    return (f'<details open data-rule="{escape(d.code)}" data-severity="{d.severity}"><summary>'
            f'<span class="{d.severity}">{escape(title)} <code>{escape(d.code)}</code></span> '
            f'{line}:{col} — {escape(d.message)}</summary>{_context(r, d)}'
            + (f"<p>{escape(d.help)}</p>" if d.help else "") + "</details>")


def _chart(broken: Counter[str], titles: dict[str, str], total: int) -> str:
    if not broken:
        return "<p>—</p>"
    items = sorted(broken.items(), key=lambda kv: (-kv[1], kv[0]))
    width, bar_h, label_w = 560, 20, 330
    height = bar_h * len(items) + 10
    top = max(n for _, n in items)
    parts = [f'<svg class="chart" role="img" aria-label="reports per rule" width="{width + label_w + 60}" height="{height}">']
    for i, (code, n) in enumerate(items):
        y = i * bar_h + 5
        w = max(1, int(width * n / top))
        name = titles.get(code, "")
        if len(name) > 22:
            name = name[:21] + "…"
        parts.append(f'<text x="0" y="{y + 13}">{escape(code)} {escape(name)}</text>'
                     f'<rect class="bar" data-rule="{escape(code)}" x="{label_w}" y="{y}" width="{w}" height="{bar_h - 5}">'
                     f"<title>{escape(code)} {escape(titles.get(code, ''))}: {n}/{total}</title></rect>"
                     f'<text x="{label_w + w + 4}" y="{y + 13}">{n}/{total}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _options(values: list[tuple[str, str]], everything: str, ident: str) -> str:
    opts = "".join(f'<option value="{escape(v)}">{escape(t)}</option>' for v, t in values)
    return f'<select id="{ident}" aria-label="{escape(everything)}"><option value="">{escape(everything)}</option>{opts}</select>'


def write(results: Any, stream: IO[str], options: Any) -> None:
    lang = "en" if getattr(options, "lang", "zh") == "en" else "zh"
    w = _WORDS[lang]
    titles: dict[str, str] = {}
    for rule in getattr(options, "rules", ()):
        summary = getattr(rule, "summary", None) or {}
        titles[rule.code] = summary.get(lang) or summary.get("zh") or rule.name
    reports = []
    for r in results:  # judged first: the page opens on the worst reports
        sev = Counter(d.severity for d in r.diagnostics)
        reports.append((verdict(r), sev, r))
    reports.sort(key=lambda t: (-_RANK[t[0]], -t[1]["error"], -t[1]["warning"], -t[1]["info"], t[2].path))
    broken: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    agencies: dict[str, dict[str, Any]] = defaultdict(lambda: {"n": 0, "v": Counter(), "rules": Counter()})
    rows, sections = [], []
    for i, (judged, sev, r) in enumerate(reports):
        totals.update(sev)
        verdicts[judged] += 1
        codes = {d.code for d in r.diagnostics}
        broken.update(codes)
        for d in r.diagnostics:
            titles.setdefault(d.code, d.name)
        agency = r.agency or ""
        a = agencies[agency]
        a["n"] += 1
        a["v"][judged] += 1
        a["rules"].update(codes)
        rows.append(
            f'<tr data-id="r{i}" data-verdict="{judged}" data-agency="{escape(agency)}">'
            f'<td><a href="#r{i}">{escape(r.path)}</a></td><td>{escape(agency)}</td>'
            f'<td class="n">{r.year or ""}</td><td>{escape(r.template or "")}</td>'
            f'<td class="n">{sev["error"]}</td><td class="n">{sev["warning"]}</td><td class="n">{sev["info"]}</td>'
            f'<td class="{judged}" data-sort="{_RANK[judged]}">{label(judged, lang)}</td></tr>')
        items = "".join(_finding(r, d, titles.get(d.code, d.name)) for d in r.diagnostics)
        sections.append(f'<section id="r{i}"><h2>{escape(r.path)} <span class="{judged}">{label(judged, lang)}</span></h2>'
                        f'{items or "<p>✓ " + w["none"] + "</p>"}</section>')
    count = len(reports)
    stats = "".join(f'<div class="stat {k}"><b>{verdicts[k]}</b>{label(k, lang)}</div>' for k in ("fail", "unchecked", "pass"))
    stats += "".join(f'<div class="stat {k}"><b>{totals[k]}</b>{w[k]}</div>' for k in ("error", "warning", "info"))
    configs = [c or w["defaults"] for c in getattr(options, "configs", list)()]
    about = f"{count}{w['reports']}. " if lang == "en" else f"共{count}份报告。"
    if configs:
        about += f"{w['config']}：{'、'.join(configs)}。" if lang == "zh" else f"{w['config']}: {', '.join(configs)}."
    rule_opts = [(c, f"{c} {titles.get(c, '')} ({n})") for c, n in sorted(broken.items(), key=lambda kv: (-kv[1], kv[0]))]
    sev_opts = [(k, f"{w[k]} ({totals[k]})") for k in ("error", "warning", "info")]
    ver_opts = [(k, f"{label(k, lang)} ({verdicts[k]})") for k in ("fail", "unchecked", "pass")]
    ag_opts = [(k, f"{k or '—'} ({v['n']})") for k, v in sorted(agencies.items())]
    filters = ('<div class="filters">' + _options(rule_opts, w["rule"], "f-rule") + _options(sev_opts, w["severity"], "f-severity")
               + _options(ver_opts, w["verdict"], "f-verdict") + _options(ag_opts, w["agency"], "f-agency")
               + f'<input id="filter" type="search" placeholder="{w["filter"]}…" aria-label="{w["filter"]}">'
               + f'<button id="f-clear" type="button">{w["clear"]}</button>'
               + f'<span id="shown" data-text="{w["shown"]}"></span></div>')
    head = w["head"]
    sorted_by = ' aria-sort="descending"'
    types = ["text", "text", "number", "text", "number", "number", "number", "number"]
    agency_rows = []
    for name, a in sorted(agencies.items(), key=lambda kv: (-kv[1]["v"]["fail"], -kv[1]["n"], kv[0])):
        top = "；".join(f"{escape(titles.get(c, c))} <code>{escape(c)}</code> ×{n}"
                        for c, n in sorted(a["rules"].items(), key=lambda kv: (-kv[1], kv[0]))[:3])
        agency_rows.append(f'<tr><td><a href="#reports" data-agency="{escape(name)}">{escape(name or "—")}</a></td>'
                           f'<td class="n">{a["n"]}</td>'
                           + "".join(f'<td class="n">{a["v"][k]}</td>' for k in ("fail", "pass", "unchecked"))
                           + f"<td>{top}</td></tr>")
    stream.write(
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        # only this page's own script may run (by its hash), even if some text escaped the escaping
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
        f"script-src '{_SCRIPT_HASH}'; img-src data:\">"
        f"<title>{w['title']}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{w['title']}</h1><div class=\"stats\">{stats}</div><p>{escape(about)} dlint {escape(__version__)}</p>"
        + filters + '<table id="reports"><thead><tr>'
        # rows arrive worst first: the verdict column is the one sorted (descending)
        + "".join(f'<th data-type="{t}"{sorted_by if i == 7 else ""}>{h}</th>'
                  for i, (h, t) in enumerate(zip(head, types)))
        + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        f"<h2>{w['chart']}</h2>{_chart(broken, titles, count)}"
        f"<h2>{w['agencies']}</h2><table id=\"agencies\"><thead><tr>"
        + "".join(f"<th>{h}</th>" for h in w["agency_head"]) + "</tr></thead><tbody>" + "".join(agency_rows) + "</tbody></table>"
        + "".join(sections) + f"<script>{_SCRIPT}</script></body></html>\n")
