"""Render a report's tables in the shapes real reports arrive in: line-structured tab-separated text
(with blank cells), markdown from document converters and OCR (one or several pipe tables, lost
headers, stub tables, page footers), HTML, and whole-report crawls with every newline lost.

The tests draw consistent tables at random and check that dlint reads back exactly what was drawn.
"""

from __future__ import annotations

import html
import random

from disclosure_lint.template import template

T21 = template("2021")
P_ROWS = [(r.id, r.label, len(r.columns)) for r in T21.tables["proactive"].rows]
R_ROWS = [(r.id, r.label) for r in T21.tables["requests"].rows]
GROUPS_BEFORE = {"R3": "三、本年度办理结果", "R5": "（三）不予公开", "R13": "（四）无法提供", "R16": "（五）不予处理",
                 "R21": "（六）其他处理"}
P_HEADERS = {"P1": ("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]),
             "P3": ("第二十条第（五）项", ["信息内容", "本年处理决定数量"]),
             "P4": ("第二十条第（六）项", ["信息内容", "本年处理决定数量"]),
             "P6": ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"])}
COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
T4_HEAD = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]

HEAD = """示例市交通运输局2023年政府信息公开工作年度报告
本报告所列数据的统计期限为2023年1月1日至2023年12月31日。
一、总体情况
2023年，示例市交通运输局认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。
（一）主动公开。全年主动公开各类政府信息215条。
（二）依申请公开。全年共收到政府信息公开申请{received}件，均在法定期限内予以答复。
（三）政府信息管理。严格执行保密审查制度。
（四）平台建设。优化门户网站信息公开专栏。
（五）监督保障。将政务公开纳入年度考核。
"""
TAIL = """五、存在的主要问题及改进情况
（一）存在问题。政策解读形式还不够丰富。
（二）改进措施。下一步，我局将丰富解读形式，提高解读质量。
六、其他需要报告的事项
依据《政府信息公开信息处理费管理办法》，本机关2023年未收取信息处理费。
"""


def draw(rng: random.Random, blanks: float = 0.0) -> dict[str, list]:
    """Consistent tables: every row total, T3-balance, T3-results and table 四's blocks hold.
    With `blanks`, that share of cells of table 三's zero rows printed blank (None)."""
    def small() -> int:
        return rng.choice([0, 0, 0, 0, 1, 2, 3, rng.randint(0, 40), rng.randint(0, 400)])

    values: dict[str, list] = {}
    results = [f"R{i}" for i in range(3, 24)]
    for rid in results:
        parts = [small() if rng.random() < 0.4 else 0 for _ in range(6)]
        values[rid] = parts + [sum(parts)]
    values["R24"] = [sum(values[r][c] for r in results) for c in range(7)]
    carry = [small() if rng.random() < 0.2 else 0 for _ in range(6)]
    values["R25"] = carry + [sum(carry)]
    prev = [min(rng.choice([0, 0, 1, 2]), values["R24"][c] + values["R25"][c]) for c in range(6)]
    values["R2"] = prev + [sum(prev)]
    values["R1"] = [values["R24"][c] + values["R25"][c] - values["R2"][c] for c in range(7)]
    if blanks:
        for rid in results:
            if not any(values[rid]) and rng.random() < blanks:
                values[rid] = [None] * 7
    t4 = []
    for _ in range(3):
        parts = [rng.choice([0, 0, 0, 1, 2, rng.randint(0, 30)]) for _ in range(4)]
        t4 += parts + [sum(parts)]
    values["T4"] = t4
    values["P1"] = [0, 0, rng.randint(0, 3)]
    values["P2"] = [rng.randint(0, 9), rng.randint(0, 5), rng.randint(10, 99)]
    for rid in ("P3", "P4", "P5"):
        values[rid] = [rng.choice([0, rng.randint(1, 5000)])]
    values["P6"] = ["3.2500"]
    return values


def _cell(v) -> str:
    return "" if v is None else str(v)


def _body(values: dict[str, list], row, table_lines, t4_lines) -> str:
    received = values["R1"][6]
    lines = HEAD.format(received=received).splitlines()
    lines.append("二、主动公开政府信息情况")
    lines += table_lines("proactive")
    lines.append("三、收到和处理政府信息公开申请情况")
    lines += table_lines("requests")
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    lines += t4_lines()
    lines += TAIL.splitlines()
    return "\n".join(lines) + "\n"


def tab_text(values: dict[str, list]) -> str:
    """Line-structured, tab-separated, blank cells as empty fields (as DOCX and PDF extraction give)."""
    def table(tid: str) -> list[str]:
        out = []
        if tid == "proactive":
            for rid, label, _n in P_ROWS:
                if rid in P_HEADERS:
                    out += [P_HEADERS[rid][0], "\t".join(P_HEADERS[rid][1])]
                out.append("\t".join([label, *map(_cell, values[rid])]))
            return out
        out += ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "\t".join(["申请人情况", *COLUMNS])]
        for rid, label in R_ROWS:
            if rid in GROUPS_BEFORE:
                out.append(GROUPS_BEFORE[rid])
            out.append("\t".join([label, *map(_cell, values[rid])]))
        return out

    def t4() -> list[str]:
        return ["行政复议\t行政诉讼", "\t".join(T4_HEAD + ["未经复议直接起诉", "复议后起诉"]), "\t".join(T4_HEAD * 3),
                "\t".join(map(_cell, values["T4"]))]
    return _body(values, None, table, t4)


