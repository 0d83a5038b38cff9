"""Terminal output in the style of ruff/rustc: location, message, source line, caret, help."""

from __future__ import annotations

from typing import IO, Any

from ..textutil import display_width
from . import shown_path

_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}


def write(results: list[Any], stream: IO[str], options: Any) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=stream, no_color=options.no_color, highlight=False, soft_wrap=True,
                      force_terminal=options.color_forced)
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
            lead = display_width(text[: col - 1])
            width = max(1, display_width(text[col - 1:last - 1]))
            console.print(f"[blue]{gutter} |[/]")
            console.print(f"[blue]{line} |[/] {escape(text)}")
            console.print(f"[blue]{gutter} |[/] {' ' * lead}[{_STYLE[d.severity]}]{'^' * width}[/]")
            if d.help:
                console.print(f"[blue]{gutter} =[/] [bold]help:[/] {escape(d.help)}")
            console.print()
