"""The hand-back: each report's findings written onto a copy of the original, in its own format.

- .docx: a Word comment (批注) per finding, anchored on its exact characters (`annotate.docx`);
- .pdf: a highlight over the offending characters, or a note at a place (`annotate.pdf`);
- HTML pages: a copy whose text carries each finding as `<mark title=…>`, with the list of findings at
  the top; the page's scripts removed and nothing loaded (`annotate.html`);
- plain text (.txt, .md): NAME.dlint.txt, the findings in the full format (the
  offending line, a caret under the text, the help): a text file has nowhere to hold a note.

The original is never written. A report without findings gets no copy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..extract import reader_for

IN_FORMAT = ("docx", "pdf", "html")  # formats whose copy carries the findings inside the document itself


def anchor_range(origins: list[Any], text: str, start: int, end: int) -> tuple[int, int] | None:
    """The first and last character of [start, end) that come from the document; for a place (an empty
    span) or one of made characters only, its line's."""
    hits = [i for i in range(max(0, start), min(end, len(origins))) if origins[i] is not None]
    if not hits:
        line_start = text.rfind("\n", 0, max(0, start)) + 1
        line_end = text.find("\n", max(0, start))
        line_end = len(text) if line_end == -1 else line_end
        hits = [i for i in range(line_start, line_end) if origins[i] is not None]
    if not hits:  # a blank line: the next character of the document, else the first
        after = [i for i in range(max(0, start), len(origins)) if origins[i] is not None]
        hits = after[:1] or [i for i, o in enumerate(origins) if o is not None][:1]
    return (hits[0], hits[-1]) if hits else None


def note_lines(d: Any, lang: str) -> list[str]:
    """What a comment says: the code and message, then the help."""
    lines = [f"{d.code} {d.message}" + (f"（{d.name}）" if lang == "zh" else f" ({d.name})")]
    if d.help:
        lines.append(("怎么改：" if lang == "zh" else "How to fix: ") + d.help)
    return lines


def target_for(path: Path, display: str, out_dir: Path) -> Path:
    """The copy's place: the report's own relative path under `out_dir` (two reports of one name in two
    folders get two copies), or its name alone for a path outside the current folder."""
    shown = Path(display)
    rel = shown if not shown.is_absolute() and ".." not in shown.parts else Path(path.name)
    return out_dir / (rel if reader_for(path) in IN_FORMAT else rel.with_name(rel.stem + ".dlint.txt"))


def write_copy(path: Path, result: Any, out_dir: Path, lang: str) -> tuple[Path | None, str]:
    """Annotate one report. Returns the copy written (None when none is) and what to tell the user."""
    zh = lang == "zh"
    if not result.diagnostics:
        return None, "没有问题，未生成批注副本" if zh else "no findings: no copy written"
    if result.source is None:  # unreadable: its finding is about the file, not a place in it
        return None, "文件无法读取，未生成批注副本" if zh else "the file could not be read: no copy written"
    target = target_for(path, result.path, out_dir)
    if target.resolve() == path.resolve():
        return None, ("副本会覆盖原文件，已跳过（请用 -o 指定其他文件夹）" if zh
                      else "the copy would overwrite the original: skipped (choose another folder with -o)")
    reader = reader_for(path)
    findings = [(d.span.start, d.span.end, note_lines(d, lang)) for d in result.diagnostics]
    if reader in IN_FORMAT:
        import importlib

        from ..safeio import read_bytes
        from ..source import MAX_PUBLISHED_BYTES

        module = importlib.import_module(f"{__name__}.{reader}")
        data, _anchors = module.annotate(read_bytes(path, MAX_PUBLISHED_BYTES), findings)
    else:
        data = _text_copy(result, lang)
    from ..runner import MARKED_TAG

    out_dir.mkdir(parents=True, exist_ok=True)
    tag = out_dir / MARKED_TAG
    if not tag.exists():
        tag.write_text("dlint annotate wrote the marked copies in this folder: they are not checked as reports.\n",
                       encoding="utf-8")
    from ..safeio import write_atomic

    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, data)
    count = len(result.diagnostics)
    return target, f"{count}个问题已标注 → {target}" if zh else f"{count} finding(s) marked → {target}"


def _text_copy(result: Any, lang: str) -> bytes:
    import io
    from types import SimpleNamespace

    from ..output import full

    stream = io.StringIO()
    full.write([result], stream, SimpleNamespace(no_color=True, color="never", color_forced=False, lang=lang))
    return stream.getvalue().encode("utf-8")


