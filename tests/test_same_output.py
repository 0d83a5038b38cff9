"""Speed work must not change what dlint says: a batch's whole JSON output, on the real reports bundled
with the tests and on a generated corpus made from them, is byte-identical to a golden file and the same
with one worker or two. Regenerate with DLINT_UPDATE_GOLDEN=1 only after a deliberate change of findings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from disclosure_lint import __version__

TESTS = Path(__file__).parent
sys.path.insert(0, str(TESTS.parent / "bench"))

from generate import generate  # noqa: E402


def batch(folder: Path, jobs: int) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("DLINT_LANG", "NO_COLOR", "GITHUB_ACTIONS")}
    proc = subprocess.run([sys.executable, "-m", "disclosure_lint", "check", ".", "--no-cache", "--isolated",
                           "--output-format", "json", "--jobs", str(jobs)],
                          capture_output=True, text=True, encoding="utf-8", cwd=folder, env=env)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout.replace(__version__, "VERSION")


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    real = tmp_path_factory.mktemp("real")
    for f in sorted((TESTS / "fixtures").glob("*.txt")):
        shutil.copy(f, real / f.name)
    generated = tmp_path_factory.mktemp("generated")
    generate(generated, 30, seed=11)
    return {"real": real, "generated": generated}


@pytest.mark.parametrize("name", ["real", "generated"])
def test_batch_output_is_byte_identical(corpora, name):
    one = batch(corpora[name], 1)
    golden = TESTS / "golden" / f"batch-{name}.json"
    if os.environ.get("DLINT_UPDATE_GOLDEN"):
        golden.write_text(one, encoding="utf-8")
    assert one == golden.read_text(encoding="utf-8")
    assert batch(corpora[name], 2) == one  # two workers say exactly what one says, in the same order


def test_generated_reports_are_real_size_and_each_copy_is_another_body(tmp_path):
    """The throughput target is for real-size reports of a real batch: a generated report is its source
    with a few paragraphs repeated (a flattened crawl's one line is not repeated whole), and each copy of a
    source is another body's, so that copies are not all paired with one report of the year before."""
    from generate import SOURCES

    from disclosure_lint.build import peek_title

    n = 3 * len(SOURCES)
    paths = generate(tmp_path, n, seed=5)
    sizes = [len(p.read_bytes()) for p in paths]
    sources = [len(SOURCES[k % len(SOURCES)].read_bytes()) for k in range(n)]
    assert max(size / source for size, source in zip(sizes, sources)) < 2  # no report holds its source twice
    assert sum(sizes) / sum(sources) < 1.2
    titles = [peek_title(p.read_text(encoding="utf-8")) for p in paths]
    for k in range(len(SOURCES)):  # the copies of one source: three bodies
        agencies = {titles[k + c * len(SOURCES)][0] for c in range(3)}
        assert len(agencies) == 3 or agencies == {None}
