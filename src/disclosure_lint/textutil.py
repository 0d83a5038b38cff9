"""Small text helpers shared by the stages: width folding, label normalisation, similarity."""

from __future__ import annotations

from functools import lru_cache

from .compiled import regex

# Full-width digits and the punctuation that varies between 1.／1．／1、 and （）/().
_FOLD = tuple(zip("０１２３４５６７８９．，：；（）｜　", "0123456789.,:;()| "))
# Labels are compared without spaces, with one form of each number mark.
_LABEL_FOLD = (("、", "."), ("．", "."), ("（", "("), ("）", ")"), ("“", '"'), ("”", '"'),
               ("：", ":"), ("，", ","), ("；", ";"), ("—", "-"), ("－", "-"))
_SPACES = regex(r"[\s\u3000\u00a0|]+")

CN_NUMERALS = "一二三四五六七八九十"


def _replace_all(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    # A chain of str.replace, each a C scan that copies nothing when the character is absent: on Chinese
    # text some 40 times faster than str.translate, which looks every character up in a dict.
    for a, b in pairs:
        if a in text:
            text = text.replace(a, b)
    return text


def fold_digits(text: str) -> str:
    """Full-width digits and ASCII-able punctuation to their half-width forms (one character for one,
    so offsets are kept)."""
    return _replace_all(text, _FOLD)


@lru_cache(maxsize=16384)  # the same labels come back in every report (the template's), and in one many times
def norm_label(text: str) -> str:
    """Canonical form of a label for matching: no spaces, unified marks and digits."""
    return _replace_all(_SPACES.sub("", fold_digits(text)), _LABEL_FOLD)


def cn_number(text: str) -> int | None:
    """一..九十九 as an int (enough for heading numbers)."""
    if not text or any(ch not in CN_NUMERALS for ch in text):
        return None
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN_NUMERALS.index(tens) + 1 if tens else 1) * 10 + (
            CN_NUMERALS.index(ones) + 1 if ones else 0)
    if len(text) == 1:
        return CN_NUMERALS.index(text) + 1
    return None


def cn_numeral(n: int) -> str:
    """1..10 as 一..十."""
    return CN_NUMERALS[n - 1] if 1 <= n <= 10 else str(n)


def bigrams(text: str) -> frozenset[str]:
    # each character joined to the next, in C
    return frozenset(map(str.__add__, text, text[1:])) if len(text) > 1 else frozenset({text})


def display_width(text: str) -> int:
    """Terminal cells: East Asian wide and full-width characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
