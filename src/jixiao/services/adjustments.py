"""Use cases of 绩效目标调整: propose, review (the ADJUSTMENT machine), apply on approval.

An approved or published declaration may take an adjustment when its budget is adjusted mid-year
(domain-rules.md §3.2: targets "一般不予调整"; a change follows the 预算调整 approval flow). The unit
proposes changed targets (and possibly 年度资金总额) with a reason; the department and finance grade
it as they grade a declaration; on approval the adjusted document becomes the declaration's, and the
adjustment keeps the original beside it with the date and the reason. Monitoring and the
self-evaluation read the declaration, so from then on they score against the adjusted targets and
say so (:func:`scored_against_line`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from jixiao.db.declarations.models import (
    AdjustmentTransition,
    Declaration,
    Indicator,
    Status,
    TargetAdjustment,
)
from jixiao.domain import adjustment as rules
from jixiao.domain import workflow
from jixiao.domain.errors import (
    InputError,
    Location,
    MoneyError,
    NotFound,
    WorkflowError,
)
from jixiao.domain.model import Declaration as DomainDeclaration
from jixiao.domain.money import parse_amount
from jixiao.formats.json import from_dict, to_dict
from jixiao.services.declarations import WRITER_ROLES, domain_of, get_visible, stored_as
from jixiao.services.review import review_objects
from jixiao.services.steps import move, note_in_history
from jixiao.services.workflow import allowed_steps, check_step, decide_on

__all__ = [
    "ADJUSTABLE_STATES",
    "OPEN_STATES",
    "adjustment_actions",
    "adjustment_changes",
    "adjustment_transition",
    "can_propose",
    "get_adjustment",
    "in_force",
    "open_adjustment",
    "propose",
    "scored_against_line",
    "unit_writer",
]

# Only approved targets are adjusted (before approval the unit simply edits its draft).
ADJUSTABLE_STATES = (Status.APPROVED, Status.PUBLISHED)
# An adjustment still being written or reviewed: at most one a declaration at a time.
OPEN_STATES = (Status.DRAFT, Status.SUBMITTED, Status.DEPT_REVIEW, Status.FINANCE_REVIEW, Status.RETURNED)
MACHINE = workflow.ADJUSTMENT


def unit_writer(user: Any, obj: Declaration) -> bool:
    """Return True when ``user`` writes for the declaration's unit (its filler or head, or an admin)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_admin_role) or (
        user.role in WRITER_ROLES and user.organisation_id == obj.organisation_id
    )


def open_adjustment(obj: Declaration) -> TargetAdjustment | None:
    """Return the declaration's adjustment still being written or reviewed, if any."""
    return obj.adjustments.filter(status__in=OPEN_STATES).order_by("-id").first()


def can_propose(user: Any, obj: Declaration) -> bool:
    """Return True when ``user`` may start an adjustment of ``obj`` now (its unit, approved, none open)."""
    return unit_writer(user, obj) and obj.status in ADJUSTABLE_STATES and open_adjustment(obj) is None


def get_adjustment(user: Any, pk: int) -> TargetAdjustment:
    """Return adjustment ``pk`` if the user may see its declaration, else raise NotFound."""
    adj = TargetAdjustment.objects.select_related("declaration", "organisation").filter(pk=pk).first()
    if adj is None:
        raise NotFound()
    get_visible(user, adj.declaration_id)  # NotFound outside the user's scope
    return adj


def _refuse(zh: str, en: str) -> WorkflowError:
    return WorkflowError(zh, en, code="JX-E773")


def _parse_annual(text: str | Decimal | None) -> Decimal | None:
    if text is None or isinstance(text, Decimal):
        return text
    text = str(text).strip()
    if not text:
        return None
    try:
        return parse_amount(text)
    except MoneyError as exc:
        raise rules.invalid_adjustment(
            f"调整后的年度资金总额「{text[:40]}」无法识别：{exc.message_zh}",
            f"the adjusted annual amount '{text[:40]}' is unreadable: {exc.message_en}",
            "funding.annual",
        ) from exc


