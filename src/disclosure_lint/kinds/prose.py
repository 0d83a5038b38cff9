"""Prose-versus-table kinds (DL5xx): numbers stated in sentences agree with the tables."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from ..compiled import regex
from ..diagnostics import Finding
from ..hookspecs import hookimpl
from ..model import Report
from ..textutil import fold_digits
from . import Kind, may_match


@cache
def _compile(pattern: str) -> re.Pattern[str]:
    return regex(pattern)


@cache
def _unanchored(pattern: str) -> bool:
    """Whether a paragraph's match is also one in all the prose joined by NUL: no anchor and no look-ahead
    (at a paragraph's edge, what a look-behind or \\b sees of a NUL is what it sees of the string's edge)."""
    return not re.search(r"\^|\$|\\A|\\Z|\(\?[=!]", pattern.replace("[^", "["))


def _cell(report: Report, ref: str) -> Any:
    """`requests.R1.6` -> the value of that cell, or None where it cannot be read."""
    table_id, rid, col = ref.split(".")
    values = report.table(table_id).values(rid)
    if not values:
        return None
    return values[int(col)]


def _sum(report: Report, refs: list[str]) -> Any:
    vals = [_cell(report, r) for r in refs]
    return None if any(v is None for v in vals) else sum(vals)


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(fold_digits(text).replace(",", ""))
    except InvalidOperation:
        return None


class ProseNumber(Kind):
    """A sentence of a known shape states a number that one of the table's cells must equal."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        if report.template not in ("2021", "2019", "unknown"):
            return
        for check in self.params["checks"]:
            if report.template not in check.get("templates", ("2021", "2019", "unknown")):
                continue  # a cell whose meaning differs between the templates (表二's columns)
            pattern = _compile(check["pattern"])
            if not may_match(check["pattern"], report.prose()):
                continue
            if _unanchored(check["pattern"]) and not pattern.search(report.prose()):
                continue  # no paragraph has it: one search of all the prose instead of one a paragraph
            options = [_sum(report, alt) for alt in check["equals"]]
            if any(v is None for v in options):
                continue  # a cell it depends on is missing or unreadable
            require = _compile(check["require"]) if check.get("require") else None
            for p in report.paragraphs:
                if not may_match(check["pattern"], p.folded):
                    continue
                for start, m in _matches(pattern, p):
                    sentence = _sentence_at(p, start + m.start())
                    if require and not require.search(sentence):
                        continue
                    if _SCOPE.search(p.folded, _sentence_start(p, start + m.start()), start + m.start()):
                        continue  # about part of the body (区政府办代表区政府…, 本部门, 其中某局), not the table
                    stated = _number(m.group("n"))
                    if stated is None or any(stated == Decimal(str(v)) for v in options):
                        continue
                    yield Finding(p.span_of(start + m.start("n"), start + m.end("n")), {
                        "stated": m.group("n"), "what": check["what"],
                        "table": " 或 ".join(dict.fromkeys(str(v) for v in options)), "cells": check["cells"]})


_ENDS = regex(r"[。！？；!?]")


def _matches(pattern: re.Pattern[str], p: Any) -> Iterable[tuple[int, re.Match[str]]]:
    """Matches of `pattern` within single sentences, as (offset of the text matched in, match).

    The patterns look only forward, so one scan of the paragraph finds what a scan of each sentence
    would, unless a match runs over a sentence end: then the paragraph is scanned sentence by sentence.
    """
    found = list(pattern.finditer(p.folded))
    if not any(_ENDS.search(m.group(), 0, len(m.group()) - 1) for m in found):
        for m in found:
            yield 0, m
        return
    for s, _e, _text, folded in p.sentences:
        for m in pattern.finditer(folded):
            yield s, m


# Words that put a number in a narrower scope than the whole report's tables.
_SCOPE = regex(r"代表|本部门|本级|所属|下属|其中[^，,。；\d]{0,12}?(?:局|办|委|中心|厅|院|所|站|队|部门|单位|乡镇|街道)")


def _sentence_start(p: Any, offset: int) -> int:
    for s, e, _t, _folded in p.sentences:
        if s <= offset < e:
            return s
    return offset


def _sentence_at(p: Any, offset: int) -> str:
    for s, e, _t, folded in p.sentences:
        if s <= offset < e:
            return folded
    return ""


