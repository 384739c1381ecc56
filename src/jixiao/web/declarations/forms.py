"""The editor's form: posted fields ⇄ the domain Declaration, with per-field error messages.

The indicator table is posted as parallel lists (``ind_level1``, ``ind_level2``, ``ind_name``,
``ind_target``) in row order, so adding, removing and reordering rows in the browser needs no
server round trip. The form state is a plain dict so that a failed save re-renders exactly what the
user typed (a conflicting save keeps the user's input).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.http import QueryDict

from jixiao.domain.errors import DateError, JixiaoError, MoneyError, ValidationError
from jixiao.domain.limits import LIMITS, check_document, check_year
from jixiao.domain.model import FUNDING_FIELDS, Declaration, Funding, Goals, Indicator, Project
from jixiao.domain.money import format_amount, parse_amount, parse_date
from jixiao.domain.targets import try_parse_target

T = TypeVar("T")

__all__ = [
    "FUNDING_FIELDS",
    "PROJECT_FIELDS",
    "declaration_from_post",
    "state_from_document",
    "state_from_post",
]

PROJECT_FIELDS = (
    "project_name",
    "category",
    "nature",
    "competent_department",
    "implementing_unit",
    "start_date",
    "end_date",
)
# The editor keeps everything posted and reports what breaks a limit (jixiao.domain.limits): a
# browser's maxlength would cut a pasted text silently, and so would slicing here.
FIELD_OF_PATH = {
    "year": "year",
    "project.name": "project_name",
    "project.category": "category",
    "project.nature": "nature",
    "project.competent_department": "competent_department",
    "project.implementing_unit": "implementing_unit",
    "goals.overall": "goals_overall",
    "goals.annual": "goals_annual",
}


def _amount_text(value: Any) -> str:
    if value in (None, ""):
        return ""
    # Thousands separators, as on the printed form (1,559,500.00); the reader accepts them back.
    return format_amount(Decimal(str(value)))


def state_from_document(doc: dict[str, Any]) -> dict[str, Any]:
    """Return the editor state of a canonical JSON document."""
    project = doc.get("project") or {}
    funding = doc.get("funding") or {}
    goals = doc.get("goals") or {}
    state: dict[str, Any] = {
        "year": "" if doc.get("year") is None else str(doc["year"]),
        "project_name": project.get("name") or "",
        "goals_overall": goals.get("overall") or "",
        "goals_annual": goals.get("annual") or "",
        "rows": [
            {
                "level1": i.get("level1") or "",
                "level2": i.get("level2") or "",
                "name": i.get("name") or "",
                "target": (i.get("target") or {}).get("text") or "",
            }
            for i in doc.get("indicators") or []
        ],
    }
    for key in PROJECT_FIELDS[1:]:
        state[key] = project.get(key) or ""
    for key in FUNDING_FIELDS:
        state[key] = _amount_text(funding.get(key))
    return state


def state_from_post(post: QueryDict) -> dict[str, Any]:
    """Return the editor state exactly as posted (strings, rows in the posted order)."""
    state: dict[str, Any] = {
        key: (post.get(key) or "").replace("\x00", "")
        for key in ("year", "goals_overall", "goals_annual", *PROJECT_FIELDS, *FUNDING_FIELDS)
    }
    columns = [
        [v.replace("\x00", "") for v in post.getlist(name)]
        for name in ("ind_level1", "ind_level2", "ind_name", "ind_target")
    ]
    count = max((len(c) for c in columns), default=0)
    rows = []
    for n in range(count):
        level1, level2, name, target = (c[n] if n < len(c) else "" for c in columns)
        if level1 or level2 or name.strip() or target.strip():
            rows.append({"level1": level1, "level2": level2, "name": name.strip(), "target": target.strip()})
    state["rows"] = rows
    return state


def _parse_each(
    state: dict[str, Any],
    keys: Iterable[str],
    parse: Callable[[str], T],
    unreadable: type[JixiaoError],
    errors: dict[str, str],
) -> dict[str, T | None]:
    """Return each field of ``keys`` read by ``parse`` (None when blank or unreadable).

    An unreadable one's message goes to ``errors`` under its name, so the editor shows it there.
    """
    out: dict[str, T | None] = {}
    for key in keys:
        text = state[key].strip()
        out[key] = None
        if text:
            try:
                out[key] = parse(text)
            except unreadable as exc:
                errors[key] = exc.message_zh
    return out


def declaration_from_post(state: dict[str, Any]) -> tuple[Declaration, dict[str, str]]:
    """Return the Declaration described by an editor state and the errors by field name.

    Unreadable targets are not errors here: a draft may keep them (shown as invalid) and submission
    refuses them (services.workflow.submission_problems).
    """
    errors: dict[str, str] = {}
    year: int | None = None
    if state["year"].strip():
        try:
            year = int(state["year"].strip()[:12])
            check_year(year)
        except (ValueError, ValidationError):
            year = None
            errors["year"] = f"年度应为 {LIMITS.min_year}–{LIMITS.max_year} 之间的整数"
    if not state["project_name"].strip():
        errors["project_name"] = "项目名称不能为空"
    dates: dict[str, date | None] = _parse_each(
        state, ("start_date", "end_date"), parse_date, DateError, errors
    )
    if dates["start_date"] and dates["end_date"] and dates["start_date"] > dates["end_date"]:
        errors["end_date"] = "计划完成日期早于开始日期"  # domain-rules.md §6: 开始 ≤ 完成
    amounts: dict[str, Decimal | None] = _parse_each(state, FUNDING_FIELDS, parse_amount, MoneyError, errors)
    project = Project(
        name=state["project_name"].strip(),
        category=state["category"].strip() or None,
        nature=state["nature"].strip() or None,
        competent_department=state["competent_department"].strip() or None,
        implementing_unit=state["implementing_unit"].strip() or None,
        start_date=dates["start_date"],
        end_date=dates["end_date"],
    )
    indicators = [
        Indicator(
            level1=row["level1"],
            level2=row["level2"],
            name=row["name"],
            target=try_parse_target(row["target"] or ""),
        )
        for row in state["rows"]
    ]
    doc = Declaration(
        year=year,
        project=project,
        funding=Funding(**amounts),
        goals=Goals(
            overall=state["goals_overall"].strip() or None, annual=state["goals_annual"].strip() or None
        ),
        indicators=indicators,
    )
    try:
        check_document(doc)
    except ValidationError as exc:
        path = exc.where.field or ""
        errors[FIELD_OF_PATH.get(path, "indicators" if path.startswith("indicators") else "all")] = (
            exc.message("zh")
        )
    return doc, errors
