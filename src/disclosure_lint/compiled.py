"""YAML already read, kept as JSON: the rule and template files are parsed once per content, not once
per run (PyYAML's import and parse were a third of a check's start-up).

An entry is the YAML text itself and its data; it is used only when the text is the same, character for
character, so an edited file is parsed anew. Entries live in the user's own cache folder
($XDG_CACHE_HOME/dlint/compiled, mode 0700), which is used only when it belongs to the user and nobody
else can write to it; JSON carries data only, never code. Data that JSON would change (keys that are not
strings, for one) is not kept. Any failure here only means the YAML is parsed as before.
"""

from __future__ import annotations

import json
import os
import re
import sys
import zlib
from pathlib import Path
from typing import Any

MISSING = object()
_MAX_ENTRY = 4 * 1024 * 1024
_MAX_NODES = 200_000  # YAML aliases share one object many times; written out, they would multiply


def _small(data: Any) -> bool:
    """Whether the data, counted as JSON would write it out (aliases expanded), stays small."""
    stack, count = [data], 0
    while stack:
        item = stack.pop()
        count += 1
        if count > _MAX_NODES:
            return False
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


def _folder() -> Path | None:
    if os.environ.get("DLINT_NO_COMPILED"):
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dlint" / "compiled"
    try:
        info = base.stat()
    except FileNotFoundError:
        try:
            base.mkdir(parents=True, mode=0o700, exist_ok=True)
            info = base.stat()
        except OSError:
            return None
    except OSError:
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        return None  # someone else could plant data here
    return base


def _name(text: str) -> str:
    data = text.encode("utf-8", "surrogatepass")
    return f"{zlib.crc32(data):08x}-{len(data)}.json"


def get(text: str) -> Any:
    from . import __version__

    folder = _folder()
    if folder is None:
        return MISSING
    try:
        with open(folder / _name(text), encoding="utf-8") as f:
            raw = f.read(_MAX_ENTRY + 1)
        entry = json.loads(raw)
    except (OSError, ValueError):
        return MISSING
    if not isinstance(entry, dict) or entry.get("text") != text or entry.get("version") != __version__:
        return MISSING
    return entry.get("data", MISSING)


def put(text: str, data: Any) -> None:
    from . import __version__

    folder = _folder()
    if folder is None:
        return
    if not _small(data):
        return
    try:
        body = json.dumps({"version": __version__, "text": text, "data": data}, ensure_ascii=False)
        if len(body) > _MAX_ENTRY or json.loads(body)["data"] != data:
            return  # JSON would not give the same data back
        from .safeio import write_atomic

        write_atomic(folder / _name(text), body.encode("utf-8"), folder / f".{_name(text)}.{os.getpid()}.tmp")
    except (OSError, TypeError, ValueError):
        return


def regex(pattern: str) -> re.Pattern[str]:
    """`re.compile(pattern)`, the regex engine's program kept like the YAML: a large pattern (the table
    labels, the line shapes) takes milliseconds to compile at every start, and reading its program back
    a fraction of that. Kept per Python version and engine (`_sre.MAGIC`); the engine checks a program
    before it runs it, and anything amiss (a Python without these internals, an entry that does not fit)
    means the pattern is compiled as usual."""
    try:
        import _sre
        from re import _compiler, _parser
    except ImportError:
        return re.compile(pattern)
    key = f"dlint regex {sys.version_info[0]}.{sys.version_info[1]} {_sre.MAGIC} {_sre.CODESIZE}\n{pattern}"
    kept = get(key)
    if isinstance(kept, list) and len(kept) == 5:
        code, flags, groups, groupindex, indexgroup = kept
        try:
            return _sre.compile(pattern, flags, code, groups, groupindex, tuple(indexgroup))
        except Exception:  # noqa: BLE001 - not a program this engine takes: compiled anew below
            pass
    try:  # the steps of re._compiler.compile, keeping the program
        parsed = _parser.parse(pattern, 0)
        code = _compiler._code(parsed, 0)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        flags, groups = parsed.state.flags, parsed.state.groups - 1
        compiled = _sre.compile(pattern, flags, code, groups, groupindex, tuple(indexgroup))
    except Exception:  # noqa: BLE001 - internals changed: the public way
        return re.compile(pattern)
    put(key, [list(code), flags, groups, groupindex, indexgroup])
    return compiled
