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
