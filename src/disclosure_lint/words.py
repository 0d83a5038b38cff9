"""What the operating system and dlint's own plumbing say, in Chinese for a Chinese user.

OS error reasons come from strerror in English whatever the locale; a clerk reading 无法读取文件 should
not then read "No such file or directory". Reasons are kept in English where they arise (logs, JSON) and
put into the user's language where they are printed.
"""

from __future__ import annotations

import errno
import os
import re

from .compiled import regex

_ERRNO_ZH = {
    errno.ENOENT: "文件或文件夹不存在", errno.EACCES: "没有访问权限", errno.EPERM: "不允许的操作",
    errno.EISDIR: "是文件夹", errno.ENOTDIR: "不是文件夹", errno.ELOOP: "符号链接层数过多",
    errno.ENAMETOOLONG: "文件名过长", errno.EROFS: "只读文件系统", errno.ENOSPC: "磁盘空间不足",
    errno.EBUSY: "设备或资源忙", errno.EIO: "输入输出错误", errno.EEXIST: "文件已存在",
    errno.EXDEV: "不能跨文件系统移动", errno.EMFILE: "打开的文件过多", errno.EINVAL: "无效的参数",
    errno.EDQUOT: "超出磁盘配额", errno.ETXTBSY: "文件正被使用", errno.ENXIO: "没有该设备或地址",
}
_BY_TEXT = {os.strerror(code): zh for code, zh in _ERRNO_ZH.items()}
# dlint's own reasons and notices (DL004, fixes, configuration, baseline, cache), English -> Chinese; whole
# sentences first, then the words that recur in the rest.
_SENTENCES = [
    (r"a link to (.+), outside the checked folders; not fixed \(--force-fix to write it\)",
     r"是指向检查范围以外（\1）的链接，未修复（用 --force-fix 强制写入）"),
    (r"read-only; not fixed \(--force-fix to write it\)", "只读，未修复（用 --force-fix 强制写入）"),
    (r"has (\d+) hard links, which would keep the old text; not fixed \(--force-fix to write it\)",
     r"有\1个硬链接，其他链接会保留旧文本，未修复（用 --force-fix 强制写入）"),
    (r"changed on disk while being fixed; not fixed", "修复期间文件在磁盘上被改动，未修复"),
    (r"the fixed text cannot be written as (\S+); not fixed", r"修复后的文本无法按\1编码写出，未修复"),
    (r"not a dlint cache \(no CACHEDIR\.TAG\): left untouched", "不是dlint的缓存（没有CACHEDIR.TAG），未改动"),
    (r"removed dlint's entries; kept (\d+) other item\(s\)", r"已删除dlint的缓存条目；保留了\1个其他项目"),
    (r"^no cache$", "没有缓存"), (r"^removed$", "已删除"),
    (r"cannot read the baseline", "无法读取基线文件"), (r"not a dlint baseline of version (\d+) \(write one with --write-baseline\)",
                                                  r"不是第\1版的dlint基线文件（用 --write-baseline 重新生成）"),
    (r"not a dlint baseline", "不是dlint基线文件"),
    (r"unknown key `([^`]+)` \(allowed: ([^)]*)\)", r"未知的配置项 `\1`（可用：\2）"),
    (r"`([^`]+)` must be ", r"`\1` 应为"), (r"invalid YAML", "YAML格式错误"), (r"invalid TOML", "TOML格式错误"),
    (r"nested too deeply", "嵌套层数过多"), (r"folder cannot be read", "无法读取文件夹"),
    (r"cannot read as (\w+)", r"无法按\1格式读取"), (r"cannot read", "无法读取"), (r"cannot write", "无法写入"),
    (r"is a directory", "是文件夹"), (r"not a regular file", "不是普通文件"), (r"--fix failed", "--fix 失败"),
    (r"internal error while parsing", "解析时的内部错误"),
]
_COMPILED = [(regex(a), b) for a, b in _SENTENCES]
_OS = regex("|".join(re.escape(k) for k in sorted(_BY_TEXT, key=len, reverse=True)))


def reason(exc: OSError, lang: str = "en") -> str:
    """Why an OS call failed, in the user's language."""
    if lang == "zh" and exc.errno in _ERRNO_ZH:
        return _ERRNO_ZH[exc.errno]
    return exc.strerror or type(exc).__name__


def localise(text: str, lang: str) -> str:
    """A reason built in English (strerror texts and dlint's phrases inside it) in the user's language."""
    if lang != "zh" or not text:
        return text
    text = _OS.sub(lambda m: _BY_TEXT[m.group()], text)
    for pattern, zh in _COMPILED:
        text = pattern.sub(zh, text)
    return text
