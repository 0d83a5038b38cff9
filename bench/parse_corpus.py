"""Per report: how many table rows printed in the text dlint reads exactly.

    python bench/parse_corpus.py ../shared/corpus/dev [bench/truth-dev.yaml]

A row counts as read when its cells equal the truth file's, blanks included (null), or when the
truth says the text cannot tell the cells apart and dlint reports the row unreadable. Reports the
truth file does not list are shown with the rows found with the template's number of cells.
"""

from __future__ import annotations

import sys
import time
from decimal import Decimal
from pathlib import Path

import yaml

from disclosure_lint.build import build
from disclosure_lint.source import read_source


def _cells(row) -> list | str:  # noqa: ANN001
    if row.unreadable:
        return "unreadable"
    return [str(c.value) if isinstance(c.value, Decimal) else c.value for c in row.cells]


def main(folder: str, truth_file: str) -> None:
    truth = yaml.safe_load(Path(truth_file).read_text(encoding="utf-8")) if Path(truth_file).exists() else {}
    printed = read = 0
    for path in sorted(p for p in Path(folder).iterdir() if p.suffix in (".txt", ".pdf")):
        t0 = time.perf_counter()
        report = build(read_source(path))
        ms = (time.perf_counter() - t0) * 1000
        got = {rid: _cells(row) for t in report.tables.values() for rid, row in t.rows.items()}
        want = truth.get(path.name)
        if want is None:
            found = sum(1 for t in report.tables.values() for r in t.rows.values() if r.values() is not None)
            print(f"{path.name:<13} {report.template:<9} (no truth) rows found {found:>3}          {ms:6.1f} ms")
            continue
        ok = [rid for rid, cells in want.items() if got.get(rid) == cells]
        wrong = [rid for rid in want if rid not in ok]
        extra = [rid for rid in got if rid not in want]
        printed += len(want)
        read += len(ok)
        note = f"  wrong: {' '.join(wrong)}" if wrong else ""
        note += f"  not printed but read: {' '.join(extra)}" if extra else ""
        print(f"{path.name:<13} {report.template:<9} rows read exactly {len(ok):>3}/{len(want):<3} {ms:6.1f} ms{note}")
    print(f"all: {read}/{printed} printed rows read exactly ({read / max(printed, 1):.1%})")


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures",
         sys.argv[2] if len(sys.argv) > 2 else str(here / "truth-dev.yaml"))
