"""Check an archive of reports on a Dask cluster: `dask.bag` over paths, results as JSON lines.

    pip install 'disclosure-lint[dask]'
    python -m disclosure_lint.contrib.dask_batch REPORTS_DIR results.jsonl [--scheduler tcp://host:8786]

Without --scheduler a local cluster (one worker per core) is started. Each line of the output is one
report: the same object as an entry of `dlint check --output-format json` ("files": [...]), in path
order, so the output of a cluster run and of a serial run compare equal line for line. Workers only
need the paths to be readable at the same location (a shared file system or object-store mount).
Each report is checked on its own: the cross-year rules (DL6xx), which need last year's report beside
it, are left to `dlint check --previous`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..api import lint_path
from ..runner import collect


def check_on_dask(paths: list[str], client: Any = None, *, partitions: int | None = None,
                  **options: Any) -> list[dict[str, Any]]:
    """Check `paths` with dask.bag on `client` (or the current/default scheduler); results in path order."""
    import dask.bag as db

    bag = db.from_sequence(paths, npartitions=partitions or max(1, min(len(paths), 64)))
    results = bag.map(lambda p: lint_path(p, **options))
    return list(client.compute(results).result() if client is not None else results.compute())


def write_json_lines(results: list[dict[str, Any]], out: Path) -> None:
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        for r in results:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="dlint over a Dask cluster")
    ap.add_argument("reports", nargs="+", help="report files or folders")
    ap.add_argument("output", type=Path, help="JSON-lines file to write")
    ap.add_argument("--scheduler", default=None, help="address of a running scheduler (default: a local cluster)")
    args = ap.parse_args(argv)
    from dask.distributed import Client, LocalCluster

    paths = [str(p) for p, _ in collect(args.reports)]
    if args.scheduler:
        with Client(args.scheduler) as client:
            results = check_on_dask(paths, client)
    else:
        with LocalCluster(processes=True) as cluster, Client(cluster) as client:
            results = check_on_dask(paths, client)
    write_json_lines(results, args.output)
    print(f"{len(results)} report(s) checked, {sum(len(r['diagnostics']) for r in results)} finding(s) -> {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
