"""The templates in rules/template-*.yaml: section titles, table rows, and matching against them."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import NamedTuple

from .compiled import regex
from .textutil import bigrams, norm_label
from .yamlload import ConfigError, load_yaml

TEMPLATE_FILES = ("template-2021.yaml", "template-2019.yaml", "template-pre2019.yaml")
_ITEM_PREFIX = regex(r"^(?:\d{1,2}\.|\([一二三四五六七八九十]{1,2}\)|[一二三四五六七八九十]{1,2}\.)")


def rules_dir() -> Path:
    """The rule data: inside the installed package, or the repository's top-level rules/."""
    here = Path(__file__).resolve().parent
    packaged = here / "rules"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "rules"


class SectionSpec(NamedTuple):
    id: str
    number: int
    title: str
    variants: tuple[str, ...]
    keywords: tuple[str, ...] = ()  # words that name the section in running text (the preamble's list)

    @property
    def titles(self) -> tuple[str, ...]:
        return (self.title, *self.variants)


@dataclass(frozen=True)
class RowSpec:
    id: str
    label: str | None
    columns: tuple[str, ...]
    decimal: bool = False

    @cached_property
    def key(self) -> str:
        """The label's normalised form, the thing matched against text."""
        return norm_label(self.label or "")

    @property
    def core(self) -> str:
        """The label without its item number (`1.`, `（一）`, `一、`)."""
        return _ITEM_PREFIX.sub("", self.key)

    @cached_property
    def grams(self) -> frozenset[str]:
        return bigrams(self.key)


@dataclass(frozen=True)
class Condensed:
    """One row of an older layout printed in place of several template rows (（六）其他处理)."""

    id: str
    label: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]

    @cached_property
    def spec(self) -> RowSpec:
        return RowSpec(self.id, self.label, self.columns)


@dataclass(frozen=True)
class TableSpec:
    id: str
    name: dict[str, str]
    starts: tuple[str, ...]
    headers: tuple[str, ...]
    groups: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[RowSpec, ...]
    # each row's sums: the parts (contiguous column indexes) and the total right after them
    row_blocks: tuple[tuple[int, ...], ...] = ()
    # column relations: the sum of the lhs rows equals the sum of the rhs rows, in every column
    relations: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    condensed: Condensed | None = None
    short: str | None = None  # the display name of a row without a label (表四)
    stated: tuple[dict, ...] = ()  # prose patterns stating a table quantity: {pattern, equals}

    def row(self, row_id: str) -> RowSpec | None:
        if self.condensed and row_id == self.condensed.id:
            return self.condensed.spec
        return self._by_id.get(row_id)

    @cached_property
    def _by_id(self) -> dict[str, RowSpec]:
        return {r.id: r for r in self.rows}

    @property
    def row_width(self) -> int:
        return sum(len(b) + 1 for b in self.row_blocks)

    def substitute(self, row_ids: Sequence[str], present: Collection[str]) -> tuple[str, ...]:
        """Row ids of a relation with a condensed row standing for its parts where it was printed."""
        c = self.condensed
        if c is None or c.id not in present or any(r in present for r in c.rows):
            return tuple(row_ids)
        out: list[str] = []
        for r in row_ids:
            if r in c.rows:
                if c.id not in out:
                    out.append(c.id)
            else:
                out.append(r)
        return tuple(out)


class Template(NamedTuple):
    id: str
    years: tuple[int | None, int | None]
    markers: tuple[str, ...]
    sections: tuple[SectionSpec, ...]
    tables: dict[str, TableSpec]

    def section(self, section_id: str) -> SectionSpec | None:
        return next((s for s in self.sections if s.id == section_id), None)


