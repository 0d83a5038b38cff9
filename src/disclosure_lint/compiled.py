"""What dlint would otherwise make anew at every start, kept between runs: the rule and template files'
YAML, parsed once per content (PyYAML's import and parse were a third of a check's start-up), and the
programs of its regular expressions (compiling them was another third).

A YAML entry is the text itself and its data; it is used only when the text is the same, character for
character, so an edited file is parsed anew. Entries live in the user's own cache folder
($XDG_CACHE_HOME/dlint/compiled, mode 0700), which is used only when it belongs to the user and nobody
else can write to it; JSON carries data only, never code. Data that JSON would change (keys that are not
strings, for one) is not kept. Any failure here only means the YAML is parsed, or the pattern compiled,
as before.
"""

from __future__ import annotations

import json
import os
import re
import sys
import zlib
from functools import cache
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


# -- regular expressions ------------------------------------------------------------------------
# Compiling dlint's ~150 patterns took 20 ms of every start (a third of a check's own start-up, and of the
# parent's warm-up before a batch's workers fork). Their programs are kept in one entry, read in a
# millisecond; a pattern not found there is compiled as usual and the entry rewritten at exit.

# Beyond these (rule files edited again and again add patterns), the entry starts again from one run's
# patterns: it is read whole at every start.
_PROGRAMS_MAX = 500
_PROGRAMS_BYTES = 1 << 20
_made: dict[tuple[str, int], re.Pattern[str]] = {}  # this process's patterns
_kept: dict[str, list[Any]] | None = None  # pattern key -> program, as read from the entry
_added: dict[str, list[Any]] = {}  # programs compiled in this process, written at exit


def regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, its program read back from the last run when it was kept. The engine
    checks a program before it runs it; anything amiss (a Python without these internals, an entry that
    does not fit) means the pattern is compiled as usual."""
    made = _made.get((pattern, flags))
    if made is None:
        made = _made[(pattern, flags)] = _program(pattern, flags)
    return made


def _programs_name() -> str:
    import _sre

    impl = sys.implementation
    version = ".".join(map(str, sys.version_info[:3]))
    return f"programs-{impl.name}-{version}-{_sre.MAGIC}-{_sre.CODESIZE}-{sys.byteorder}.json"


def _indexgroup(groupindex: dict[str, int], groups: int) -> tuple[str | None, ...]:
    """Each group's name by its number (None for the unnamed and for group 0), as re._compiler makes it."""
    names: list[str | None] = [None] * (groups + 1)
    for name, i in groupindex.items():
        names[i] = name
    return tuple(names)


@cache
def _array_type() -> str | None:
    """The array type code of the engine's code words (None: no such type here)."""
    import _sre
    from array import array

    return next((t for t in "IL" if array(t).itemsize == _sre.CODESIZE), None)


def _load_programs() -> dict[str, list[Any]]:
    folder = _folder()
    if folder is None:
        return {}
    from .safeio import read_bytes

    try:  # bytes: JSON reads them faster than a text file's decoding
        entry = json.loads(read_bytes(folder / _programs_name(), _MAX_ENTRY))
    except (OSError, ValueError):
        return {}
    programs = entry.get("programs") if isinstance(entry, dict) else None
    return programs if isinstance(programs, dict) else {}


def _program(pattern: str, flags: int) -> re.Pattern[str]:
    global _kept
    try:
        import _sre
        from array import array
        from binascii import a2b_base64, b2a_base64
        from re import _compiler, _parser

        typecode = _array_type()
    except ImportError:
        typecode = None
    if typecode is None or not isinstance(pattern, str):
        return re.compile(pattern, flags)
    if _kept is None:
        _kept = _load_programs()
    key = f"{flags} {pattern}"
    kept = _kept.get(key)
    if isinstance(kept, list) and len(kept) == 4:
        words, all_flags, groups, groupindex = kept
        try:
            code = array(typecode, a2b_base64(words)).tolist()
            return _sre.compile(pattern, all_flags, code, groups, groupindex, _indexgroup(groupindex, groups))
        except Exception:  # noqa: BLE001 - not a program this engine takes: compiled anew below
            pass
    try:  # the steps of re._compiler.compile, keeping the program
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        all_flags, groups = flags | parsed.state.flags, parsed.state.groups - 1
        made = _sre.compile(pattern, all_flags, code, groups, groupindex, _indexgroup(groupindex, groups))
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - internals changed: the public way
        return re.compile(pattern, flags)
    if not _added:
        import atexit

        atexit.register(_save_programs)
    _added[key] = [b2a_base64(array(typecode, code).tobytes(), newline=False).decode("ascii"), all_flags, groups,
                   groupindex]
    return made


def _save_programs() -> None:
    """The entry with this run's new programs added (and those another run added meanwhile); past the bound,
    this run's patterns only."""
    folder = _folder()
    if folder is None or not _added:
        return
    try:
        programs = {**_load_programs(), **_added}
        body = json.dumps({"programs": programs})  # ASCII: read back a third faster
        if len(programs) > _PROGRAMS_MAX or len(body) > _PROGRAMS_BYTES:
            used = {f"{flags} {pattern}" for pattern, flags in _made}
            body = json.dumps({"programs": {k: v for k, v in programs.items() if k in used}})
            if len(body) > _PROGRAMS_BYTES:
                return
        from .safeio import write_atomic

        name = _programs_name()
        write_atomic(folder / name, body.encode("ascii"), folder / f".{name}.{os.getpid()}.tmp")
        _added.clear()
    except (OSError, TypeError, ValueError):
        return
