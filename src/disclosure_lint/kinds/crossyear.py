"""Cross-year kinds (DL6xx): this year's report against the same body's report of the year before.

They run only when the run knows last year's report (`--previous DIR`, or the same agency's report
for Y-1 among the files checked).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import compress, count
from typing import Any

from ..diagnostics import Finding
from ..hookspecs import hookimpl
from ..model import Paragraph, Report
from ..template import template
from . import Kind


class _AgainstLastYear(Kind):
    """A kind comparing a report with last year's report of the same body, when the run has one."""

    def check(self, report: Report, ctx: Any) -> Iterable[Finding]:
        found = ctx.previous_of(report)
        if found is not None:
            yield from self.compare(report, *found, ctx)

    def compare(self, report: Report, path: str, previous: Report, ctx: Any) -> Iterable[Finding]:  # pragma: no cover
        raise NotImplementedError


class CarryOver(_AgainstLastYear):
    """This year's 上年结转 (R2) equals last year's 结转下年度继续办理 (R25), column by column."""

    def compare(self, report: Report, path: str, previous: Report, ctx: Any) -> Iterable[Finding]:
        now, before = report.table("requests").values("R2"), previous.table("requests").values("R25")
        if now is None or before is None:
            return
        row = report.table("requests").rows["R2"]
        columns = template("2019" if report.template == "2019" else "2021").tables["requests"].columns
        for i, (a, b) in enumerate(zip(now, before)):
            if a is not None and b is not None and a != b:
                yield Finding(row.cells[i].span, {"col": i + 1, "colname": columns[i] if i < len(columns) else str(i + 1),
                                                  "now": a, "before": b, "path": path, "year": previous.year})


class StandingDocuments(_AgainstLastYear):
    """现行有效件数 = last year's 现行有效件数 + 本年制发 − 本年废止 (规章, 行政规范性文件)."""

    def compare(self, report: Report, path: str, previous: Report, ctx: Any) -> Iterable[Finding]:
        for rid, what in (("P1", "规章"), ("P2", "行政规范性文件")):
            now, before = report.table("proactive").values(rid), previous.table("proactive").values(rid)
            if not now or not before or None in now or before[2] is None:
                continue
            issued, repealed, standing = now
            if before[2] + issued - repealed != standing:
                cell = report.table("proactive").rows[rid].cells[2]
                yield Finding(cell.span, {"what": what, "standing": standing, "before": before[2], "issued": issued,
                                          "repealed": repealed, "expected": before[2] + issued - repealed,
                                          "year": previous.year})


def copied_passages(now: str, before: str, k: int = 10, min_len: int = 20) -> tuple[float, list[tuple[int, int]]]:
    """Share of `now`'s characters inside k-character passages that also occur in `before`, and the
    repeated passages (start, end) of at least `min_len` characters. Linear in the two lengths."""
    return _passages(len(now), _windows_of(now, k), _windows_of(before, k), k, min_len)


def _windows_of(text: str, k: int) -> list[str]:
    return [text[i:i + k] for i in range(len(text) - k + 1)]


def _passages(length: int, now: list[str], before: list[str], k: int, min_len: int) -> tuple[float, list[tuple[int, int]]]:
    """copied_passages over the two texts' k-character windows (`length`: now's length in characters)."""
    if length < k or not before:
        return 0.0, []
    seen = set(before)  # each window's hash is kept by the string: made once however often it is compared
    # the passages are the unions of the k-character windows found in `before`: merged from the windows'
    # starts, not marked and read back character by character
    passages, covered = [], 0
    start = end = -1
    for i in compress(count(), map(seen.__contains__, now)):
        if i > end:  # a gap: the passage before it ends
            if end - start >= min_len:
                passages.append((start, end))
            covered += end - start
            start = i
        end = i + k
    if end - start >= min_len:
        passages.append((start, end))
    covered += end - start
    return covered / length, passages


