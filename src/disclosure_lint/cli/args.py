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


# argparse's own words (usage, headings, errors), in Chinese when the user reads Chinese.
_ARGPARSE_ZH = {
    "usage: ": "用法：", "positional arguments": "位置参数", "options": "选项", "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出", "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的%(type)s值：%(value)r",
    "expected one argument": "需要一个值", "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确：%(option)s 可以是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
}
_LANG = {"current": "zh"}


def _argparse_text(message: str) -> str:
    return _ARGPARSE_ZH.get(message, message) if _LANG["current"] == "zh" else message


def argv_lang(argv: Sequence[str]) -> str:
    """The language of the help and usage errors: `--lang` on the command line, else DLINT_LANG, else Chinese
    (read before parsing, since the parser itself speaks it)."""
    lang = None
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif a.startswith("--lang="):
            lang = a.split("=", 1)[1]
    lang = lang or os.environ.get("DLINT_LANG") or "zh"
    return "en" if lang.lower().startswith("en") else "zh"


def _parser(lang: str = "zh") -> argparse.ArgumentParser:
    _LANG["current"] = lang
    argparse._ = _argparse_text  # type: ignore[attr-defined]  # argparse looks its words up through this name

    def t(zh: str, en: str) -> str:
        return zh if lang == "zh" else en

    p = argparse.ArgumentParser(prog="dlint", description=t(
        "政府信息公开工作年度报告合规检查。英文帮助：DLINT_LANG=en dlint -h，或 dlint check --lang en -h",
        "compliance linter for government information-disclosure annual reports (政府信息公开工作年度报告)"))
    p.add_argument("-V", "--version", action="version", version=f"dlint {__version__}",
                   help=t("显示版本号并退出", "show the version and exit"))
    sub = p.add_subparsers(dest="command", required=True, title=t("命令", "commands"),
                           metavar="{check,rules,rule,extract,clean,parse}")

    def common(sp: argparse.ArgumentParser, formats: Sequence[str]) -> None:
        sp.add_argument("--output-format", "--format", dest="format", choices=formats, default=None,
                        help=t("输出格式", "output format"))
        sp.add_argument("--lang", choices=("zh", "en"), default=None,
                        help=t("消息语言（也可用环境变量 DLINT_LANG）", "message language (or DLINT_LANG)"))
        sp.add_argument("-o", "--output-file", default=None, help=t("把结果写入该文件", "write the output to this file"))

    c = sub.add_parser("check", help=t("检查报告（文件或文件夹）", "check reports (files or directories)"))
    c.add_argument("paths", nargs="+", help=t(
        "报告文件或文件夹；读取 .txt .md（文本）、.html .htm .shtml .xhtml .aspx .jsp（网页）、.docx、.pdf、"
        ".png .jpg .jpeg .tif .tiff（扫描页）；`-` 为标准输入",
        "report files or folders; reads .txt .md (text), .html .htm .shtml .xhtml .aspx .jsp (pages), .docx, "
        ".pdf and .png .jpg .jpeg .tif .tiff (scanned pages); `-` is standard input"))
    common(c, FORMATS)
    c.add_argument("--select", default=None, help=t("只运行这些规则（逗号分隔的代码、前缀如DL2、名称或ALL）",
                                                    "comma-separated codes, prefixes (DL2), names or ALL to run"))
    c.add_argument("--extend-select", default="", help=t(
        "在所选规则之外再加上这些规则",
        "codes, prefixes or names to add to the selection"))
    c.add_argument("--ignore", default="", help=t("跳过这些规则（逗号分隔）", "comma-separated codes, prefixes or names to skip"))
    c.add_argument("--rules-file", action="append", default=[], help=t("另加一个YAML规则文件", "an extra YAML rule file"))
    c.add_argument("--config", default=None, help=t("对所有文件使用该 .dlint.yaml 或 pyproject.toml",
                                                    "use this .dlint.yaml or pyproject.toml for every file"))
    c.add_argument("--isolated", action="store_true", help=t("忽略所有配置文件", "ignore all configuration files"))
    c.add_argument("--show-settings", action="store_true", help=t(
        "显示第一个文件实际使用的设置",
        "print the settings used for the first file"))
    c.add_argument("--year", type=int, default=None, help=t(
        "报告年度（代替标题中的年度）",
        "the reporting year, overriding the title's"))
    c.add_argument("--agency", default=None, help=t("机关名称（代替标题中的名称）", "the agency's name, overriding the title's"))
    c.add_argument("--exclude", default=None, metavar="GLOBS", help=t(
        "不检查的文件和文件夹（逗号分隔的通配符，取代配置中的exclude）",
        "comma-separated globs of files and folders not to check (replaces the configuration's)"))
    c.add_argument("--extend-exclude", default=None, metavar="GLOBS",
                   help=t("另外不检查的通配符（加在exclude之后）", "globs not to check, added to exclude"))
    c.add_argument("--no-respect-gitignore", action="store_true", help=t("也检查git忽略的文件", "also check files git ignores"))
    c.add_argument("--show-files", action="store_true", help=t(
        "列出将要检查的文件后停止",
        "list the files that would be checked, and stop"))
    c.add_argument("--stdin-filename", default=None, metavar="NAME", help=t(
        "路径为 `-` 时标准输入中报告的名称（决定所用配置、按后缀确定格式、输出中显示的名称）",
        "with `-` as the path: the name of the report read from standard input (for editors and pipelines: its "
        "configuration, its format by suffix, the name in the output)"))
    c.add_argument("--time-limit", type=float, default=None, metavar="SECONDS", help=t(
        "单个文件允许的秒数，超过报告为处理超时（DL007；默认10）",
        "seconds one file may take before it is reported as too slow (DL007; default 10)"))
    c.add_argument("--fail-on", choices=("error", "warning", "info"), default=None, help=t(
        "使退出码为1的最低严重程度（默认error）", "the lowest severity that makes the exit code 1 (default: error)"))
    c.add_argument("--exit-zero", action="store_true", help=t("有问题时也以0退出", "exit 0 even when there are findings"))
    c.add_argument("--fix", action="store_true", help=t("就地应用安全的自动修复（中文之间的空格）",
                                                        "apply safe fixes (spaces inside Chinese text) in place"))
    c.add_argument("--diff", action="store_true", help=t(
        "以diff显示安全修复，不写文件",
        "show the safe fixes as a diff, write nothing"))
    c.add_argument("--force-fix", action="store_true", help=t(
        "--fix 也修改只读文件、有多个硬链接的文件和指向目录外的链接",
        "--fix also read-only files, files with several hard links and links out of the tree"))
    c.add_argument("--baseline", default=None, help=t("只报告基线文件中没有记录的问题",
                                                      "report only findings not recorded in this baseline file"))
    c.add_argument("--write-baseline", default=None, help=t("把当前的问题记入该基线文件并以0退出",
                                                            "record today's findings in this file and exit 0"))
    c.add_argument("--statistics", action="store_true", help=t("按规则统计问题数，不逐条列出",
                                                               "print the count per rule instead of each finding"))
    c.add_argument("--previous", action="append", default=[], help=t(
        "上一年度的报告（文件夹或文件），用于跨年度规则DL6xx",
        "last year's reports (a folder or files), for the cross-year rules DL6xx"))
    c.add_argument("--jobs", "-j", type=int, default=None, help=t("并行进程数（默认：全部CPU核）",
                                                                   "parallel processes (default: all cores)"))
    c.add_argument("--cache-dir", default=None, help=t(
        "结果缓存的位置（默认 .dlint_cache）",
        "where results are cached (default: .dlint_cache)"))
    c.add_argument("--no-cache", action="store_true", help=t("不读也不写缓存", "neither read nor write the cache"))
    c.add_argument("--quiet", "-q", action="store_true", help=t("只输出问题，不输出汇总", "print findings only, no summary"))
    c.add_argument("--no-color", action="store_true", help=t(
        "不使用颜色（也遵守NO_COLOR）",
        "no colours (NO_COLOR is respected too)"))
    c.add_argument("--color", choices=("auto", "always", "never"), default="auto", help=t(
        "颜色：终端上使用（auto）、总是（always）或从不（never）", "colours: on a terminal (auto), always, or never"))

    c.add_argument("--aggregates", default=None, metavar="FILE", help=t(
        "声明汇总报告及其下属单位报告的YAML文件：逐格核对汇总表三、表四等于各下属单位之和（DL604、DL605）",
        "a YAML file declaring aggregate reports and their members: tables 三 and 四 checked cell by cell against "
        "the members' sums (DL604, DL605)"))
    c.add_argument("--annotate", default=None, metavar="DIR", help=t(
        "同时把每份报告的问题标注在原文件的副本上，写入该文件夹（见 dlint annotate）",
        "also write each report's copy with its findings marked into this folder (see dlint annotate)"))

    an = sub.add_parser("annotate", help=t("把问题标注在报告副本上：Word批注、PDF高亮、文本旁注",
                                           "mark the findings on copies of the reports: Word comments, PDF highlights"))
    an.add_argument("paths", nargs="+", help=t("报告文件或文件夹", "report files or folders"))
    an.add_argument("-o", "--output-dir", default="dlint-annotated", metavar="DIR",
                    help=t("副本写入的文件夹（默认 dlint-annotated）；原文件不会被改动",
                           "where the copies go (default: dlint-annotated); the originals are never written"))
    an.add_argument("--lang", choices=("zh", "en"), default=None,
                    help=t("批注语言（也可用环境变量 DLINT_LANG）", "language of the notes (or DLINT_LANG)"))
    an.add_argument("--config", default=None, help=t("对所有文件使用该配置文件", "use this configuration for every file"))
    an.add_argument("--isolated", action="store_true", help=t("忽略所有配置文件", "ignore all configuration files"))

    r = sub.add_parser("rules", help=t("列出所有规则", "list all rules"))
    common(r, ("full", "json"))
    one = sub.add_parser("rule", help=t("说明一条规则：检查什么、为什么、怎么改、例子",
                                        "explain one rule: what, why, how to fix, examples"))
    one.add_argument("code", help=t(
        "规则代码或名称，如 DL201 或 requests-balance",
        "rule code or name, e.g. DL201 or requests-balance"))
    common(one, ("full", "json"))

    ex = sub.add_parser("extract", help=t("输出dlint从HTML、DOCX、PDF文件或扫描页图片中读出的文本",
                                          "print the plain text dlint reads from HTML, DOCX, PDF files or page images"))
    ex.add_argument("files", nargs="+", help=t(
        ".html/.htm、.docx、.pdf 文件或 .png/.jpg/.tif 扫描页（扫描件需 ocr 扩展；文本文件按读取的样子输出）",
        ".html/.htm, .docx, .pdf files or .png/.jpg/.tif page images (scans need the ocr extra; text files are "
        "printed as read)"))
    ex.add_argument("-o", "--output", default=None, help=t(
        "写到这里（一个文件；多个输入时为文件夹，每个输入一个 .txt）",
        "write here (a file; with several inputs a folder that gets one .txt each)"))
    ex.add_argument("--cache-dir", default=None, help=t(
        "扫描件OCR结果与检查结果一同缓存的位置（默认 .dlint_cache）",
        "where a scan's OCR readings are cached with the check results (default: .dlint_cache)"))
    ex.add_argument("--no-cache", action="store_true", help=t("不读也不写缓存", "neither read nor write the cache"))
    ex.add_argument("--lang", choices=("zh", "en"), default=None,
                    help=t("消息语言（也可用环境变量 DLINT_LANG）", "message language (or DLINT_LANG)"))

    cl = sub.add_parser("clean", help=t("删除结果缓存", "remove the result cache"))
    cl.add_argument("--lang", choices=("zh", "en"), default=None,
                    help=t("消息语言（也可用环境变量 DLINT_LANG）", "message language (or DLINT_LANG)"))
    cl.add_argument("--cache-dir", default=None, help=t(
        "缓存文件夹（默认 .dlint_cache）",
        "the cache folder (default: .dlint_cache)"))

    pa = sub.add_parser("parse", help=t("显示dlint对一份报告的理解（标题、部分、表格）",
                                        "show what dlint understood of a report (title, sections, tables)"))
    pa.add_argument("path", help=t("报告文件", "the report file"))
    common(pa, ("json", "full"))
    return p
