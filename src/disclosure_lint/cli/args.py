"""The command line's arguments: one parser, its help in the user's language."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

from .. import __version__
from ..output import FORMATS

MACHINE_FORMATS = ("json", "json-lines", "sarif", "github", "junit", "gitlab", "html", "csv")


def _lang(args: argparse.Namespace, default: str = "zh") -> str:
    lang = args.lang or os.environ.get("DLINT_LANG") or default
    return "en" if lang.lower().startswith("en") else "zh"


def _explicit_lang(args: argparse.Namespace) -> str | None:
    """The language asked for on the command line or in DLINT_LANG (the configuration comes after)."""
    return _lang(args) if (args.lang or os.environ.get("DLINT_LANG")) else None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dlint", description="政府信息公开工作年度报告合规检查 / compliance linter "
                                "for government information-disclosure annual reports")
    p.add_argument("-V", "--version", action="version", version=f"dlint {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp: argparse.ArgumentParser, formats: Sequence[str]) -> None:
        sp.add_argument("--output-format", "--format", dest="format", choices=formats, default=None,
                        help="output format")
        sp.add_argument("--lang", choices=("zh", "en"), default=None, help="message language (or DLINT_LANG)")
        sp.add_argument("-o", "--output-file", default=None, help="write the output to this file")

    c = sub.add_parser("check", help="check reports (files or directories)")
    c.add_argument("paths", nargs="+", help="report files, or directories searched for *.txt and *.md")
    common(c, FORMATS)
    c.add_argument("--select", default=None, help="comma-separated codes, prefixes (DL2), names or ALL to run")
    c.add_argument("--extend-select", default="", help="codes, prefixes or names to add to the selection")
    c.add_argument("--ignore", default="", help="comma-separated codes, prefixes or names to skip")
    c.add_argument("--rules-file", action="append", default=[], help="an extra YAML rule file")
    c.add_argument("--config", default=None, help="use this .dlint.yaml or pyproject.toml for every file")
    c.add_argument("--isolated", action="store_true", help="ignore all configuration files")
    c.add_argument("--show-settings", action="store_true", help="print the settings used for the first file")
    c.add_argument("--year", type=int, default=None, help="the reporting year, overriding the title's")
    c.add_argument("--agency", default=None, help="the agency's name, overriding the title's")
    c.add_argument("--exclude", default=None, metavar="GLOBS",
                   help="comma-separated globs of files and folders not to check (replaces the configuration's)")
    c.add_argument("--extend-exclude", default=None, metavar="GLOBS", help="globs not to check, added to exclude")
    c.add_argument("--no-respect-gitignore", action="store_true", help="also check files git ignores")
    c.add_argument("--show-files", action="store_true", help="list the files that would be checked, and stop")
    c.add_argument("--stdin-filename", default=None, metavar="NAME",
                   help="with `-` as the path: the name of the report read from standard input (for editors and "
                        "pipelines: its configuration, its format by suffix, the name in the output)")
    c.add_argument("--time-limit", type=float, default=None, metavar="SECONDS",
                   help="seconds one file may take before it is reported as too slow (DL007; default 10)")
    c.add_argument("--fail-on", choices=("error", "warning", "info"), default=None,
                   help="the lowest severity that makes the exit code 1 (default: error)")
    c.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    c.add_argument("--fix", action="store_true", help="apply safe fixes (spaces inside Chinese text) in place")
    c.add_argument("--diff", action="store_true", help="show the safe fixes as a diff, write nothing")
    c.add_argument("--force-fix", action="store_true",
                   help="--fix also read-only files, files with several hard links and links out of the tree")
    c.add_argument("--baseline", default=None, help="report only findings not recorded in this baseline file")
    c.add_argument("--write-baseline", default=None, help="record today's findings in this file and exit 0")
    c.add_argument("--statistics", action="store_true", help="print the count per rule instead of each finding")
    c.add_argument("--previous", action="append", default=[],
                   help="last year's reports (a folder or files), for the cross-year rules DL6xx")
    c.add_argument("--jobs", "-j", type=int, default=None, help="parallel processes (default: all cores)")
    c.add_argument("--cache-dir", default=None, help="where results are cached (default: .dlint_cache)")
    c.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    c.add_argument("--quiet", "-q", action="store_true", help="print findings only, no summary")
    c.add_argument("--no-color", action="store_true", help="no colours (NO_COLOR is respected too)")
    c.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colours: on a terminal (auto), always, or never")

    r = sub.add_parser("rules", help="list all rules")
    common(r, ("full", "json"))
    one = sub.add_parser("rule", help="explain one rule")
    one.add_argument("code", help="rule code or name, e.g. DL201 or requests-balance")
    common(one, ("full", "json"))

    ex = sub.add_parser("extract", help="print the plain text dlint reads from HTML, DOCX or PDF files")
    ex.add_argument("files", nargs="+", help=".html/.htm, .docx or .pdf files (text files are printed as read)")
    ex.add_argument("-o", "--output", default=None,
                    help="write here (a file; with several inputs a folder that gets one .txt each)")

    cl = sub.add_parser("clean", help="remove the result cache")
    cl.add_argument("--cache-dir", default=None, help="the cache folder (default: .dlint_cache)")

    pa = sub.add_parser("parse", help="show what dlint understood of a report")
    pa.add_argument("path")
    common(pa, ("json", "full"))
    return p
