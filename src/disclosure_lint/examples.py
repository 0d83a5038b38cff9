"""A rule's pass and fail examples, run as a user's files would be.

An example is a report's text, or a mapping for what text alone cannot show:
`file` (the name it is saved under: its extension picks the reader), `bytes` (the file's bytes, one
code point 0-255 each, for binary or undecodable files), `pad` (that many spaces appended: a file over a
limit), `report` (its text), `base: example` with `replace` (the bundled clean report
`rules/example-report.txt` with some text replaced: table rules need a whole report), `previous`
(the same body's report of the year before, for the cross-year rules) and `members` (the member
reports of an aggregate, each a mapping like this one, or null for a member whose report is missing).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any


def example_report() -> str:
    from .template import rules_dir

    return (rules_dir() / "example-report.txt").read_text(encoding="utf-8")


def report_text(example: dict[str, Any]) -> str:
    if example.get("base") != "example":
        return example.get("report", "")
    text = example_report()
    for old, new in example.get("replace", []):
        if old not in text:
            raise ValueError(f"example: {old!r} is not in the example report")
        text = text.replace(old, new, 1)
    return text


def shown(example: Any) -> str:
    """An example as a rule page prints it."""
    if isinstance(example, str):
        return example
    parts = []
    if example.get("base") == "example" and not example.get("replace"):
        return "# 合格的示例报告（examples/clean-2023-jiaoyuju.txt），未改动 / the clean example report, unchanged"
    if example.get("base") == "example":
        parts.append("# 合格的示例报告（examples/clean-2023-jiaoyuju.txt）改动如下 / the clean example report, changed:")
        for old, new in example.get("replace", []):
            parts.append(f"- {old.rstrip()}\n+ {new.rstrip()}")
        return "\n".join(parts)
    if example.get("previous"):
        parts.append(f"# 上一年度报告 / last year's report\n{example['previous'].rstrip()}\n# 本年度报告 / this year's report")
    if "bytes" in example:
        parts.append(f"# {example.get('file', 'example.txt')}: {example['bytes'][:60]!r}")
    elif "file" in example:
        parts.append(f"# {example['file']}")
    if example.get("report"):
        parts.append(example["report"].rstrip())
    for i, member in enumerate(example.get("members") or []):
        parts.append(f"# 下属单位报告{i + 1} / member report {i + 1}: " + (shown(member) if member else "（缺失 / missing）"))
    if example.get("pad"):
        parts.append(f"# … {example['pad']:,} spaces")
    return "\n".join(parts)


def codes(example: Any, engine: Any) -> set[str]:
    """The codes dlint reports on an example, run through the same stages as a file on disk."""
    from .api import check_path
    from .build import build
    from .engine import Context
    from .source import Source

    if isinstance(example, str):
        example = {"report": example}
    with tempfile.TemporaryDirectory(prefix="dlint-example-") as tmp:
        path = Path(tmp) / example.get("file", "example.txt")
        data = (example["bytes"].encode("latin-1") if "bytes" in example
                else report_text(example).encode("utf-8"))
        path.write_bytes(data + b" " * int(example.get("pad", 0)))
        previous = None
        if example.get("previous"):
            model = build(Source.from_text(example["previous"], "previous.txt"))
            previous = lambda report: ("previous.txt", model)  # noqa: E731
        members = None
        if "members" in example:
            models = [(f"member-{i}.txt", build(Source.from_text(report_text(m), f"member-{i}.txt")) if m else None)
                      for i, m in enumerate(example["members"])]
            members = lambda report: models  # noqa: E731
        result = check_path(path, engine, Context(previous=previous, members=members))
    return {d.code for d in result.diagnostics}
