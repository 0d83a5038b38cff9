"""YAML kept as JSON between runs: used only for the same text, only from the user's own folder, and
never for data JSON would change or expand."""

from __future__ import annotations

import os

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
