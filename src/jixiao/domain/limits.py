"""The limits of jixiao, in one place, for every way in (web editor, API, import, admin, CLI).

A limit is refused with a :class:`~jixiao.domain.errors.ValidationError` that names the field,
the length found and the limit; nothing is ever cut silently. The web editor shows the same
numbers (``maxlength``, the row counter), the API documents them in its schema, the import and the
admin check them through :func:`check_document`. Each can be changed by the environment variable
of the same name prefixed ``JIXIAO_`` (e.g. ``JIXIAO_MAX_INDICATORS=800``).

Why these numbers: a real 申报表 has 10–60 三级指标 and goals of a few hundred characters; the
limits leave ten times that room while bounding the work of one request (review, export and
PDF rendering are linear in the indicators; 500 indicators export in well under a second).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

from jixiao.domain.errors import Location, ValidationError
from jixiao.domain.model import Document, EvaluatedIndicator, Indicator, SelfEvaluation

__all__ = [
    "LIMITS",
    "Limits",
    "check_document",
    "check_document_count",
    "check_documents",
    "check_indicator_count",
    "check_text",
    "check_year",
    "range_area",
    "text_limit",
]


def _env(name: str, default: int) -> int:
    raw = os.environ.get(f"JIXIAO_{name.upper()}")
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    """Every limit, with its default (override: ``JIXIAO_<NAME>`` in the environment)."""

    max_indicators: int = 500  # 三级指标 per declaration or self-evaluation
    max_documents: int = 1000  # documents per import or per API request
    max_name: int = 300  # 项目名称, 实施单位, 主管部门, 三级指标 name, 指标值
    max_short: int = 100  # 项目类别, 项目性质
    max_level: int = 50  # 一级/二级指标
    max_long_text: int = 5000  # 总体目标, 年度目标, 执行情况, notes
    max_comment: int = 4000  # a reviewer's comment
    min_year: int = 2000  # 预算绩效管理 starts in the 2000s (财预〔2011〕416号)
    max_year: int = 2100
    max_upload_bytes: int = 5 * 1024 * 1024  # a file or an API body
    max_anonymous_body_bytes: int = 1024 * 1024  # a body sent without signing in (pure computations)
    max_uncompressed_bytes: int = 100 * 1024 * 1024  # an xlsx's zip entries together
    max_cells: int = 2_000_000  # cells of an uploaded sheet, merged ranges counted by their area
    max_pages: int = 300  # pages of an uploaded PDF
    max_page_size: int = 500  # items on one page of an API list
    max_concurrent_renders: int = 1  # Excel/PDF renders at once in one server process

    @classmethod
    def from_env(cls) -> Limits:
        """Return the defaults with the environment's overrides."""
        return cls(**{f.name: _env(f.name, f.default) for f in fields(cls)})  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, int]:
        """Return the limits as a plain dict (for the API's /limits endpoint and the editor)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


LIMITS = Limits.from_env()

# Field path → which limit applies (a trailing [] is any row of the list).
_TEXT_FIELDS: dict[str, str] = {
    "project.name": "max_name",
    "project.category": "max_short",
    "project.nature": "max_short",
    "project.competent_department": "max_name",
    "project.implementing_unit": "max_name",
    "goals.overall": "max_long_text",
    "goals.annual": "max_long_text",
    "outcome": "max_long_text",
    "indicators[].level1": "max_level",
    "indicators[].level2": "max_level",
    "indicators[].name": "max_name",
    "indicators[].target": "max_name",
    "indicators[].actual": "max_name",
    "indicators[].deviation_note": "max_long_text",
    "indicators[].baseline": "max_name",
}

_LABELS = {
    "project.name": ("项目名称", "project name"),
    "project.category": ("项目类别", "project category"),
    "project.nature": ("项目性质", "project nature"),
    "project.competent_department": ("主管部门", "competent department"),
    "project.implementing_unit": ("实施单位", "implementing unit"),
    "goals.overall": ("总体目标", "overall goal"),
    "goals.annual": ("年度目标", "annual goal"),
    "outcome": ("执行情况", "outcome"),
    "indicators[].level1": ("一级指标", "level-1 indicator"),
    "indicators[].level2": ("二级指标", "level-2 indicator"),
    "indicators[].name": ("三级指标", "indicator name"),
    "indicators[].target": ("指标值", "target value"),
    "indicators[].actual": ("实际完成值", "actual value"),
    "indicators[].deviation_note": ("偏差原因", "deviation note"),
    "indicators[].baseline": ("上年值", "baseline"),
}


def text_limit(field: str, limits: Limits = LIMITS) -> int:
    """Return the longest text allowed in ``field`` (a path such as ``indicators[].name``)."""
    return int(getattr(limits, _TEXT_FIELDS[field]))


def check_text(field: str, value: str | None, where: str | None = None, limits: Limits = LIMITS) -> None:
    """Raise JX-E751 when ``value`` is longer than the limit of ``field``."""
    if value is None:
        return
    limit = text_limit(field, limits)
    if len(value) > limit:
        zh, en = _LABELS[field]
        raise ValidationError(
            f"{zh}过长：{len(value)} 个字符，上限 {limit} 个",
            f"the {en} is too long: {len(value)} characters, the limit is {limit}",
            code="JX-E751",
            where=Location(field=where or field),
        )


def check_year(year: int | None, where: str = "year", limits: Limits = LIMITS) -> None:
    """Raise JX-E752 when ``year`` is outside the years a budget form can have."""
    if year is None:
        return
    if isinstance(year, bool) or not limits.min_year <= year <= limits.max_year:
        raise ValidationError(
            f"年度 {year} 不在 {limits.min_year}–{limits.max_year} 之间",
            f"the year {year} is not between {limits.min_year} and {limits.max_year}",
            code="JX-E752",
            where=Location(field=where),
        )


def _texts(doc: Document) -> Iterator[tuple[str, str, str | None]]:
    p = doc.project
    for key in ("name", "category", "nature", "competent_department", "implementing_unit"):
        yield f"project.{key}", f"project.{key}", getattr(p, key)
    yield "goals.overall", "goals.overall", doc.goals.overall
    yield "goals.annual", "goals.annual", doc.goals.annual
    if isinstance(doc, SelfEvaluation):
        yield "outcome", "outcome", doc.outcome
    rows: list[Indicator | EvaluatedIndicator] = list(doc.indicators)
    for n, row in enumerate(rows):
        yield "indicators[].level1", f"indicators[{n}].level1", row.level1
        yield "indicators[].level2", f"indicators[{n}].level2", row.level2
        yield "indicators[].name", f"indicators[{n}].name", row.name
        yield "indicators[].target", f"indicators[{n}].target", row.target.text
        if isinstance(row, EvaluatedIndicator):
            yield "indicators[].actual", f"indicators[{n}].actual", row.actual
            yield "indicators[].deviation_note", f"indicators[{n}].deviation_note", row.deviation_note
            yield "indicators[].baseline", f"indicators[{n}].baseline", row.baseline


def check_indicator_count(count: int, where: str = "indicators", limits: Limits = LIMITS) -> None:
    """Raise JX-E750 when a form has more indicator rows than the limit."""
    if count > limits.max_indicators:
        raise ValidationError(
            f"指标过多：{count} 个，每张表上限 {limits.max_indicators} 个",
            f"too many indicators: {count}, the limit per form is {limits.max_indicators}",
            code="JX-E750",
            where=Location(field=where),
        )


def check_document(doc: Document, path: str = "$", limits: Limits = LIMITS) -> None:
    """Raise a ValidationError naming the first limit ``doc`` breaks: indicators, a text, the year."""
    prefix = "" if path == "$" else f"{path}."
    check_indicator_count(len(doc.indicators), f"{prefix}indicators", limits)
    check_year(doc.year, f"{prefix}year", limits)
    for field, where, value in _texts(doc):
        check_text(field, value, prefix + where, limits)


def check_document_count(count: int, limits: Limits = LIMITS) -> None:
    """Raise JX-E753 when one import or request holds more documents than the limit."""
    if count > limits.max_documents:
        raise ValidationError(
            f"文档过多：{count} 份，一次上限 {limits.max_documents} 份",
            f"too many documents: {count}, the limit at once is {limits.max_documents}",
            code="JX-E753",
            where=Location(field="$"),
        )


def check_documents(docs: list[Any], limits: Limits = LIMITS) -> None:
    """Raise JX-E753 for more documents than one import or request may hold, else check each."""
    check_document_count(len(docs), limits)
    for n, doc in enumerate(docs):
        check_document(doc, f"$[{n}]" if len(docs) > 1 else "$", limits)


def _cell(ref: str) -> tuple[int, int] | None:
    letters = ""
    i = 0
    ref = ref.replace("$", "").upper()
    while i < len(ref) and "A" <= ref[i] <= "Z":
        letters += ref[i]
        i += 1
    digits = ref[i:]
    if not (1 <= len(letters) <= 3 and digits.isdigit() and len(digits) <= 7):
        return None
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    row = int(digits)
    if not (1 <= col <= 16384 and 1 <= row <= 1_048_576):
        return None
    return row, col


def range_area(ref: str) -> int | None:
    """Return the number of cells of a range ``A1:C3`` (or a single cell), None if malformed."""
    parts = ref.strip().split(":")
    if not 1 <= len(parts) <= 2:
        return None
    first, last = _cell(parts[0]), _cell(parts[-1])
    if first is None or last is None:
        return None
    return (abs(last[0] - first[0]) + 1) * (abs(last[1] - first[1]) + 1)