def markdown(values: dict[str, list], rng: random.Random) -> str:
    """Pipe tables as converters and OCR give them: lost headers (数据1 …), stub tables, footers,
    table 四 as three tables (one a block), a title line between the heading and the pipes."""
    def pipe(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    def header(n: int) -> list[str]:
        names = rng.choice([[f"数据{i}" for i in range(1, n + 1)], [f"列{i}" for i in range(1, n + 1)], None])
        first = names if names else ["信息内容"] + [""] * (n - 1)
        return [pipe(first), pipe(["---"] * n)]

    def table(tid: str) -> list[str]:
        out = []
        if tid == "proactive":
            for rid, label, n in P_ROWS:
                if rid in P_HEADERS:
                    out += ["", P_HEADERS[rid][0], *header(n + 1)]
                out.append(pipe([label, *map(_cell, values[rid])]))
            return out
        out += ["表3 收到和处理政府信息公开申请情况表", "", "| - | - |", "", *header(8)]
        for k, (rid, label) in enumerate(R_ROWS):
            if rid in GROUPS_BEFORE:
                out.append(pipe([GROUPS_BEFORE[rid]] + [""] * 7))
            out.append(pipe([label, *map(_cell, values[rid])]))
            if k == 12:
                out += ["", "— 3 —", ""]
        return out

    def t4() -> list[str]:
        out = []
        for b, name in enumerate(["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"]):
            out += ["", name, "", pipe(T4_HEAD), pipe(["---"] * 5), pipe(list(map(_cell, values["T4"][b * 5:b * 5 + 5])))]
        return out
    return _body(values, None, table, t4)


def html_page(values: dict[str, list]) -> str:
    """The tables as HTML, blank cells as <td></td> or <td>&nbsp;</td>."""
    text = tab_text(values)
    out = ["<html><head><meta charset='utf-8'></head><body>"]
    rows: list[str] = []

    def flush() -> None:
        if rows:
            out.append("<table>" + "".join(rows) + "</table>")
            rows.clear()
    for line in text.splitlines():
        if "\t" in line:
            cells = line.split("\t")
            rows.append("<tr>" + "".join(f"<td>{html.escape(c) if c else '&nbsp;'}</td>" for c in cells) + "</tr>")
        else:
            flush()
            out.append(f"<p>{html.escape(line)}</p>")
    flush()
    out.append("</body></html>")
    return "\n".join(out)


def crawl(values: dict[str, list], rng: random.Random, spaces: bool = True) -> str:
    """The whole report on one line, as a web crawl gives it: cells glued to their labels and to the
    next row's number, headings after full-width indents, stray spaces inside some labels."""
    text = tab_text(values)
    out = []
    for line in text.splitlines():
        if "\t" in line:
            label, *cells = line.split("\t")
            if spaces and len(label) > 6 and rng.random() < 0.3:
                k = rng.randint(2, len(label) - 2)
                label = label[:k] + " " + label[k:]
            out.append(label + "".join(cells))
        elif line.startswith(("一、", "二、", "三、", "四、", "五、", "六、")) and "总体" not in line:
            out.append("\u3000\u3000" + line)
        else:
            out.append(line)
    title, rest = out[0], out[1:]
    return title + "\n\n" + "".join(rest) + "\n"
