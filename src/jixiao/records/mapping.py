"""Column mapping: which column of an export holds which field, proposed from the header names.

Exports name their columns in Chinese (办结时间, 工单编号) or English (closed_date, unique_key); the
proposal folds width and case, drops spaces and punctuation and looks the header up among each
field's names (:attr:`Field.aliases`). An exact match is ``sure``; a header that merely contains a
field's name is proposed but marked unsure, so the mapping step shows it for the user to confirm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.domain.text import fold
from jixiao.records.errors import RecordFileError
from jixiao.records.schema import FIELDS, Field, RecordKind

__all__ = ["ColumnChoice", "check_mapping", "normalise_header", "propose_mapping"]

_PUNCT = re.compile(r"[\s_\-—/\\()（）\[\]【】:：.·、*#]+")


def normalise_header(text: str) -> str:
    """Return ``text`` folded (full width → half width, lower case) without spaces or punctuation."""
    return _PUNCT.sub("", fold(text).lower())


@dataclass(frozen=True, slots=True)
class ColumnChoice:
    """The proposal for one header: the field it maps to (or None) and whether it is sure."""

    header: str
    field: str | None
    sure: bool


def propose_mapping(headers: list[str], kind: RecordKind) -> list[ColumnChoice]:
    """Return one :class:`ColumnChoice` per header; each field is proposed for one header at most."""
    fields = FIELDS[kind]
    exact: dict[str, str] = {}
    for f in fields:
        for alias in f.aliases:
            exact.setdefault(normalise_header(alias), f.name)
    taken: set[str] = set()
    choices: list[ColumnChoice | None] = [None] * len(headers)
    for i, header in enumerate(headers):
        name = exact.get(normalise_header(header))
        if name is not None and name not in taken:
            taken.add(name)
            choices[i] = ColumnChoice(header, name, True)
    for i, header in enumerate(headers):
        if choices[i] is not None:
            continue
        choices[i] = ColumnChoice(header, _contains(normalise_header(header), fields, taken), False)
        if choices[i].field:  # type: ignore[union-attr]
            taken.add(choices[i].field)  # type: ignore[union-attr, arg-type]
    return [c for c in choices if c is not None]


def _contains(norm: str, fields: tuple[Field, ...], taken: set[str]) -> str | None:
    best: tuple[int, str] | None = None
    for f in fields:
        if f.name in taken:
            continue
        for alias in f.aliases:
            a = normalise_header(alias)
            if len(a) >= 2 and a in norm and (best is None or len(a) > best[0]):
                best = (len(a), f.name)
    return best[1] if best else None


def check_mapping(mapping: dict[str, str], headers: list[str], kind: RecordKind, *, has_source: bool) -> None:
    """Raise :class:`RecordFileError` unless ``mapping`` (header → field) is usable for ``kind``.

    Every field appears once at most, every header exists, and every required field is mapped
    (``source`` may instead be given for the whole file: ``has_source``).
    """
    names = {f.name: f for f in FIELDS[kind]}
    seen: dict[str, str] = {}
    for header, field in mapping.items():
        if header not in headers:
            raise RecordFileError(
                f"对应关系中的列「{header}」不在文件中",
                f"the mapped column '{header}' is not in the file",
                code="JX-E802",
            )
        if field not in names:
            raise RecordFileError(f"没有字段「{field}」", f"there is no field '{field}'", code="JX-E802")
        if field in seen:
            raise RecordFileError(
                f"字段「{names[field].label_zh}」同时对应了列「{seen[field]}」和「{header}」",
                f"the field '{field}' is mapped from both '{seen[field]}' and '{header}'",
                code="JX-E802",
            )
        seen[field] = header
    required = [f for f in FIELDS[kind] if f.required]
    if kind == "case" and not has_source:
        required.append(names["source"])
    for f in required:
        if f.name not in seen:
            raise RecordFileError(
                f"必填字段「{f.label_zh}」（{f.name}）没有对应的列",
                f"the required field '{f.label_en}' ({f.name}) has no column",
                code="JX-E801",
            )
