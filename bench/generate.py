"""Generate a benchmark corpus from the real reports bundled with the tests.

Each generated report is a real one with its numbers varied, its prose lengthened or shortened, and
now and then a defect injected (a lost heading, a wrong total, last year's year, a stray space), so
the corpus exercises every stage the way a supervisor's inbox does. Deterministic for a given seed.

    python bench/generate.py OUT_DIR [COUNT] [--seed N]
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "tests" / "fixtures").glob("dev-*.txt")) + sorted((ROOT / "examples").glob("*.txt"))
_NUMBER = re.compile(r"(?<![\d.])\d{1,4}(?![\d.年月日])")
_YEAR = re.compile(r"20[12]\d(?=年)")


def _vary_numbers(text: str, rng: random.Random) -> str:
    """Change a few numbers by a small amount (tables then break, as real submissions do)."""
    def change(m: re.Match[str]) -> str:
        if rng.random() < 0.03:
            return str(max(0, int(m.group()) + rng.choice((-2, -1, 1, 2))))
        return m.group()
    return _NUMBER.sub(change, text)


# Two section headings in one line: a crawl that flattened the whole report into it, not a paragraph
_SECTIONS = re.compile(r"(?<![（(])[一二三四五六]、")


def _vary_length(lines: list[str], rng: random.Random) -> list[str]:
    """Repeat a few paragraphs, or drop one. A flattened report's one line is its whole text: repeated,
    it would make a report several reports long (which is not a longer report), dropped, a title alone."""
    prose = [i for i, ln in enumerate(lines)
             if len(ln) > 40 and not re.match(r"\s*(?:\d|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])", ln)
             and len(_SECTIONS.findall(ln)) < 2]
    if not prose:
        return lines
    out = list(lines)
    for _ in range(rng.randint(0, 6)):  # repeat a paragraph: a longer report
        i = rng.choice(prose)
        out.insert(i, lines[i])
    if rng.random() < 0.3:  # drop one: a shorter one
        del out[rng.choice(prose)]
    return out


def _inject_defect(lines: list[str], rng: random.Random) -> list[str]:
    kind = rng.randrange(4)
    out = list(lines)
    if kind == 0:  # a lost heading
        heads = [i for i, ln in enumerate(out) if re.match(r"^[一二三四五六]、", ln.strip())]
        if heads:
            del out[rng.choice(heads)]
    elif kind == 1:  # a year copied from last year's report
        i = rng.randrange(len(out))
        out[i] = _YEAR.sub(lambda m: str(int(m.group()) - 1), out[i], count=1)
    elif kind == 2:  # a stray space from PDF extraction
        i = rng.randrange(len(out))
        if len(out[i]) > 10:
            k = rng.randrange(1, len(out[i]) - 1)
            out[i] = out[i][:k] + " " + out[i][k:]
    return out  # kind 3: no defect


def own_body(text: str, copy: int) -> str:
    """The report as another body's: the copy's number put into the agency's name (`第3厅`, before its
    first 局, 厅, 委 or 政府). A supervisor's batch holds one report of a body for a year: without it, the
    copies of a report would all claim one body and year, and all pair with one report of the year before."""
    return re.sub(r"(局|厅|委|政府)", lambda m: f"第{copy}{m.group(1)}", text, count=1)


def generate(out_dir: Path, count: int, seed: int = 2026) -> list[Path]:
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in SOURCES]
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        text = own_body(_vary_numbers(texts[n % len(texts)], rng), n // len(texts))
        lines = _vary_length(text.split("\n"), rng)
        if rng.random() < 0.5:
            lines = _inject_defect(lines, rng)
        path = out_dir / f"{n:05d}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("count", type=int, nargs="?", default=2000)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    paths = generate(args.out, args.count, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} reports, {size / len(paths) / 1024:.1f} KB on average, in {args.out}")


if __name__ == "__main__":
    main()
