"""Output formats, one module each. `write(results, stream, options)` prints one run's findings."""

from __future__ import annotations

FORMATS = ("full", "concise", "json")
