"""Year kinds (DL4xx): years that disagree with the reporting year Y."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..compiled import regex
from ..diagnostics import Finding
from ..hookspecs import hookimpl
from ..model import Report, Span
from . import Kind, body_paragraphs

# the year first, what stands before it looked behind from its end (faster to scan for: see text._STRAY)
_YEAR = regex(r"((?:19|20)\d{2})(?<![\d〔\[［(（]\d{4})\s*年(?!度报告|年度报告)")
_CITED = regex(r"《[^《》]{0,80}》|〔[^〕]{0,12}〕|\[[^\]]{0,12}\]")
_DATE = regex(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def _masked(text: str) -> str:
    """Citations (《…》, 〔2019〕) blanked out, same length, so their years are not read as events."""
    return _CITED.sub(lambda m: "\0" * len(m.group()), text)


class PlanYear(Kind):
    """A forward-looking sentence of 五 that names the reporting year instead of the next one."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        year = ctx.year_of(report)
        if year is None or report.template == "pre-2019":
            return
        forward = self.params["forward"]
        past = self.params["past"]
        for p in body_paragraphs(report, "problems"):
            for s, _e, text, _folded in p.sentences:
                if not any(map(text.__contains__, forward)) or any(map(text.__contains__, past)):
                    continue
                for m in _YEAR.finditer(_masked(text)):
                    if int(m.group(1)) == year:
                        yield Finding(p.span_of(s + m.start(1), s + m.end(1)), {"year": year, "next": year + 1})


_THIS_YEAR_START = regex(r"^\s*((?:19|20)\d{2})\s*年(?:度)?(?:，|,|以来)?(?=[，,]|我|本|全|共|省|市|县|区|该|厅|局)")
_ACCOUNTS = regex(r"((?:19|20)\d{2})\s*年(?:度)?(?:部门|单位)?(决算|预算)")


class StaleYear(Kind):
    """A year before Y used as this year (`2016年，…共受理…` in a 2017 report)."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        year = ctx.year_of(report)
        if year is None:
            return
        skip = self.params["context"]
        for p in report.paragraphs:
            if p.section is None:
                continue  # the preamble cites the statistical period and the basis documents
            for s, _e, text, _folded in p.sentences:
                if not (_THIS_YEAR_START.match(text) or "决算" in text or "预算" in text):
                    continue  # masking citations only blanks characters: no match here, none in the masked text
                masked = _masked(text)
                m = _THIS_YEAR_START.match(masked)
                if m and int(m.group(1)) < year and str(year) not in masked and not any(map(masked.__contains__, skip)):
                    yield Finding(p.span_of(s + m.start(1), s + m.end(1)),
                                  {"found": m.group(1), "year": year}, "message")
                    continue
                for a in _ACCOUNTS.finditer(masked):
                    expected = year - 1 if a.group(2) == "决算" else year
                    if int(a.group(1)) < expected and ("检查" in masked or "公开" in masked):
                        yield Finding(p.span_of(s + a.start(1), s + a.end(1)),
                                      {"found": a.group(1), "year": year, "what": a.group(2),
                                       "expected": expected}, "accounts")


class FutureYear(Kind):
    """A year after Y+1 named as a fact (plans `到2025年` and ranges are fine)."""

    _TARGET = regex(r"(?:到|至|—|-|－|~|～|–|前|截止|截至|力争|预计|计划|规划)\s*$")

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        year = ctx.year_of(report)
        if year is None:
            return
        for p in report.paragraphs:
            # masking only blanks citations: a year it leaves was a year before (most paragraphs name none
            # after Y+1, and are not masked)
            if all(int(m.group(1)) <= year + 1 for m in _YEAR.finditer(p.text)):
                continue
            masked = _masked(p.text)
            for m in _YEAR.finditer(masked):
                found = int(m.group(1))
                if found <= year + 1 or self._TARGET.search(masked[max(0, m.start() - 4):m.start()]):
                    continue
                if re.match(r"\s*年(?:远景|前|底前|目标|规划)", masked[m.end(1):m.end(1) + 5]):
                    continue
                yield Finding(p.span_of(m.start(1), m.end(1)), {"found": found, "year": year})


class SignatureDate(Kind):
    """The signature date (落款) falls in Y+1, by 31 January (departments) or 31 March (governments)."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        year = ctx.year_of(report)
        if year is None:
            return
        aspect = self.params.get("aspect", "year")
        if aspect == "published":
            yield from self._published(report, ctx, year)
            return
        text = report.source.text
        tail_start = max(text.rfind("。"), len(text) - 200, 0)
        dates = list(_DATE.finditer(text, tail_start))
        if not dates:
            return
        m = dates[-1]
        y, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        span = Span(m.start(), m.end())
        args = {"date": m.group(0), "year": year, "next": year + 1}
        if aspect == "year" and y != year + 1:
            yield Finding(span, args)
        elif aspect == "deadline" and y == year + 1:
            deadline = _deadline(report, ctx)
            if (month, day) > deadline:
                args["deadline"] = f"{deadline[0]}月{deadline[1]}日"
                yield Finding(span, args)


    def _published(self, report: Report, ctx: Any, year: int) -> Iterable[Finding]:
        """The date the page says it was put online (meta PubDate, 发布时间：…), against the deadline."""
        published = report.source.published
        if not published:
            return
        y, month, day = (int(x) for x in published.split("-"))
        deadline = _deadline(report, ctx)
        if (y, month, day) > (year + 1, *deadline):
            span = report.title_span or Span(0, 0)
            yield Finding(span, {"date": published, "year": year,
                                 "deadline": f"{year + 1}年{deadline[0]}月{deadline[1]}日"})


def _deadline(report: Report, ctx: Any) -> tuple[int, int]:
    """条例第四十九条: departments publish by 31 January, governments by 31 March."""
    agency = ctx.agency_of(report)
    return (3, 31) if agency and agency.endswith("人民政府") else (1, 31)


_OWN_REPORT = regex(r"((?:19|20)\d{2})\s*年度?(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?报告")
_PUBLISHED = regex(r"公布|发布|公开|上报|报送|挂网|上网")


class OwnReportYear(Kind):
    """The year-R annual report is compiled and published in R+1: a sentence dating the publication of
    the year-R report in R or earlier was copied from an older report with the year half-updated."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        if ctx.year_of(report) is None:
            return
        for p in report.paragraphs:
            if "报告" not in p.text:  # every match of _OWN_REPORT ends in it
                continue
            for s, _e, text, _folded in p.sentences:
                if "报告" not in text or not _PUBLISHED.search(text):
                    continue
                named = _OWN_REPORT.search(text)
                date = _DATE.search(text, named.end()) if named else None
                if not named or not date:
                    continue
                of, published = int(named.group(1)), int(date.group(1))
                if published <= of:
                    yield Finding(p.span_of(s + named.start(1), s + named.end(1)), {
                        "of": of, "date": date.group(), "fits": published - 1})


@hookimpl
def dlint_kinds() -> dict[str, type]:
    return {"own-report-year": OwnReportYear, "plan-year": PlanYear, "stale-year": StaleYear, "future-year": FutureYear,
            "signature-date": SignatureDate}