class CopiedText(_AgainstLastYear):
    """Sections 一 and 五 repeating last year's text (the problems and measures copied forward)."""

    def compare(self, report: Report, path: str, previous: Report, ctx: Any) -> Iterable[Finding]:
        threshold = ctx.similarity if ctx.similarity is not None else float(self.params.get("threshold", 0.5))
        for section in self.params.get("sections", ["overall", "problems"]):
            now = _section_text(report, section)
            if len(now) < self.params.get("min_chars", 80):
                continue
            if at_most(now, _section_text(previous, section), threshold, _K):
                continue  # most sections: too little of last year's text in them to pass the threshold
            now_windows = _section_windows(report, section)
            ratio, passages = _passages(len(now), now_windows, _section_windows(previous, section), _K, _MIN_PASSAGE)
            if ratio <= threshold or not passages:
                continue
            longest = max(passages, key=lambda p: p[1] - p[0])
            span = _span(report.section_text(section), *longest)
            text = now[longest[0]:longest[1]]
            yield Finding(span, {"section": _SECTION_NAMES.get(section, section),
                                 "ratio": f"{ratio:.0%}", "threshold": f"{threshold:.0%}", "year": previous.year,
                                 "count": len(passages), "passage": text[:40] + ("…" if len(text) > 40 else "")})


_K, _MIN_PASSAGE = 10, 20  # copied_passages' window and shortest passage reported
_STRIDE = 5  # at_most's blocks: one every 5 characters


def at_most(now: str, before: str, share: float, k: int) -> bool:
    """Whether copied_passages' share of `now` (k-character windows) is at most `share`, from an upper bound
    that reads a block of now every few characters, searched for in `before` (in C), instead of cutting both
    texts into every window and hashing them (three times the time; most sections share far less than half).

    A window of now found in `before` holds the block (of k - stride + 1 characters) that starts at the first
    multiple of the stride in it, and that block is in `before` too; the window then lies between the block's
    start - (k - block) and its start + k. The characters of those ranges, for the blocks found, are at least
    the characters the windows found cover: if they are few enough, so is the share."""
    n = len(now)
    stride = max(1, min(_STRIDE, k // 2))  # a window always holds one whole block
    block = k - stride + 1
    limit = share * n
    covered = end = 0  # characters of the ranges so far, and where the last one ends
    for q in range(0, n - block + 1, stride):
        if covered + n - max(end, q - (k - block)) <= limit:
            return True  # the blocks left could not raise it past the limit
        if now[q:q + block] in before:
            start, stop = max(q - (k - block), end), min(q + k, n)
            covered += stop - start
            end = stop
            if covered > limit:
                return False
    return covered <= limit


def _section_text(report: Report, section: str) -> str:
    key = "copied-text " + section
    text = report.memo.get(key)
    if text is None:
        text = report.memo[key] = "".join(p.text for p in report.section_text(section))
    return text


def _section_windows(report: Report, section: str) -> list[str]:
    """A section's windows, kept with the report: in a batch of consecutive years a report is compared
    once as this year's and once as last year's (a model is kept for the next year's check)."""
    key = "copied-text windows " + section
    found = report.memo.get(key)
    if found is None:
        found = report.memo[key] = _windows_of(_section_text(report, section), _K)
    return found


_SECTION_NAMES = {"overall": "一、总体情况", "problems": "五、存在的主要问题及改进情况"}


def _span(paragraphs: list[Paragraph], start: int, end: int) -> Any:
    """The source span of [start, end) of the paragraphs' joined text (within the first paragraph hit)."""
    offset = 0
    for p in paragraphs:
        if start < offset + len(p.text):
            local = start - offset
            return p.span_of(local, min(len(p.text), end - offset))
        offset += len(p.text)
    return paragraphs[-1].span


@hookimpl
def dlint_kinds() -> dict[str, type]:
    return {"carry-over": CarryOver, "standing-documents": StandingDocuments, "copied-text": CopiedText}
