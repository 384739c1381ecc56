"""Use cases of 事前绩效评估: whether a declaration needs the sheet, read it, save it, and what it
still lacks before the declaration may be submitted (the rules are :mod:`jixiao.evaluation.exante`).

A project is *new* unless jixiao holds a declaration of the same unit and project name for the year
before (a continuing project was assessed when it began). The amount compared with the region's
threshold is 项目资金总额, or 年度资金申请总额 when the total is blank.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction

from jixiao.db.declarations.models import Declaration, Status
from jixiao.db.exante.models import ExAnteSheet
from jixiao.domain.errors import InputError, Location, NotAllowed, WorkflowError
from jixiao.evaluation import exante as rules
from jixiao.evaluation.config import REGION_RULES
from jixiao.services.declarations import can_edit, domain_of

__all__ = [
    "amount_of",
    "can_fill",
    "check_before_submit",
    "is_new",
    "ratings_of",
    "region_rules",
    "required_for",
    "save_sheet",
    "sheet_assessment",
]


def region_rules() -> rules.ExAnteRules:
    """Return the configured region's ex-ante settings (JIXIAO_REGION)."""
    return REGION_RULES[settings.JIXIAO_REGION].exante


def is_new(obj: Declaration) -> bool:
    """Return True unless jixiao holds the same unit's project of the same name the year before."""
    if obj.year is None:
        return True
    return not Declaration.objects.filter(
        organisation_id=obj.organisation_id, year=obj.year - 1, project_name=obj.project_name
    ).exists()


def amount_of(obj: Declaration) -> Decimal | None:
    """Return the amount compared with the threshold: 项目资金总额, else 年度资金申请总额."""
    funding = domain_of(obj).funding
    return funding.total if funding.total is not None else funding.annual


def required_for(obj: Declaration) -> bool:
    """Return True when the declaration needs a complete 事前绩效评估 before it is submitted."""
    return rules.required(is_new=is_new(obj), amount=amount_of(obj), rules=region_rules())


def ratings_of(sheet: ExAnteSheet | None) -> dict[str, rules.Rating]:
    """Return the stored ratings as domain values (empty for no sheet)."""
    if sheet is None:
        return {}
    return {
        key: rules.Rating(str(v.get("rating") or ""), str(v.get("note") or ""))
        for key, v in (sheet.ratings or {}).items()
        if isinstance(v, dict)
    }


def sheet_assessment(obj: Declaration) -> rules.Assessment:
    """Return the declaration's sheet scored (an empty sheet when none is stored)."""
    sheet = ExAnteSheet.objects.filter(declaration=obj).first()
    return rules.assess(ratings_of(sheet), region_rules())


def can_fill(user: Any, obj: Declaration) -> bool:
    """Return True when ``user`` may fill in the sheet: whoever may edit the declaration now."""
    return can_edit(user, obj)


@transaction.atomic
def save_sheet(
    user: Any, obj: Declaration, ratings: Mapping[str, rules.Rating], opinion: str = ""
) -> tuple[ExAnteSheet, rules.Assessment]:
    """Store the sheet with its computed total and conclusion; an incomplete sheet is saved too."""
    obj.refresh_from_db(fields=["status"])  # the state now, not when the caller read it
    if not can_fill(user, obj):
        raise NotAllowed(
            "只有本单位的填报人或单位负责人可以在申报表提交前填写事前绩效评估",
            "only the unit may fill in the ex-ante assessment, before the declaration is submitted",
        )
    for key, rating in ratings.items():
        if key not in rules.ITEM_KEYS:
            raise InputError(f"未知的评估项「{key[:40]}」", f"unknown item '{key[:40]}'", code="JX-E781")
        if rating.rating and rating.rating not in rules.RATINGS:
            raise InputError(
                f"评估项的等级「{rating.rating[:10]}」无效，应为 优/良/中/差",
                f"the grade '{rating.rating[:10]}' is invalid: use 优/良/中/差",
                code="JX-E781",
                where=Location(field=key),
            )
        if len(rating.note) > 500:
            raise InputError(
                "说明过长（至多 500 字）",
                "a note is too long (at most 500 characters)",
                code="JX-E781",
                where=Location(field=key),
            )
    assessment = rules.assess(ratings, region_rules())
    sheet, _ = ExAnteSheet.objects.get_or_create(declaration=obj)
    sheet.ratings = {
        k: {"rating": r.rating, "note": r.note} for k, r in ratings.items() if r.rating or r.note
    }
    sheet.opinion = (opinion or "").strip()[:2000]
    sheet.total, sheet.conclusion, sheet.complete = (
        assessment.total,
        assessment.conclusion,
        assessment.complete,
    )
    sheet.updated_by = user
    sheet._history_user = user  # type: ignore[attr-defined]
    sheet.save()
    return sheet, assessment


def check_before_submit(obj: Declaration) -> None:
    """Refuse submitting a declaration that needs the sheet until the sheet is complete (JX-E780)."""
    if obj.status not in (Status.DRAFT, Status.RETURNED) or not required_for(obj):
        return
    assessment = sheet_assessment(obj)
    if assessment.complete:
        return
    threshold = f"{region_rules().threshold:,.0f}"
    missing = [f"{i.section}·{i.zh}" for i in assessment.missing] + [
        f"{i.section}·{i.zh}" for i, _ in assessment.invalid
    ]
    shown = "、".join(missing[:5]) + ("等" if len(missing) > 5 else "")
    shown_en = ", ".join(
        f"{i.section_en}: {i.en}" for i in (*assessment.missing, *(i for i, _ in assessment.invalid))
    )
    raise WorkflowError(
        f"新增项目金额达到 {threshold} 元，提交前须完成事前绩效评估：尚有 {len(missing)} 项未评价（{shown}）",
        f"a new project of {threshold} yuan or more needs its ex-ante assessment before it is submitted: "
        f"{len(missing)} items are not rated ({shown_en[:300]})",
        code="JX-E780",
    )