def _checked(
    original: DomainDeclaration, targets: Mapping[int, str], annual: str | Decimal | None, reason: str
) -> tuple[DomainDeclaration, str]:
    """Return the adjusted declaration and the cleaned reason, or raise a catalogued InputError."""
    reason = (reason or "").strip()
    if not reason:
        raise InputError(
            "请说明调整原因（如年中预算调整的批复文号与调整内容）",
            "say why the targets change (for example the mid-year budget adjustment)",
            code="JX-E770",
            where=Location(field="reason"),
        )
    if len(reason) > rules.MAX_REASON:
        raise InputError(
            f"调整原因过长（{len(reason)} 字，至多 {rules.MAX_REASON} 字）",
            f"the reason is too long ({len(reason)} characters, at most {rules.MAX_REASON})",
            code="JX-E770",
            where=Location(field="reason"),
        )
    adjusted = rules.adjusted_declaration(original, targets, _parse_annual(annual))
    if not rules.changes(original, adjusted):
        raise InputError(
            "调整申请没有改变任何目标值或资金",
            "the adjustment changes no target value and no amount",
            code="JX-E771",
            where=Location(field="indicators"),
        )
    return adjusted, reason


def propose(
    user: Any,
    pk: int,
    *,
    targets: Mapping[int, str],
    annual: str | Decimal | None = None,
    reason: str = "",
    adjustment_pk: int | None = None,
) -> TargetAdjustment:
    """Create (or, for a draft or returned one, rewrite) an adjustment of declaration ``pk``.

    ``targets`` maps an indicator's position to its adjusted 指标值; ``annual`` is the adjusted
    年度资金总额 (None keeps it). The adjustment starts as a draft the unit then submits.
    """
    obj = get_visible(user, pk)
    if not unit_writer(user, obj):
        raise _refuse(
            "只有本单位的填报人或单位负责人可以申请调整绩效目标",
            "only the unit may propose a target adjustment",
        )
    if obj.status not in ADJUSTABLE_STATES:
        raise _refuse(
            "只有已批复或已公开的申报表才能调整绩效目标（审核前请直接修改申报表）",
            "only an approved or published declaration takes an adjustment (before approval, edit the draft)",
        )
    current = open_adjustment(obj)
    if adjustment_pk is None and current is not None:
        raise _refuse(
            "此申报表已有一份调整申请在办理中", "this declaration already has an adjustment in progress"
        )
    if adjustment_pk is not None and (current is None or current.pk != adjustment_pk):
        raise _refuse("此调整申请已结束，不能再修改", "this adjustment is closed")
    if current is not None and current.status not in (Status.DRAFT, Status.RETURNED):
        raise _refuse(
            "调整申请正在审核中，退回后才能修改", "the adjustment is under review: it changes once returned"
        )
    original = domain_of(obj)
    adjusted, reason = _checked(original, targets, annual, reason)
    with transaction.atomic():
        if current is None:
            current = TargetAdjustment(
                declaration=obj, organisation=obj.organisation, created_by=user, original=obj.document
            )
        current.reason = reason
        current.adjusted = to_dict(adjusted)
        current._history_user = user  # type: ignore[attr-defined]
        current.save()
    return current


def adjustment_changes(adj: TargetAdjustment) -> list[rules.Change]:
    """Return what the adjustment changes (indicator targets, 年度资金总额)."""
    original, adjusted = from_dict(adj.original), from_dict(adj.adjusted)
    assert isinstance(original, DomainDeclaration) and isinstance(adjusted, DomainDeclaration)
    return rules.changes(original, adjusted)


def _problems(adj: TargetAdjustment) -> list[workflow.Problem]:
    problems = []
    if not adj.reason.strip():
        problems.append(workflow.Problem("缺少调整原因", "the reason is missing", "reason"))
    if not adjustment_changes(adj):
        problems.append(workflow.Problem("没有改变任何目标值或资金", "nothing is changed", "indicators"))
    return problems


