"""The `dlint` command: check, rules, rule, parse, extract, clean. Exit codes: 0 clean, 1 findings,
2 usage/config/internal. Each command's module is imported only when it runs."""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import sys
import tempfile
from collections.abc import Sequence
from typing import IO, Any, NoReturn

from .args import _parser, argv_lang

_COMMANDS = {"check": ("check", "_cmd_check"), "rules": ("info", "_cmd_rules"), "rule": ("info", "_cmd_rule"),
             "parse": ("info", "_cmd_parse"), "clean": ("info", "_cmd_clean"), "extract": ("info", "_cmd_extract"),
             "annotate": ("handback", "_cmd_annotate")}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser(argv_lang(sys.argv[1:] if argv is None else argv))
    if not (sys.argv[1:] if argv is None else argv):  # `dlint` alone: what it can do, not an error
        parser.print_help()
        return 0
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code in (0, None) else 2
    from ..words import localise, reason
    from ..yamlload import ConfigError

    lang = argv_lang(sys.argv[1:] if argv is None else argv)
    zh = lang == "zh"

    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 is shown escaped, not a crash
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    with contextlib.suppress(ValueError):  # SIGTERM: stop the workers and leave as on Ctrl-C
        signal.signal(signal.SIGTERM, _terminate)
    out: IO[str] = sys.stdout
    target = getattr(args, "output_file", None)
    handle = None
    done = False
    try:
        if target:
            # written beside the target and renamed over it at the end: an interrupted or failed run
            # leaves the previous file whole
            handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="\n", delete=False,  # noqa: SIM115
                                                 dir=os.path.dirname(os.path.abspath(target)),
                                                 prefix=f".{os.path.basename(target)}.", suffix=".dlint-tmp")
            out = handle
        module, name = _COMMANDS[args.command]
        status = getattr(importlib.import_module(f"{__name__}.{module}"), name)(args, out)
        done = True
        return status
    except ConfigError as exc:
        print(f"dlint: {'错误' if zh else 'error'}: {localise(str(exc), lang)}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `dlint check … | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print("dlint: 已中断" if zh else "dlint: interrupted", file=sys.stderr)
        return 130
    except _Terminated:  # the process pool is shut down on the way out (its context manager)
        print("dlint: 已终止" if zh else "dlint: terminated", file=sys.stderr)
        return 143
    except OSError as exc:
        writing = target and handle is not None and exc.filename is None
        name = target if writing else exc.filename
        where = (f"写入{target}时" if zh else f" writing {target}") if writing else ""
        print(f"dlint: {where}错误：{name + '：' if name else ''}{reason(exc, lang)}" if zh
              else f"dlint: error{where}: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a bug is exit 2 with one line, never a traceback read as findings
        print(f"dlint: {'内部错误' if zh else 'internal error'}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    finally:
        if handle:
            _finish_output(handle, target, done, lang)


def run() -> NoReturn:
    """The `dlint` command: `main`, then out without the interpreter's teardown, which frees every module and
    object one by one (some 15 ms, a sixth of a one-report check) though the process is leaving. Everything
    `main` wrote is closed by then; the exit handlers run and the standard streams are flushed first. A
    thread still running, or a stream that cannot be flushed, takes the ordinary way out (which reports it)."""
    code = main()
    threading = sys.modules.get("threading")
    if threading is not None and any(t.is_alive() and not t.daemon for t in threading.enumerate()
                                     if t is not threading.main_thread()):
        sys.exit(code)
    import atexit

    atexit._run_exitfuncs()  # what a normal exit runs (the kept regex programs are saved there)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)


class _Terminated(BaseException):
    pass


def _terminate(_signum: int, _frame: Any) -> None:
    raise _Terminated


def _finish_output(handle: IO[str], target: str, done: bool, lang: str) -> None:
    try:
        if done:
            handle.flush()
            os.fsync(handle.fileno())
        handle.close()
        if done:
            os.replace(handle.name, target)
    except OSError as exc:
        from ..words import reason

        print(f"dlint: 写入{target}时出错：{reason(exc, lang)}；原有文件保持不变" if lang == "zh"
              else f"dlint: error writing {target}: {reason(exc)}; the previous file is left as it was", file=sys.stderr)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)


if __name__ == "__main__":  # pragma: no cover
    run()
