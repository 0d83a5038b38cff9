"""YAML kept as JSON between runs: used only for the same text, only from the user's own folder, and
never for data JSON would change or expand."""

from __future__ import annotations

import os

import pytest

from disclosure_lint import compiled
from disclosure_lint.yamlload import load_yaml


def entries(home):
    folder = home / "dlint" / "compiled"
    return sorted(p.name for p in folder.glob("*.json")) if folder.exists() else []


def test_same_text_is_read_back_and_an_edit_is_parsed_anew(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "r.yaml"
    path.write_text("rules:\n  - code: DL999\n    n: 1\n", encoding="utf-8")
    first = load_yaml(path)
    assert len(entries(tmp_path / "cache")) == 1
    assert compiled.get(path.read_text(encoding="utf-8")) == first == {"rules": [{"code": "DL999", "n": 1}]}
    path.write_text("rules:\n  - code: DL999\n    n: 2\n", encoding="utf-8")
    assert load_yaml(path)["rules"][0]["n"] == 2
    # an entry whose text differs (a planted or colliding file) is not used
    name = entries(tmp_path / "cache")[0]
    planted = tmp_path / "cache" / "dlint" / "compiled" / name
    planted.write_text('{"version": "x", "text": "other", "data": {"rules": []}}', encoding="utf-8")
    assert load_yaml(path)["rules"][0]["code"] == "DL999"


def test_a_folder_others_can_write_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "cache" / "dlint" / "compiled"
    folder.mkdir(parents=True)
    os.chmod(folder, 0o777)
    path = tmp_path / "r.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    assert load_yaml(path) == {"a": 1}
    assert entries(tmp_path / "cache") == []


def test_data_json_would_change_is_not_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "r.yaml"
    path.write_text("2019: a\nwhen: 2024-01-31\n", encoding="utf-8")  # an int key, a date
    assert load_yaml(path)[2019] == "a"
    assert entries(tmp_path / "cache") == []


def test_the_grammars_line_shapes_are_kept_and_lark_is_not_loaded_to_check(tmp_path):
    """The line terminals taken from the Lark grammar are kept with the compiled rule data: a second
    check does not import Lark, and classifies lines exactly as the grammar's own terminals do."""
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    probe = ("import sys; from disclosure_lint.cli import main; code = main(['check', 'examples/clean-2023-jiaoyuju.txt', "
             "'--no-cache', '-q']); print('lark' in sys.modules)")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    first = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=root)
    second = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=root)
    assert first.stdout.strip() == "True" and second.stdout.strip() == "False", (first.stderr, second.stderr)
    # the shapes read from the grammar itself (neither the kept shapes nor the pattern made from them cached)
    code = ("import re, sys; from disclosure_lint import parse; kept = parse.line_shapes().pattern; "
            "parse._shape_list.cache_clear(); parse._shapes.cache_clear(); "
            "import os; os.environ['DLINT_NO_COMPILED'] = '1'; print(kept == parse.line_shapes().pattern, 'lark' in sys.modules)")
    same = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=root)
    assert same.stdout.strip() == "True True", same.stderr


@pytest.fixture()
def fresh_programs(tmp_path, monkeypatch):
    """compiled's patterns as in a new process, its entry in a folder of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(compiled, "_made", {})
    monkeypatch.setattr(compiled, "_kept", None)
    monkeypatch.setattr(compiled, "_added", {})
    return tmp_path / "cache" / "dlint" / "compiled"


def programs_entry(folder):
    [entry] = folder.glob("programs-*.json")
    return entry


def test_a_patterns_program_is_kept_and_read_back_without_compiling(fresh_programs, monkeypatch):
    import json
    import re
    from re import _compiler

    from conftest import FIXTURES

    from disclosure_lint.segment import _label_re

    pattern = _label_re().pattern  # the largest: the table labels, each with its stray spaces
    first = compiled.regex(pattern)
    assert compiled.regex(pattern) is first  # made once a process
    compiled._save_programs()
    assert f"0 {pattern}" in json.loads(programs_entry(fresh_programs).read_bytes())["programs"]

    def no_compiling(*_args, **_kwargs):
        raise AssertionError("compiled again")

    plain = re.compile(pattern)
    monkeypatch.setattr(compiled, "_made", {})
    monkeypatch.setattr(compiled, "_kept", None)
    monkeypatch.setattr(_compiler, "_code", no_compiling)
    kept = compiled.regex(pattern)
    monkeypatch.undo()
    assert kept == plain and kept.groupindex == plain.groupindex  # == compares the engine's programs
    for path in sorted(FIXTURES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert [m.span() for m in kept.finditer(text)] == [m.span() for m in plain.finditer(text)]
        assert [m.span() for m in first.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_a_program_the_engine_refuses_is_compiled_anew(fresh_programs, monkeypatch):
    import json

    compiled.regex(r"(?P<n>\d+)件")
    compiled._save_programs()
    entry = programs_entry(fresh_programs)
    body = json.loads(entry.read_text(encoding="utf-8"))
    [program] = body["programs"].values()
    program[0] = "AAAAAAEAAAACAAAA"  # not a program: the engine checks it and refuses
    entry.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(compiled, "_made", {})
    monkeypatch.setattr(compiled, "_kept", None)
    again = compiled.regex(r"(?P<n>\d+)件")
    assert again.search("共12件").group("n") == "12"


def test_an_invalid_pattern_is_an_error_as_with_re(fresh_programs):
    import re

    with pytest.raises(re.error):
        compiled.regex("(?P<n>")


def test_the_kept_programs_are_bounded(fresh_programs, monkeypatch):
    """Patterns another run made are kept beside this run's, up to a bound; past it, this run's only."""
    import json

    monkeypatch.setattr(compiled, "_PROGRAMS_MAX", 3)
    for n in range(3):
        compiled.regex(f"old{n}")
    compiled._save_programs()
    monkeypatch.setattr(compiled, "_made", {})
    monkeypatch.setattr(compiled, "_kept", None)
    compiled.regex("old0")  # read back
    compiled.regex("new")
    compiled._save_programs()
    kept = json.loads(programs_entry(fresh_programs).read_text(encoding="utf-8"))["programs"]
    assert sorted(kept) == ["0 new", "0 old0"]


PROBE = """
import sys
from re import _compiler
made = []
code = _compiler._code
def counted(*args):
    made.append(sys._getframe(1).f_code.co_name)  # dlint's own compiling goes through compiled._program
    return code(*args)
_compiler._code = counted
from disclosure_lint.cli import main
main(["check", "examples/clean-2023-jiaoyuju.txt", "--no-cache", "-q"])
_compiler._code = code
import re
from disclosure_lint import compiled
assert all(p == re.compile(pattern, flags) for (pattern, flags), p in compiled._made.items())
print(made.count("_program"), len(compiled._made))
"""


def test_a_second_run_compiles_none_of_dlints_patterns(tmp_path):
    """The first check compiles dlint's patterns and keeps their programs; the second reads them back and
    compiles none of them, and each is the very program re.compile makes."""
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    runs = [subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, cwd=root)
            for _ in range(2)]
    (first_compiled, first_made), (second_compiled, second_made) = (map(int, r.stdout.split()) for r in runs)
    assert first_compiled == first_made > 50, runs[0].stderr
    assert second_compiled == 0 and second_made == first_made, runs[1].stderr