def adjustment_actions(user: Any, adj: TargetAdjustment) -> list[workflow.Step]:
    """Return the steps ``user`` may take on ``adj`` now (buttons, the API)."""
    return allowed_steps(MACHINE, user, adj)


def adjustment_transition(
    user: Any, pk: int, action_key: str, *, grade: str = "", comment: str = "", on: date | None = None
) -> TargetAdjustment:
    """Take ``action_key`` on adjustment ``pk`` and record it; on final approval apply it.

    Approval writes the adjusted document into the declaration (a new version, its history saying
    why) and dates the adjustment (today, or ``on`` for the demo's past year); the original stays
    in ``adj.original``.
    """
    adj = get_adjustment(user, pk)
    step = check_step(MACHINE, user, adj, action_key)
    decision = decide_on(MACHINE, step, user, adj, _problems, grade=grade, comment=comment)
    with transaction.atomic():
        updates: dict[str, Any] = {}
        if step.needs_grade:
            updates["grade"] = decision.grade
        elif step.key == "submit":
            updates["grade"] = ""
        approved = decision.to_state == Status.APPROVED
        if approved:
            updates["approved_on"] = on or timezone.localdate()
        move(adj, decision, user, AdjustmentTransition, updates, adjustment=adj)
        note_in_history(adj, user, step.label, decision.comment)
        if approved:
            _apply_to_declaration(user, adj)
    if approved:
        # The stored findings and machine grade describe the targets in force (the adjusted ones).
        review_objects([Declaration.objects.get(pk=adj.declaration_id)])
    return adj


def _apply_to_declaration(user: Any, adj: TargetAdjustment) -> None:
    """Make the approved adjustment the declaration's document (targets, funds) as a new version."""
    obj = Declaration.objects.select_for_update().get(pk=adj.declaration_id)
    doc = stored_as(adj.adjusted, DomainDeclaration)
    obj.document = to_dict(doc)
    obj.annual_amount = doc.funding.annual
    obj.version += 1
    obj._history_user = user  # type: ignore[attr-defined]
    day = adj.approved_on.isoformat() if adj.approved_on else ""
    obj._change_reason = f"绩效目标调整（{day}）：{adj.reason}"[:100]  # type: ignore[attr-defined]
    obj.save()
    for n, ind in enumerate(doc.indicators):
        Indicator.objects.filter(declaration=obj, position=n).update(
            target_text=ind.target.text[:300], target_kind=ind.target.kind
        )


def approved_adjustments(obj: Declaration) -> QuerySet[TargetAdjustment]:
    """Return the declaration's approved adjustments, oldest first."""
    return obj.adjustments.filter(status=Status.APPROVED, approved_on__isnull=False).order_by(
        "approved_on", "id"
    )


def in_force(obj: Declaration) -> rules.InForce | None:
    """Return the adjustment in force for ``obj`` (the latest approved), or None."""
    return rules.in_force(approved_adjustments(obj).values_list("approved_on", "reason"))


def original_annual(obj: Declaration) -> Decimal | None:
    """Return 年度资金总额 as first approved (before any adjustment), or None when never adjusted."""
    first = approved_adjustments(obj).first()
    if first is None:
        return None
    doc = stored_as(first.original, DomainDeclaration)
    return doc.funding.annual


def scored_against_line(obj: Declaration, lang: str = "zh", targets: list[str] | None = None) -> str | None:
    """Return "按调整后目标（2026-07-15 调整）评分" when ``obj``'s targets were adjusted, else None.

    ``targets`` are the target texts a report was scored against: the line is said only when they
    are the declaration's adjusted ones (a 1–6月 report written before the adjustment was not).
    """
    if targets is not None:
        current = [i.get("target", {}).get("text") for i in obj.document.get("indicators") or []]
        if targets != current:
            return None
    line = rules.scored_against(in_force(obj))
    if line is None:
        return None
    return line[1] if lang == "en" else line[0]
