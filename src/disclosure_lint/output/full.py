"""Terminal output in the style of ruff/rustc: location, message, source line, caret, help."""

from __future__ import annotations

from typing import IO, Any

from ..textutil import display_width
from . import shown_path

_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}


def write(results: list[Any], stream: IO[str], options: Any) -> None:
    from rich.console import Console
    from rich.markup import escape

    plain = options.no_color or getattr(options, "color", "auto") == "never"
    forced = True if getattr(options, "color", "auto") == "always" and not plain else options.color_forced
    # no colour means no escape at all (bold included): no colour system
    console = Console(file=stream, no_color=plain, color_system=None if plain else "auto", highlight=False,
                      soft_wrap=True, force_terminal=False if plain else forced, width=_columns())
    room = max(20, console.width - 8)  # display cells for the source line beside its gutter
    for r in results:
        for d in r.diagnostics:
            line, col = r.position(d.span.start)
            end_line, end_col = r.position(d.span.end)
            console.print(f"[bold]{escape(shown_path(r.path))}:{line}:{col}[/] [{_STYLE[d.severity]}]{d.code}[/] "
                          f"{escape(d.message)} [dim]({d.name})[/]")
            if r.source is None:
                continue
            text = r.source.line_text(line).replace("\t", " ")
            gutter = " " * len(str(line))
            last = end_col if end_line == line else len(text) + 1
            text, col, last = _window(text, col, last, room - len(gutter))
            lead = display_width(text[: col - 1])
            width = max(1, display_width(text[col - 1:last - 1]))
            console.print(f"[blue]{gutter} |[/]")
            console.print(f"[blue]{line} |[/] {escape(text)}")
            console.print(f"[blue]{gutter} |[/] {' ' * lead}[{_STYLE[d.severity]}]{'^' * width}[/]")
            if d.help:
                console.print(f"[blue]{gutter} =[/] [bold]help:[/] {escape(d.help)}")
            console.print()


def _columns() -> int:
    import shutil

    return shutil.get_terminal_size((100, 24)).columns  # COLUMNS, else the terminal, else 100


def _window(text: str, col: int, last: int, room: int) -> tuple[str, int, int]:
    """A crawled paragraph can be a 1,500-character line: show a window of it around the finding, cut
    with `…` (display-width aware, a Han character two cells), the columns moved to match."""
    if display_width(text) <= room:
        return text, col, last
    start = col - 1
    budget = room - 2  # the two ellipses
    before = 0
    while start > 0 and before + display_width(text[start - 1]) <= budget // 3:
        start -= 1
        before += display_width(text[start])
    end, used = start, 0
    while end < len(text) and used + display_width(text[end]) <= budget:
        used += display_width(text[end])
        end += 1
    head = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    shift = start - len(head)
    return head + text[start:end] + tail, col - shift, min(last, end + 1) - shift

