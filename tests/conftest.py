from __future__ import annotations

from pathlib import Path

import pytest

from disclosure_lint.api import check_path, check_text
from disclosure_lint.engine import Context, Engine

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed-2021-gongxinju.txt"
CLEAN = FIXTURES / "clean-2023-jiaoyuju.txt"


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine()


@pytest.fixture
def lint(engine):
    def run(text: str, **ctx):
        return check_text(text, engine, Context(**ctx)).diagnostics

    return run


@pytest.fixture
def lint_file(engine):
    def run(path: Path, **ctx):
        return check_path(path, engine, Context(**ctx))

    return run


def pytest_configure(config):
    # Commands run by the tests cache their results in a folder of the session's, not in the checkout.
    import os
    import tempfile

    os.environ.setdefault("DLINT_CACHE_DIR", tempfile.mkdtemp(prefix="dlint-test-cache-"))


def cache_entries(folder: Path) -> dict[str, tuple[str, str]]:
    """The result cache's entries under a --cache-dir folder, read with SQLite itself: key -> (body, mac)."""
    import sqlite3

    from disclosure_lint import __version__
    from disclosure_lint.cache import DATABASE

    path = folder / __version__ / DATABASE
    if not path.exists():
        return {}
    db = sqlite3.connect(path)
    try:  # closed now: a connection left to the collector checkpoints its log into the file whenever it goes
        return {key: (body, mac) for key, body, mac in db.execute("SELECT key, body, mac FROM entries")}
    finally:
        db.close()


def set_cache_entry(folder: Path, key: str, body: str, mac: str) -> None:
    import sqlite3

    from disclosure_lint import __version__
    from disclosure_lint.cache import DATABASE

    db = sqlite3.connect(folder / __version__ / DATABASE)
    with db:
        db.execute("UPDATE entries SET body = ?, mac = ? WHERE key = ?", (body, mac, key))
    db.close()
