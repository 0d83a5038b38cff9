"""Numbers the prose states against each other (DL503, DL507, DL508): a total and its parts, the
balance of applications received and finished, one quantity stated twice with two numbers.

Only sentences of a recognisable shape are read; a list closed by 等 or introduced as examples (如,
例如, 包括但不限于) is never compared with its total, and units must agree (条/件/篇/次 …).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..compiled import regex  # patterns over the whole CJK range take ms to compile
from ..diagnostics import Finding
from ..hookspecs import hookimpl
from ..model import Paragraph, Report
from . import Kind

_UNITS = "件条个篇起项次份期场"
# 共公开政府信息1870条，其中…  /  发布主动公开内容3条，包括…
_TOTAL = regex(rf"(?<![\d.])(\d+)\s*([{_UNITS}])[^\d，,。；;（(]{{0,6}}[，,：:]?\s*(?:其中|包括|包含|分别为|分别是)(?!但不限于)")
_LISTS = ("其中", "包括", "包含", "分别")  # a total's list opens with one of these
_PART = regex(rf"(?<![\d.%])(\d+)\s*([{_UNITS}])(?![\d%])")
_EXAMPLES = regex(r"^[^，,。；]{0,4}(?:如|例如|比如|诸如|包括但不限于)")
_CLOSED = regex(r"^\s*等")
_REST = regex(r"其他|其它|其余|另有")
_BREAK = regex(r"[；;。]|另外|此外|同时|以及其他|并且")
_PAREN = regex(r"[（(][^（()）]*[）)]")


def _parts(tail: str, unit: str) -> tuple[list[tuple[int, int, int, str]], bool, bool]:
    """The parts listed after a total: (value, start, end, label before it), whether the list ends in
    其他 (so it is exhaustive) and whether it is closed by 等 (so it is not)."""
    tail = _PAREN.sub(lambda m: "\0" * len(m.group()), tail)  # nested 其中 (in brackets) are no parts
    stop = _BREAK.search(tail)
    tail = tail[: stop.start()] if stop else tail
    parts: list[tuple[int, int, int, str]] = []
    closed = False
    prev = 0
    for m in _PART.finditer(tail):
        if m.group(2) != unit:
            continue
        label = tail[prev:m.start()]
        if re.search(r"[其中]其中|，其中", label) and parts:
            break  # a second level: `其中A 10件，其中…` lists the parts of A
        parts.append((int(m.group(1)), m.start(1), m.end(1), label))
        prev = m.end()
        if _CLOSED.match(tail, m.end()):
            closed = True
            break
    exhaustive = bool(parts) and bool(_REST.search(parts[-1][3]))
    return parts, exhaustive, closed


class ProseParts(Kind):
    """`共N条，其中A条、B条、其他C条`: the parts of an exhaustive list add up to the total, and no list
    adds up to more than it."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        for p in report.paragraphs:
            if not any(map(p.folded.__contains__, _LISTS)):
                continue  # a paragraph without a list: none of its sentences has one
            for s, _e, _text, folded in p.sentences:
                if not any(map(folded.__contains__, _LISTS)):
                    continue
                for m in _TOTAL.finditer(folded):
                    total, unit = int(m.group(1)), m.group(2)
                    tail = folded[m.end():]
                    if _EXAMPLES.match(tail):
                        continue
                    parts, exhaustive, closed = _parts(tail, unit)
                    if len(parts) < 2 or closed:
                        continue
                    got = sum(v for v, *_ in parts)
                    if got > total or (exhaustive and got != total):
                        yield Finding(p.span_of(s + m.start(1), s + m.end(1)), {
                            "total": total, "unit": unit, "parts": "+".join(str(v) for v, *_ in parts), "sum": got},
                            "message" if got > total else "less")