class ZeroTableClaims(Kind):
    """An all-zero table 三 while the prose reports applications received, and the reverse: the prose says
    none were received while table 三 has new ones (applications carried over from last year are not
    received this year, so they do not contradict 未收到)."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        total = _sum(report, ["requests.R1.6", "requests.R2.6"])
        new = _sum(report, ["requests.R1.6"])
        if total is None or new is None:
            return
        claim = _compile(self.params["received"])
        none = _compile(self.params["none"])
        for p in report.paragraphs:
            if not (may_match(claim.pattern, p.folded) or may_match(none.pattern, p.folded)):
                continue
            for s, _e, _text, folded in p.sentences:
                m = claim.search(folded)
                if total == 0 and m and _number(m.group("n")):
                    yield Finding(p.span_of(s + m.start("n"), s + m.end("n")), {"stated": m.group("n")}, "zero")
                n = none.search(folded)
                if new > 0 and n:
                    yield Finding(p.span_of(s + n.start(), s + n.end()), {"total": new}, "nonzero")


class ClaimContradiction(Kind):
    """Claims such as 均获维持 or 全部办结 that the tables contradict."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        for claim in self.params["claims"]:
            pattern = _compile(claim["pattern"])
            value = _sum(report, claim["nonzero"])
            if not value:
                continue
            for p in report.paragraphs:
                if not may_match(claim["pattern"], p.text):
                    continue
                for s, _e, text, _folded in p.sentences:
                    m = pattern.search(text)
                    if m and (not claim.get("require") or re.search(claim["require"], text)):
                        yield Finding(p.span_of(s + m.start(), s + m.end()),
                                      {"claim": m.group(), "value": value, "what": claim["what"]})


class ProsePercent(Kind):
    """`A件，占P%`: P must be A over the stated total (or over the listed parts when they make 100 %)."""

    _TOTAL = regex(r"(?:共|共计|合计|总计)[^\d，,。；;]{0,12}?(\d+)\s*([件条个篇起项])")
    _COUNT = regex(r"(?<![\d.])(\d+)\s*([件条个篇起项])")
    _PAIR = regex(r"(?<![\d.])(\d+)\s*([件条个篇起项])\s*[，,（(]?\s*占(?:比)?(?:[^\d，,。；;%]{0,6}?)(\d+(?:\.\d+)?)\s*[%％]")

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        for p in report.paragraphs:
            folded = p.folded
            if not may_match(self._PAIR.pattern, folded):
                continue
            pairs = list(self._PAIR.finditer(folded))
            if not pairs:
                continue
            for unit in {m.group(2) for m in pairs}:
                group = [m for m in pairs if m.group(2) == unit]
                # every base the sentence can mean: a count of the same unit stated before it in the
                # paragraph (received, received + carried over, answered …), the tables' totals, the parts
                bases = {int(t.group(1)) for t in self._COUNT.finditer(folded, 0, group[0].start()) if t.group(2) == unit}
                if unit == "件":
                    bases.update(v for v in (_sum(report, ["requests.R1.6"]), _sum(report, ["requests.R1.6", "requests.R2.6"]),
                                             _sum(report, ["requests.R24.6"])) if v)
                if len(group) >= 2 and abs(sum(Decimal(m.group(3)) for m in group) - 100) <= len(group):
                    bases.add(sum(int(m.group(1)) for m in group))
                # the base the message names: the sentence's stated total (共…N件)
                totals = [int(t.group(1)) for t in self._TOTAL.finditer(folded, 0, group[0].start()) if t.group(2) == unit]
                primary = totals[-1] if totals else None
                for m in group:
                    count, stated = int(m.group(1)), Decimal(m.group(3))
                    places = -stated.as_tuple().exponent  # type: ignore[operator]
                    tolerance = Decimal(1).scaleb(-places)  # one unit in the last printed place
                    fits = [b for b in bases if b and abs(Decimal(count) * 100 / b - stated) <= tolerance]
                    bases_over = [b for b in bases if b >= count]
                    if bases_over and not fits:
                        base = primary if primary in bases_over else max(bases_over)
                        yield Finding(p.span_of(m.start(3), m.end(3)), {
                            "count": count, "unit": unit, "stated": m.group(3), "base": base,
                            "actual": f"{Decimal(count) * 100 / base:.{max(places, 1)}f}"})


@hookimpl
def dlint_kinds() -> dict[str, type]:
    return {"prose-number": ProseNumber, "zero-table-claims": ZeroTableClaims,
            "claim-contradiction": ClaimContradiction, "prose-percent": ProsePercent}