def _as_tuple(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _template(path: Path) -> Template:
    data = load_yaml(path)
    try:
        sections = tuple(
            SectionSpec(s["id"], int(s["number"]), s["title"], _as_tuple(s.get("variants", [])),
                        _as_tuple(s.get("keywords", [])))
            for s in data["sections"]
        )
        tables = {}
        for table_id, t in (data.get("tables") or {}).items():
            columns = _as_tuple(t.get("columns", []))
            rows = tuple(
                RowSpec(r["id"], r.get("label"), _as_tuple(r.get("columns")) or columns,
                        bool(r.get("decimal", False)))
                for r in t["rows"]
            )
            cond = t.get("condensed")
            tables[table_id] = TableSpec(
                table_id, dict(t.get("name", {})), _as_tuple(t.get("starts", [])),
                _as_tuple(t.get("headers", [])), _as_tuple(t.get("groups", [])), columns, rows,
                tuple(tuple(int(i) for i in b) for b in t.get("row_blocks", [])),
                tuple((_as_tuple(lhs), _as_tuple(rhs)) for lhs, rhs in t.get("relations", [])),
                Condensed(str(cond["id"]), str(cond["label"]), _as_tuple(cond["rows"]), columns) if cond else None,
                t.get("short"), tuple(_stated(t.get("stated", []), path)))
        years = data.get("years") or [None, None]
        return Template(str(data["id"]), (years[0], years[1]), _as_tuple(data.get("markers", [])),
                        sections, tables)
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: malformed template ({exc!r})") from None


def _stated(entries: object, path: Path) -> list[dict]:
    out = []
    for e in entries if isinstance(entries, list) else []:
        try:
            regex(e["pattern"])
            equals = [[str(ref) for ref in alt] for alt in e["equals"]]
        except (KeyError, TypeError, re.error) as exc:
            raise ConfigError(f"{path}: malformed stated entry ({exc!r})") from None
        out.append({"pattern": e["pattern"], "equals": equals})
    return out


@cache
def templates() -> tuple[Template, ...]:
    base = rules_dir()
    return tuple(_template(base / name) for name in TEMPLATE_FILES)


@cache
def template(template_id: str) -> Template:
    return next(t for t in templates() if t.id == template_id)


@cache
def section_titles() -> tuple[tuple[str, str, str], ...]:
    """(normalised title, section id, template id) for every known title, longest first."""
    seen: dict[str, tuple[str, str, str]] = {}
    for t in templates():  # in priority order: a title shared by two templates is the newer one's
        for s in t.sections:
            for title in s.titles:
                seen.setdefault(norm_label(title), (norm_label(title), s.id, t.id))
    return tuple(sorted(seen.values(), key=lambda x: -len(x[0])))


def match_section_title(title: str) -> tuple[str, str] | None:
    """The (section id, template id) whose title the heading text starts with, if any."""
    key = norm_label(title)
    for known, section_id, template_id in section_titles():
        if key.startswith(known):
            return section_id, template_id
    return None


def near_section_title(title: str) -> tuple[str, str, str] | None:
    """(section id, template id, known title) of a heading that misspells a known title: the same
    length give or take two characters and at most two characters different (讼诉 for 诉讼)."""
    from difflib import SequenceMatcher

    key = norm_label(title)
    if not 4 <= len(key) <= 40:
        return None
    best = None
    for known, section_id, template_id in section_titles():
        if abs(len(known) - len(key)) > 2 or len(known) < 6:
            continue
        ratio = SequenceMatcher(None, key, known, autojunk=False).ratio()
        if ratio >= 1 - 4 / (len(key) + len(known)) and (best is None or ratio > best[0]):
            best = (ratio, section_id, template_id, known)
    return best[1:] if best else None


@cache
def row_labels() -> tuple[str, ...]:
    """Every printed table label (rows, groups, headers) of every template, longest first."""
    labels: set[str] = set()
    for t in templates():
        for table in t.tables.values():
            labels.update(r.label for r in table.rows if r.label)
            labels.update(table.groups)
            labels.update(table.headers)
    return tuple(sorted(labels, key=len, reverse=True))


@cache
def non_section_heading_keys() -> frozenset[str]:
    """Table labels shaped like section headings (`一、本年新收…`, `三、本年度办理结果`)."""
    keys = set()
    for label in row_labels():
        k = norm_label(label)
        if re.match(r"^[一二三四五六七八九十]{1,2}\.", k):
            keys.add(k)
    return frozenset(keys)
