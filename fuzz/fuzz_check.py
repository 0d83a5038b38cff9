"""Coverage-guided fuzzing of source -> parse -> build -> check with atheris (libFuzzer).

    python fuzz/fuzz_check.py fuzz/corpus -max_total_time=600      # a longer run
    python fuzz/fuzz_check.py -runs=3000 fuzz/corpus                # what CI does (tests/test_fuzz.py)

The seed corpus is copied from tests/fixtures on the first run. Any input that makes a rule crash,
the parser raise, or a diagnostic point outside the text is a failure: libFuzzer saves it as
crash-<hash>; turn it into a regression test in tests/test_robustness.py.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["disclosure_lint"]):
    import disclosure_lint.build
    import disclosure_lint.parse
    import disclosure_lint.segment  # noqa: F401 - imported here to be instrumented
    from disclosure_lint.api import check_bytes, check_text
    from disclosure_lint.engine import Context, Engine

    ENGINE = Engine()  # imports (and so instruments) every rule kind


def test_one_input(data: bytes) -> None:
    if data[:1] == b"T":  # as text: gets past the binary check to the parser and the rules more often
        text = data[1:].decode("utf-8", "replace").replace("\x00", "")
        result = check_text(text, ENGINE, Context())
    else:
        result = check_bytes(data, ENGINE, Context())
    if result.errors:
        raise RuntimeError(result.errors)
    src = result.source
    for d in result.diagnostics:
        if src is None:
            continue
        if not 0 <= d.span.start <= d.span.end <= len(src.text):
            raise AssertionError(f"{d.code}: span {d.span} outside a text of {len(src.text)}")
        line, col = src.position(d.span.start)
        if not (1 <= line <= src.line_count and 1 <= col <= len(src.line_text(line)) + 1):
            raise AssertionError(f"{d.code}: position {line}:{col} outside the text")


def main() -> None:
    corpus = next((Path(a) for a in sys.argv[1:] if not a.startswith("-")), None)
    if corpus is not None and not corpus.exists():
        corpus.mkdir(parents=True)
        for f in (Path(__file__).resolve().parent.parent / "tests" / "fixtures").glob("*.txt"):
            shutil.copy(f, corpus / f.name)
            (corpus / f"T-{f.name}").write_bytes(b"T" + f.read_bytes())
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
