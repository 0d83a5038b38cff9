"""Fee kinds (DL3xx): the 信息处理费 statement of section 六 (not the 行政事业性收费 of table 二)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..compiled import regex
from ..diagnostics import Finding
from ..hookspecs import hookimpl
from ..model import Report, Span
from . import BARE_NONE, Kind, body_paragraphs, line_span

_FEE = regex(r"处理费|(?:信息公开|依申请|申请人)[^。]{0,30}(?:收费|收取|缴纳|缴费)|(?:收费|收取)[^。]{0,20}(?:信息公开|依申请)")
_STATUTORY_FEE = regex(r"行政事业性收费")
_NO_NOTICE = regex(r"(?:未|没有|从未|均未|不曾)[^。，；]{0,10}(?:发出|下发|送达|出具|发放)[^。，；]{0,8}收费通知")
_AMOUNT = regex(r"(?:信息)?处理费[^。；]{0,12}?(?:共计|合计|总计|共|计)\s*([^\d\s。，；]{1,4}?)\s*(?:万元|元)")
_NOT_NUMBER = regex(r"^(?:若干|[xX×＊*＿_]+|某+|多|一些|部分)$")


# every match of _FEE holds one of these
_FEE_WORDS = ("处理费", "收费", "收取", "缴纳", "缴费")


def fee_sentences(report: Report) -> list[tuple[Any, int, int, str]]:
    """Sentences of 六 (or of the whole report when 六 has no heading) about the fee (found once a report:
    three rules read them)."""
    found = report.memo.get("fee_sentences")
    if found is None:
        found = report.memo["fee_sentences"] = _fee_sentences(report)
    return found


def _fee_sentences(report: Report) -> list[tuple[Any, int, int, str]]:
    out = []
    for p in body_paragraphs(report, "other", whole_if_missing=True):
        if not any(map(p.text.__contains__, _FEE_WORDS)):
            continue
        for s, e, text, _folded in p.sentences:
            if _FEE.search(text) and not (_STATUTORY_FEE.search(text) and "处理费" not in text):
                out.append((p, s, e, text))
    return out


class FeeStatement(Kind):
    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        year = ctx.year_of(report)
        if report.template in ("pre-2019", "2019") or year is None or year < self.params.get("since", 2021):
            return
        if fee_sentences(report):
            return
        sec = report.sections["other"]
        body = "".join(p.text for p in report.section_text("other"))
        if sec.heading is None:
            end = len(report.source.text.rstrip())
            yield Finding(line_span(report, max(0, end - 1)), {}, "no_section")
        elif BARE_NONE.match(body) or not body.strip():
            yield Finding(sec.heading.span, {"text": body.strip() or "（空）"}, "bare")
        else:
            yield Finding(sec.heading.span, {})


class FeeNotice(Kind):
    """R22 > 0 means fee notices were issued; the statement must not deny it."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        values = report.table("requests").values("R22")
        if not values or not values[-1]:
            return
        for p, s, _e, text in fee_sentences(report):
            m = _NO_NOTICE.search(text)
            if m:
                yield Finding(p.span_of(s + m.start(), s + m.end()), {"r22": values[-1]})


class FeeAmount(Kind):
    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        for p, s, _e, text in fee_sentences(report):
            for m in _AMOUNT.finditer(text):
                if _NOT_NUMBER.match(m.group(1)):
                    yield Finding(p.span_of(s + m.start(1), s + m.end(1)), {"amount": m.group(1)})


@hookimpl
def dlint_kinds() -> dict[str, type]:
    return {"fee-statement": FeeStatement, "fee-notice": FeeNotice, "fee-amount": FeeAmount}


__all__ = ["Span"]