# 新受理申请7件，上年结转0件，全年办结0件，转下年度0件
_RECEIVED = regex(r"(?:受理|收到|接收|新收|接到)[^。，,；;\d]{0,14}?(?:申请|事项)[^。，,；;\d]{0,4}?(\d+)\s*件")
_CARRIED = regex(r"(?:上年度?|上一年度?)(?:结转|转入)[^。，,；;\d]{0,6}?(\d+)\s*件")
_FINISHED = regex(r"(?:办结|答复|办理完毕|处理完毕|办理)[^。，,；;\d]{0,6}?(\d+)\s*件")
_FORWARD = regex(r"(?:结转下一?年度?|转下一?年度?|转结|结转至下一?年度?|结转到下一?年度?)[^。，,；;\d]{0,6}?(\d+)\s*件|"
                      r"(\d+)\s*件[^。，,；;\d]{0,4}?(?:结转|转|顺延)(?:至|到|入)?下一?年度?")


def _first(pattern: re.Pattern[str], text: str) -> tuple[int, re.Match[str]] | None:
    m = pattern.search(text)
    if not m:
        return None
    group = 1 if m.group(1) is not None else 2
    return int(m.group(group)), m


class ProseBalance(Kind):
    """The prose's own account of applications: received + carried over = finished + carried forward,
    and never more finished than received and carried over."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        table_carried = report.table("requests").values("R2")
        table_carried = table_carried[-1] if table_carried else None
        for p in report.paragraphs:
            if "件" not in p.folded:
                continue  # no sentence of it has a count of applications
            for s, _e, _text, folded in p.sentences:
                if "件" not in folded:
                    continue
                got = _first(_RECEIVED, folded)
                if got is None:
                    continue
                after = folded[got[1].end():]
                done = _first(_FINISHED, after)
                if done is None:
                    continue
                carried = _first(_CARRIED, folded)
                forward = _first(_FORWARD, after)
                offset = s + got[1].end()
                where = p.span_of(offset + done[1].start(1), offset + done[1].end(1))
                if self.params.get("aspect") == "balance":
                    if carried is not None and forward is not None and got[0] + carried[0] != done[0] + forward[0]:
                        yield Finding(where, {"got": got[0], "carried": carried[0], "done": done[0], "forward": forward[0]})
                    continue
                before = carried[0] if carried is not None else table_carried
                if before is None and re.search(r"结转|上年|累计|含", folded):
                    continue  # finished ones carried over from last year, of an unknown number
                if done[0] > got[0] + (before or 0):
                    yield Finding(where, {"got": got[0], "done": done[0], "carried": before or 0})


# 通过门户网站统计信息栏目公开信息35条 … 全年通过统计信息专栏公开政府信息28条
_CHANNEL = regex(rf"([\u4e00-\u9fff]{{2,10}}?)(?:栏目|专栏|专区|频道)[^。，,；;\d]{{0,10}}?"
                 rf"(?:公开|发布|更新|推送)[^。，,；;\d]{{0,8}}?(\d+)\s*([{_UNITS}])")
_CHANNEL_WORDS = ("栏目", "专栏", "专区", "频道")
_CHANNEL_NOISE = regex(r"^(?:全年|本年度?|通过|在|于|依托|利用|门户网站|政府网站|网站|官网|政务|的)+")


def _channels(report: Report) -> Iterator[tuple[str, str, int, Paragraph, int, int]]:
    for p in report.paragraphs:
        if not any(map(p.folded.__contains__, _CHANNEL_WORDS)):
            continue
        for s, _e, _text, folded in p.sentences:
            if not any(map(folded.__contains__, _CHANNEL_WORDS)) or "其中" in folded or "包括" in folded:
                continue  # the words checked first, in C: most sentences name no channel
            for m in _CHANNEL.finditer(folded):
                name = _CHANNEL_NOISE.sub("", m.group(1))
                if len(name) >= 2:
                    yield name, m.group(3), int(m.group(2)), p, s + m.start(2), s + m.end(2)


class ConflictingCounts(Kind):
    """One channel's count for the year stated twice with two numbers."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        seen: dict[tuple[str, str], tuple[int, int]] = {}
        for name, unit, value, p, a, b in _channels(report):
            where = p.span_of(a, b)
            first = seen.setdefault((name, unit), (value, where.start))
            if first[0] != value:
                line = report.source.position(first[1])[0]
                yield Finding(where, {"what": name, "value": value, "unit": unit, "first": first[0], "line": line})


@hookimpl
def dlint_kinds() -> dict[str, type]:
    return {"prose-parts": ProseParts, "prose-balance": ProseBalance, "conflicting-counts": ConflictingCounts}
