"""dlint's benchmark: four figures, each measured against its own floor in the same run, so that the
machine's speed and noise cancel out. Run from the repository root:

    python bench/run.py            # about two minutes
    python bench/run.py --quick    # smaller corpora, for a first look

1. start-up ratio   `dlint check <seed>` / `python -c "import lark, rich.console, pluggy, yaml"`  (target <= 1.3),
                    cold (--no-cache) and with the result cached (the report unchanged since the last run)
2. throughput       reports/s on one core over >= 2,000 generated reports, and the ratio to a floor that
                    only reads the files and splits them into lines with one regex     (>= 300/s, ratio <= 10)
3. scaling          speed-up of --jobs 2 over --jobs 1 (>= 1.8 on 2 cores); peak memory for 2,000 and
                    10,000 reports (must stay flat)
4. growth           one report of 10 KB, 100 KB and 1 MB: time ratios for each 10x (linear: about 10)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = ROOT / "examples" / "seed-2021-gongxinju.txt"
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


def dlint_command() -> list[str]:
    exe = Path(sys.executable).with_name("dlint")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "disclosure_lint"]


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def interleaved(a: list[str], b: list[str], runs: int) -> tuple[float, float]:
    """Median wall times of two commands run alternately (noise hits both alike)."""
    wall(a), wall(b)  # warm the file cache and Lark's grammar cache
    ta, tb = [], []
    for _ in range(runs):
        ta.append(wall(a))
        tb.append(wall(b))
    return statistics.median(ta), statistics.median(tb)


def peak_rss_mb(cmd: list[str]) -> float:
    """The largest resident set of the command or any of its worker processes."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True).stdout
    return int(out.strip()) / 1024


FLOOR = ("import pathlib, re, sys\n"
         "rx = re.compile(r'\\r\\n|\\r|\\n')\n"
         "n = sum(len(rx.split(p.read_text(encoding='utf-8'))) for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.txt')))\n")


def grown_report(size: int) -> str:
    """A real report whose prose is repeated until the text is about `size` bytes."""
    text = (ROOT / "examples" / "clean-2023-jiaoyuju.txt").read_text(encoding="utf-8")
    head, sep, rest = text.partition("二、主动公开政府信息情况")
    prose = (ROOT / "tests" / "fixtures" / "dev-025.txt").read_text(encoding="utf-8").split("二、")[0]
    filler = "\n".join(ln for ln in prose.splitlines()[3:] if ln.strip()) + "\n"
    body = head
    while len((body + sep + rest).encode("utf-8")) < size:
        body += filler
    return body + sep + rest


def growth(sizes: tuple[int, ...]) -> list[tuple[int, float]]:
    from disclosure_lint.api import check_text
    from disclosure_lint.engine import Context, Engine

    engine = Engine()
    out = []
    for size in sizes:
        text = grown_report(size)
        check_text(text, engine, Context())  # warm-up
        reps = max(1, 2_000_000 // size)
        start = time.perf_counter()
        for _ in range(reps):
            check_text(text, engine, Context())
        out.append((len(text.encode("utf-8")), (time.perf_counter() - start) / reps))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description="dlint benchmark")
    ap.add_argument("--quick", action="store_true", help="smaller corpora and fewer runs")
    ap.add_argument("--keep", type=Path, default=None, help="generate the corpora here and keep them")
    args = ap.parse_args()
    n_small, n_large, runs = (400, 2000, 5) if args.quick else (2000, 10000, 15)
    dlint = dlint_command()
    work = args.keep or Path(tempfile.mkdtemp(prefix="dlint-bench-"))
    rows: list[tuple[str, str, str]] = []
    try:
        # 1. start-up
        t_dlint, t_floor = interleaved([*dlint, "check", str(SEED), "--no-cache", "-q"],
                                       [sys.executable, "-c", "import lark, rich.console, pluggy, yaml"], runs)
        rows.append(("start-up ratio", f"{t_dlint / t_floor:.2f}  ({t_dlint * 1000:.0f} ms / {t_floor * 1000:.0f} ms)",
                     "<= 1.3"))
        # the same command when the report is unchanged since the last run (the result cache)
        cache = ["--cache-dir", str(work / "startup-cache")]
        t_warm, t_floor2 = interleaved([*dlint, "check", str(SEED), "-q", *cache],
                                       [sys.executable, "-c", "import lark, rich.console, pluggy, yaml"], runs)
        rows.append(("  same, report unchanged (cached)", f"{t_warm / t_floor2:.2f}  ({t_warm * 1000:.0f} ms / "
                     f"{t_floor2 * 1000:.0f} ms)", "<= 1.3"))

        # 2. throughput on one core
        small = work / f"corpus-{n_small}"
        if not small.exists():
            generate(small, n_small)
        check = [*dlint, "check", str(small), "--no-cache", "-q", "--output-format", "json", "-o", os.devnull]
        t1 = statistics.median(wall([*check, "--jobs", "1"]) for _ in range(3))
        t_read = statistics.median(wall([sys.executable, "-c", FLOOR, str(small)]) for _ in range(3))
        rows.append(("throughput", f"{n_small / t1:.0f} reports/s/core  ({n_small} reports in {t1:.1f} s)", ">= 300"))
        rows.append(("  ratio to read+split floor", f"{t1 / t_read:.1f}  (floor {t_read:.2f} s)", "<= 10"))

        # 3. scaling and memory
        t2 = statistics.median(wall([*check, "--jobs", "2"]) for _ in range(3))
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        rows.append(("--jobs 2 speed-up", f"{t1 / t2:.2f}x  ({cores} cores here)", ">= 1.8"))
        large = work / f"corpus-{n_large}"
        if not large.exists():
            generate(large, n_large, seed=7)
        m_small = peak_rss_mb([*check[:2], str(small), *check[3:], "--jobs", "2"])
        m_large = peak_rss_mb([*check[:2], str(large), *check[3:], "--jobs", "2"])
        rows.append(("peak memory", f"{m_small:.0f} MB for {n_small}, {m_large:.0f} MB for {n_large} reports",
                     "flat"))

        # 4. growth
        g = growth((10_000, 100_000, 1_000_000))
        ratios = [g[i + 1][1] / g[i][1] for i in range(len(g) - 1)]
        rows.append(("growth 10 KB -> 100 KB -> 1 MB",
                     " -> ".join(f"{t * 1000:.1f} ms" for _, t in g) + "  (x" + ", x".join(f"{r:.1f}" for r in ratios) + ")",
                     "about x10 each"))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  {'measured':<60}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:<60}  {target}")


if __name__ == "__main__":
    main()
