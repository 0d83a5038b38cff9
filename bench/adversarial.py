"""Lines built to make a careless pattern backtrack or a careless loop go quadratic: each is repeated to
100 KB and 1 MB inside a real report by the growth benchmark and by the robustness tests."""

ADVERSARIAL = {
    "digits": "1" * 50_000,
    "digit runs with spaces": "12 " * 16_000,
    "subheadings": "（一）" * 16_000,
    "headings": "一、" * 24_000,
    "spaces": "字" + " " * 50_000 + "字",
    "full-width spaces": "　" * 50_000,
    "years": "2021年" * 10_000,
    "fee words": "信息处理费共计" * 7_000,
    "labels": "一、本年新收政府信息公开申请数量" * 3_000,
    "percent": "15件，占79%，" * 5_000,
    "brackets": "《（“" * 16_000,
    # one paragraph of hard-wrapped lines, a finding on each: placing a finding must not walk the lines
    "wrapped lines": "我局依据《条例\n",
}


def embedded(base: str, unit: str, size: int) -> str:
    """`base` (a real report) with one line of `unit` (or, for a unit ending in a newline, one paragraph of
    such lines) repeated to `size` UTF-8 bytes (whole characters) under its first section heading."""
    small = unit[: len(unit) // 10] if len(unit) > 10 else unit
    k = -(-size // len(small.encode("utf-8")))
    # cut to the size, not to a whole number of units: with units of 14 KB, 100 KB and 1 MB took 6 and 69
    # of them, 11.5x the text for a growth figure that reads as 10x
    line = (small * k).encode("utf-8")[:size].decode("utf-8", errors="ignore")
    return base.replace("一、总体情况\n", "一、总体情况\n" + line + "\n")
