"""Per report: template, and how many template rows were found with the right number of cells.

    python bench/parse_corpus.py ../shared/corpus/dev
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from disclosure_lint.build import build
from disclosure_lint.source import read_source
from disclosure_lint.template import template


def main(folder: str) -> None:
    total = good = 0
    for path in sorted(Path(folder).glob("*.txt")):
        t0 = time.perf_counter()
        report = build(read_source(path))
        ms = (time.perf_counter() - t0) * 1000
        tmpl = template("2019" if report.template == "2019" else "2021")
        expected = sum(len(t.rows) for t in tmpl.tables.values()) if report.template in ("2021", "2019") else 0
        found = sum(1 for t in report.tables.values() for r in t.rows.values()
                    if len(r.cells) == r.expected and not r.unreadable)
        total += expected
        good += found
        print(f"{path.name:<12} {report.template:<9} rows with right cells {found:>3}/{expected:<3} {ms:6.1f} ms")
    print(f"all: {good}/{total}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures")
