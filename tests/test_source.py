from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from disclosure_lint.source import Excerpt, Source, SourceError, decode, read_source

TEXT = "某局2023年政府信息公开工作年度报告\n一、总体情况\n"


def test_utf8_bom_is_dropped_and_remembered():
    src = decode(b"\xef\xbb\xbf" + TEXT.encode())
    assert src.text == TEXT and src.bom and src.encoding == "utf-8"


def test_gb18030_fallback():
    src = decode(TEXT.encode("gb18030"))
    assert src.text == TEXT and src.encoding == "gb18030"


def test_crlf_and_cr_are_normalised_with_positions_per_line():
    src = decode(TEXT.replace("\n", "\r\n").encode())
    assert src.text == TEXT and src.newline == "\r\n"
    assert src.position(src.text.index("一")) == (2, 1)
    assert decode(b"a\rb").text == "a\nb"


def test_nul_bytes_are_not_text():
    with pytest.raises(SourceError) as exc:
        decode(b"PK\x03\x04\x00\x00binary")
    assert exc.value.code == "DL001"


def test_missing_file_and_directory(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.txt")
    for path, reason in ((tmp_path / "nope.txt", "No such file or directory"), (tmp_path, "is a directory"),
                         (tmp_path / "pipe.txt", "not a regular file")):
        with pytest.raises(SourceError) as exc:
            read_source(path)
        assert (exc.value.code, exc.value.args_) == ("DL004", {"reason": reason})


def test_a_file_over_the_limit_is_refused_with_its_size(tmp_path, monkeypatch):
    from disclosure_lint import source

    monkeypatch.setattr(source, "MAX_BYTES", 100)
    (tmp_path / "r.txt").write_bytes(b"x" * 101)
    with pytest.raises(SourceError) as exc:
        read_source(tmp_path / "r.txt")
    assert (exc.value.code, exc.value.args_) == ("DL002", {"size": 101, "limit": 100})
    (tmp_path / "r.txt").write_bytes(TEXT.replace("\n", "\r\n").encode())
    read = read_source(tmp_path / "r.txt", "shown.txt")
    assert (read.path, read.text, read.newline, read.digest) == ("shown.txt", TEXT, "\r\n", source.digest(
        (tmp_path / "r.txt").read_bytes()))


def test_position_columns_count_code_points():
    src = Source.from_text("第一行\n中文abc")
    assert src.position(len("第一行\n中文")) == (2, 3)


@given(st.binary(max_size=2000))
def test_decode_any_bytes_is_text_or_a_clear_error(data):
    try:
        src = decode(data)
    except SourceError as exc:
        assert exc.code in ("DL001", "DL003")
    else:
        assert "\r" not in src.text


@given(st.text(st.sampled_from("ab字\n\r \u3000"), max_size=60), st.sets(st.integers(-3, 70), max_size=8))
def test_an_excerpt_places_offsets_as_the_source_does(text, offsets):
    """`Excerpt.of` counts the newlines from one offset to the next instead of making the line index: the same
    positions and line texts, offsets out of range clamped as `position` clamps them."""
    source = Source.from_text(text)
    excerpt = Excerpt.of(source, offsets)
    assert "line_starts" not in source.__dict__  # the index was not made for it
    for offset in offsets:
        assert excerpt.position(offset) == source.position(offset)
        line = source.position(offset)[0]
        assert excerpt.line_text(line) == source.line_text(line)


def test_a_light_result_keeps_every_field_but_the_model():
    """What a worker sends back: the same result, without the model, the source cut to an excerpt."""
    from dataclasses import fields

    from disclosure_lint.api import FileResult

    source = Source.from_text(TEXT, "r.txt")
    values = {f.name: f"<{f.name}>" for f in fields(FileResult)} | {"source": source, "report": object(),
                                                                     "diagnostics": []}
    full = FileResult(**values)
    for keep_source in (True, False):
        light = full.light(keep_source)
        for f in fields(FileResult):
            expected = None if f.name == "report" else values[f.name]
            if f.name == "source" and not keep_source:
                assert isinstance(light.source, Excerpt) and light.source.path == "r.txt"
            else:
                assert getattr(light, f.name) is expected, f.name
