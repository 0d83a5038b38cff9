"""Structure kinds (DL1xx): sections, their order and content, title, template version."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..compiled import regex
from ..diagnostics import Finding
from ..hookspecs import hookimpl
from ..model import SECTION_IDS, Report, Span
from ..template import template
from ..textutil import cn_numeral, norm_label
from . import BARE_NONE, Kind, body_paragraphs, line_span

_STATUTORY = ("2021", "2019", "unknown")


def _spec(report: Report, section_id: str) -> Any:
    return template("2019" if report.template == "2019" else "2021").section(section_id)


class RequiredSections(Kind):
    """Each of the six sections has its heading; a missing one is reported where it should stand."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        if report.template not in _STATUTORY:
            return
        text = report.source.text
        for sid in SECTION_IDS:
            sec = report.sections[sid]
            if sec.heading is not None:
                continue
            spec = _spec(report, sid)
            if sec.body is not None:  # content recognised without its heading
                place = _first_content(report, sec.body.start)
                variant = "inferred"
            else:
                place = _where_missing(report, sid)
                variant = "message"
            yield Finding(line_span(report, min(place, len(text))),
                          {"numeral": cn_numeral(spec.number), "title": spec.title}, variant)


def _first_content(report: Report, offset: int) -> int:
    text = report.source.text
    while offset < len(text) and text[offset] in " \t\u3000\n":
        offset += 1
    return offset


def _where_missing(report: Report, sid: str) -> int:
    """The start of the next section present, else the end of the text."""
    order = list(SECTION_IDS)
    for nxt in order[order.index(sid) + 1:]:
        sec = report.sections[nxt]
        if sec.heading is not None:
            return sec.heading.span.start
    return len(report.source.text.rstrip())


class SectionSequence(Kind):
    """Order, numbering and repetition of the top-level headings."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        if report.template not in _STATUTORY:
            return
        aspect = self.params.get("aspect", "order")
        seen: set[str] = set()
        highest = 0
        last_index = -1
        for h in report.headings:
            if aspect == "duplicate":
                if h.number == 1 and highest > 1:
                    yield Finding(h.span, {"heading": _show(h)}, "restart")
                elif h.section and h.section in seen:
                    yield Finding(h.span, {"heading": _show(h)})
            elif aspect == "order" and h.section in SECTION_IDS and h.section not in seen:
                spec = _spec(report, h.section)
                index = SECTION_IDS.index(h.section)
                if index < last_index:
                    yield Finding(h.span, {"heading": _show(h)}, "order")
                elif h.number is not None and h.number != spec.number:
                    yield Finding(h.span, {"heading": _show(h), "expected": cn_numeral(spec.number),
                                           "title": spec.title}, "message")
                last_index = max(last_index, index)
            elif aspect == "unknown" and h.section is None and report.template != "unknown":
                yield Finding(h.span, {"heading": _show(h)})
            if h.section:
                seen.add(h.section)
            highest = max(highest, h.number or 0)


def _show(h: Any) -> str:
    return (f"{cn_numeral(h.number)}、" if h.number else "") + h.title[:30]


class Title(Kind):
    """A title naming the agency and the reporting year."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        first = next((ln for ln in report.lines if ln.kind != "blank"), None)
        if first is None:
            return
        if report.title is None:
            yield Finding(first.span, {}, "message")
        elif report.year_span is None or (report.title_span and not (
                report.title_span.start <= report.year_span.start < report.title_span.end)):
            yield Finding(report.title_span, {}, "no_year")
        elif ctx.agency_of(report) is None:
            yield Finding(report.title_span, {}, "no_agency")


_PERIOD = regex(r"(?:统计期限|统计期间|统计时限|统计时间|统计区间|数据统计)[^。]{0,12}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日"
                     r"[^。\d]{0,6}?(?:((?:19|20)\d{2})\s*年\s*)?12\s*月\s*31\s*日")


class PeriodYear(Kind):
    """The statistical period in the preamble is the title's year."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        year = ctx.year_of(report)
        if year is None:
            return
        for m in _PERIOD.finditer(report.source.text[:6000]):
            for g in (1, 2):
                if m.group(g) and int(m.group(g)) != year:
                    yield Finding(Span(m.start(g), m.end(g)), {"found": m.group(g), "year": year})
            return


class TemplateVersion(Kind):
    """A report for 2021 or later laid out in an older template."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        year = ctx.year_of(report)
        if year is None or year < int(self.params.get("since", 2021)):
            return
        if report.template in ("2019", "pre-2019"):
            span = report.title_span or line_span(report, 0)
            yield Finding(span, {"year": year, "template": report.template})


class OutdatedBasis(Kind):
    """Citing the superseded 〔2019〕60号 template notice in a 2021+ report."""

    _RE = regex(r"[〔\[［(（【]\s*2019\s*[〕\]］)）】]\s*60\s*号")

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        year = ctx.year_of(report)
        if year is None or year < 2021:
            return
        m = self._RE.search(report.source.text)
        if m:
            yield Finding(Span(m.start(), m.end()), {"year": year})


