"""The machine format: {"version": 1, "files": [...]} (no rich import on this path)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from json.encoder import encode_basestring
from typing import IO, Any

from . import span


def diagnostic_dict(r: Any, d: Any) -> dict[str, Any]:
    line, col, end_line, end_col = span(r, d)
    return {"code": d.code, "name": d.name, "severity": d.severity, "message": d.message,
            "line": line, "column": col, "end_line": end_line, "end_column": end_col, "help": d.help,
            "fixable": d.fix is not None}


def file_dict(r: Any) -> dict[str, Any]:
    return {"path": r.path, "template": r.template, "year": r.year, "agency": r.agency,
            "diagnostics": [diagnostic_dict(r, d) for d in r.diagnostics]}


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # made once: json.dumps with options makes one a call
_SCALARS = (str, int, float, bool, type(None))
_FLAT: dict[str, Any] = {}  # indent -> the C encoder writing one item a line at that indent


def _flat_encoder(inner: str) -> Any:
    """The text of a container of scalars, one item a line at indent `inner`, its items' separator carrying
    the newline and indent: the C encoder JSONEncoder.encode makes at every call, made once (half the time
    of a finding's text); JSONEncoder itself where json has no C encoder."""
    from json.encoder import c_make_encoder

    if c_make_encoder is None:
        return json.JSONEncoder(ensure_ascii=False, separators=(",\n" + inner, ": ")).encode
    # markers None: no circular check (scalars only), default None: never asked (scalars only)
    encode = c_make_encoder(None, None, encode_basestring, None, ": ", ",\n" + inner, False, False, True)
    return lambda value: "".join(encode(value, 0))


def _indented(value: Any, indent: str) -> str:
    """The text of json.dumps(value, ensure_ascii=False, indent=2) at that indent. With an indent, json
    writes with its Python encoder; a container of scalars only (a finding) is written here by the C one,
    one item a line, its items' separator carrying the newline and indent (a string holds no raw newline)."""
    if not isinstance(value, (dict, list)) or not value:
        return _ENCODE(value)
    inner = indent + "  "
    items = value.values() if isinstance(value, dict) else value
    if all(isinstance(v, _SCALARS) for v in items):
        encode = _FLAT.get(inner)
        if encode is None:
            encode = _FLAT[inner] = _flat_encoder(inner)
        text = encode(value)
        return text[0] + "\n" + inner + text[1:-1] + "\n" + indent + text[-1]
    if isinstance(value, dict):
        return ("{\n" + ",\n".join(inner + _ENCODE(k) + ": " + _indented(v, inner) for k, v in value.items())
                + "\n" + indent + "}")
    return "[\n" + ",\n".join(inner + _indented(v, inner) for v in value) + "\n" + indent + "]"


def _text(value: Any) -> str:
    """A scalar as json.dumps writes it; strings and ints (most of a finding) without the encoder's call."""
    kind = value.__class__
    if kind is str:
        return _STR(value)
    if kind is int:
        return int.__repr__(value)
    return "null" if value is None else _ENCODE(value)


_STR = encode_basestring


def _file_text(r: Any) -> str:
    """`_indented(file_dict(r), "    ")`, written out field by field: one format a finding instead of its
    dict, the test of its values and the C encoder's pieces joined (a third of the time)."""
    head = (f'{{\n      "path": {_text(r.path)},\n      "template": {_text(r.template)},\n      "year": {_text(r.year)},'
            f'\n      "agency": {_text(r.agency)},\n      "diagnostics": ')
    if not r.diagnostics:
        return head + "[]\n    }"
    findings = []
    for d in r.diagnostics:
        line, col, end_line, end_col = span(r, d)
        findings.append(
            f'        {{\n          "code": {_text(d.code)},\n          "name": {_text(d.name)},\n          "severity": '
            f'{_text(d.severity)},\n          "message": {_text(d.message)},\n          "line": {_text(line)},\n          '
            f'"column": {_text(col)},\n          "end_line": {_text(end_line)},\n          "end_column": {_text(end_col)},'
            f'\n          "help": {_text(d.help)},\n          "fixable": {"false" if d.fix is None else "true"}\n        }}')
    return head + "[\n" + ",\n".join(findings) + "\n      ]\n    }"


def write(results: Iterable[Any], stream: IO[str], options: Any) -> None:
    """Streamed file by file (a batch of thousands is never held whole); the same text as one json.dump."""
    stream.write('{\n  "version": 1,\n  "files": [')
    sep = "\n"
    for r in results:
        stream.write(sep + "    " + _file_text(r))
        sep = ",\n"
    stream.write("\n  ]" if sep == ",\n" else "]")
    # the run's configuration files (null: the defaults): a parent folder's configuration is never silent
    configs = getattr(options, "configs", list)()
    stream.write(',\n  "configs": ' + json.dumps(configs, ensure_ascii=False) + "\n}\n")