class OverviewTopics(Kind):
    """一、总体情况 covers the topics the template lists (each with accepted wordings)."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        if report.template not in ("2021", "2019"):
            return
        sec = report.sections["overall"]
        paragraphs = body_paragraphs(report, "overall")
        if not paragraphs:
            return
        text = "".join(p.text for p in paragraphs)
        missing = [topic for topic, words in self.params["topics"].items()
                   if not any(w in text for w in words)]
        if missing:
            span = sec.heading.span if sec.heading else line_span(report, paragraphs[0].span.start)
            yield Finding(span, {"missing": "、".join(missing), "count": len(missing)})




class SectionContent(Kind):
    """Section 五 holds both problems and improvement measures; it is not empty or a bare 无."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        if report.template not in ("2021", "2019"):
            return
        sec = report.sections["problems"]
        if sec.heading is None:
            return
        paragraphs = body_paragraphs(report, "problems")
        text = "".join(p.text for p in paragraphs)
        if not text.strip() or BARE_NONE.match(text):
            yield Finding(sec.heading.span, {"text": text.strip() or "（空）"}, "empty")
            return
        lacks = [name for name, words in self.params["parts"].items() if not any(w in text for w in words)]
        if lacks:
            yield Finding(sec.heading.span, {"missing": "、".join(lacks)})


_PARTS = regex(r"(?:包括|分为|包含)([^。；]{4,120}?)(?:等)?([一二三四五六七八九十两]|\d)(?:个)?部分")


class PartsList(Kind):
    """The preamble's list of parts matches the report's actual headings."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        first_heading = report.headings[0].span.start if report.headings else None
        if first_heading is None:
            return
        m = _PARTS.search(report.source.text, 0, first_heading)
        if not m:
            yield from self._uncounted(report, first_heading)
            return
        items = [i.strip(" \u3000“”\"") for i in re.split(r"[、，,]", m.group(1)) if i.strip()]
        # compared by meaning: 行政复议和行政诉讼 / 行政复议、行政诉讼, 主要问题和改进措施 / 存在的主要问题及改进情况
        present = {h.section for h in report.headings if h.section}
        titles = [norm_label(h.title) for h in report.headings]
        unmatched = [i for i in items if not (_part_sections(report, i) & present or any(norm_label(i) in t for t in titles))]
        from ..textutil import cn_number

        stated = cn_number(m.group(2)) if not m.group(2).isdigit() else int(m.group(2))
        if m.group(2) == "两":
            stated = 2
        count_off = stated is not None and stated != len(report.headings)
        args = {"unmatched": "、".join(unmatched), "stated": m.group(2), "actual": len(report.headings)}
        if unmatched:
            yield Finding(Span(m.start(1), m.end(2)), args)
        elif count_off:
            yield Finding(Span(m.start(1), m.end(2)), args, "count")


    def _uncounted(self, report: Report, first_heading: int) -> Iterable[Finding]:
        """`全文包括A，B，C。` without a count: a heading the list leaves out (a part added to an old draft)."""
        m = _LIST.search(report.source.text, 0, first_heading)
        if not m or len(report.headings) < 3:
            return
        sep = "，" if "，" in m.group(1) else "、"
        items = [norm_label(i.strip(" \u3000“”\"")) for i in m.group(1).split(sep) if i.strip()]
        if len(items) < 3:
            return
        missing = [h for h in report.headings
                   if not any(i in norm_label(h.title) or norm_label(h.title) in i for i in items)]
        if missing and len(missing) < len(report.headings) / 2:  # mostly matching: a list of the parts indeed
            names = "、".join(f"{cn_numeral(h.number) + '、' if h.number else ''}{h.title[:20]}" for h in missing)
            yield Finding(Span(m.start(1), m.end(1)), {"missing": names}, "extra")


def _part_sections(report: Report, item: str) -> set[str]:
    """The sections a part named in the preamble means, by the template's keywords for each."""
    tmpl = template("2019" if report.template == "2019" else "2021")
    return {sec.id for sec in tmpl.sections if any(k in item for k in sec.keywords)}


_LIST = regex(r"全文(?:包括|分为|包含)([^。；]{6,160})[。；]")


class HeadingTypo(Kind):
    """A section heading that misspells its title is read as that section, and the typo reported."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        for h in report.headings:
            if h.typo_of:
                spec = _spec(report, h.section) if h.section else None
                yield Finding(h.span, {"heading": h.title, "title": spec.title if spec else h.typo_of})


@hookimpl
def dlint_kinds() -> dict[str, type]:
    return {"heading-typo": HeadingTypo,
        "required-sections": RequiredSections,
        "section-sequence": SectionSequence,
        "title": Title,
        "period-year": PeriodYear,
        "template-version": TemplateVersion,
        "outdated-basis": OutdatedBasis,
        "overview-topics": OverviewTopics,
        "section-content": SectionContent,
        "parts-list": PartsList,
    }
