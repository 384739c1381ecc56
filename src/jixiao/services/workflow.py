"""The declaration workflow as one table of actions, each checked on the server.

``draft → submitted → dept_review → finance_review → approved | returned | rejected → published``
(DESIGN.md). Grades follow 财预〔2015〕88号 Arts. 25–29 (domain-rules.md §3.2): 优 passes, 良 passes
after the reviewer's edits, 中 goes back to the unit for revision, 差 "不得进入下一步预算安排流程".
Every transition checks role, organisation scope and state, and is recorded with who, when and why
(:class:`jixiao.web.declarations.models.Transition`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F

from jixiao.domain.errors import WorkflowError
from jixiao.services.declarations import domain_of, get_visible
from jixiao.services.errors import ConflictError, NotAllowed
from jixiao.services.scope import in_scope
from jixiao.web.accounts.models import Role
from jixiao.web.declarations.models import Declaration, Grade, Status, Transition

__all__ = [
    "ACTIONS",
    "Action",
    "allowed_actions",
    "check",
    "grade_outcome",
    "submission_problems",
    "transition",
]


def grade_outcome(grade: str, passed_to: str) -> str:
    """Return the next state for a review ``grade`` (财预〔2015〕88号 Art. 27; domain-rules §3.2)."""
    if grade in (Grade.EXCELLENT, Grade.GOOD):
        return passed_to
    if grade == Grade.FAIR:
        return Status.RETURNED
    if grade == Grade.POOR:
        return Status.REJECTED
    raise WorkflowError(
        f"审核等级「{grade}」无效，应为 优/良/中/差",
        f"invalid grade '{grade}': use 优/良/中/差",
        code="JX-E701",
    )


@dataclass(frozen=True, slots=True)
class Action:
    """One workflow action: who may take it, from which states, and where it leads."""

    key: str
    label: str
    label_en: str
    from_states: tuple[str, ...]
    roles: tuple[str, ...]
    own_unit_only: bool
    needs_grade: bool
    target: Callable[[Any, str], str]  # (user, grade) -> new state
    style: str = "primary"


ACTIONS: dict[str, Action] = {
    a.key: a
    for a in (
        Action(
            "submit",
            "提交",
            "Submit",
            (Status.DRAFT, Status.RETURNED),
            (Role.FILLER, Role.UNIT_HEAD),
            True,
            False,
            # A filler submits to the unit head; the unit head's own submission goes to the department.
            lambda user, grade: Status.DEPT_REVIEW if user.role == Role.UNIT_HEAD else Status.SUBMITTED,
        ),
        Action(
            "forward",
            "报送主管部门",
            "Send to the department",
            (Status.SUBMITTED,),
            (Role.UNIT_HEAD,),
            True,
            False,
            lambda user, grade: Status.DEPT_REVIEW,
        ),
        Action(
            "send_back",
            "退回填报人",
            "Send back to the filler",
            (Status.SUBMITTED,),
            (Role.UNIT_HEAD,),
            True,
            False,
            lambda user, grade: Status.RETURNED,
            "warning",
        ),
        Action(
            "dept_review",
            "主管部门审核",
            "Department review",
            (Status.DEPT_REVIEW,),
            (Role.DEPT_REVIEWER, Role.ADMIN),
            False,
            True,
            lambda user, grade: grade_outcome(grade, Status.FINANCE_REVIEW),
        ),
        Action(
            "finance_review",
            "财政审核",
            "Finance review",
            (Status.FINANCE_REVIEW,),
            (Role.FINANCE_REVIEWER, Role.ADMIN),
            False,
            True,
            lambda user, grade: grade_outcome(grade, Status.APPROVED),
        ),
        Action(
            "publish",
            "公开",
            "Publish",
            (Status.APPROVED,),
            (Role.FINANCE_REVIEWER, Role.ADMIN),
            False,
            False,
            lambda user, grade: Status.PUBLISHED,
            "success",
        ),
    )
}


def _role(user: Any) -> str:
    return Role.ADMIN if user.is_admin_role else str(user.role)


def check(user: Any, obj: Declaration, action_key: str) -> Action:
    """Return the action if ``user`` may take it on ``obj`` now; else raise NotAllowed/WorkflowError."""
    action = ACTIONS.get(action_key)
    if action is None:
        raise WorkflowError(f"未知的操作「{action_key}」", f"unknown action '{action_key}'", code="JX-E702")
    if not getattr(user, "is_authenticated", False) or _role(user) not in action.roles:
        raise NotAllowed(f"您的角色不能执行「{action.label}」", f"your role cannot '{action.label_en}'")
    if not in_scope(user, obj.organisation) or (
        action.own_unit_only and not user.is_admin_role and user.organisation_id != obj.organisation_id
    ):
        raise NotAllowed("该申报表不在您的权限范围内", "this declaration is outside your scope")
    if obj.status not in action.from_states:
        raise WorkflowError(
            f"申报表当前状态为「{obj.get_status_display()}」，不能执行「{action.label}」",
            f"the declaration is '{obj.status}': '{action.label_en}' is not possible now",
            code="JX-E703",
        )
    return action


def allowed_actions(user: Any, obj: Declaration) -> list[Action]:
    """Return the actions ``user`` may take on ``obj`` now (for buttons and the API)."""
    out = []
    for key in ACTIONS:
        try:
            out.append(check(user, obj, key))
        except WorkflowError:
            continue
    return out


def submission_problems(obj: Declaration) -> list[tuple[str, str]]:
    """Return (zh, en) problems that block submission: no name, no indicator, unreadable targets."""
    doc = domain_of(obj)
    problems: list[tuple[str, str]] = []
    if not doc.indicators:
        problems.append(("至少需要一个绩效指标", "at least one indicator is required"))
    for n, ind in enumerate(doc.indicators, 1):
        if not ind.name.strip():
            problems.append((f"第 {n} 个指标缺少三级指标名称", f"indicator {n} has no name"))
        if ind.target.kind == "invalid":
            problems.append(
                (
                    f"第 {n} 个指标的目标值「{ind.target.text}」无法识别：{ind.target.error}",
                    f"indicator {n}: the target '{ind.target.text}' is unreadable",
                )
            )
    return problems


def transition(
    user: Any,
    pk: int,
    action_key: str,
    *,
    grade: str = "",
    comment: str = "",
    expected_version: int | None = None,
) -> Declaration:
    """Take ``action_key`` on declaration ``pk`` and record it; return the updated declaration.

    Review actions need a grade; 中 and 差 need a comment saying why (the unit must know what to fix).
    """
    obj = get_visible(user, pk)
    action = check(user, obj, action_key)
    grade = (grade or "").strip()
    comment = (comment or "").strip()[:4000]
    if action.needs_grade:
        new_status = action.target(user, grade)
        if grade in (Grade.FAIR, Grade.POOR) and not comment:
            raise WorkflowError(
                "等级为「中」或「差」时必须填写审核意见", "a 中 or 差 grade needs a comment", code="JX-E704"
            )
    else:
        grade = ""
        new_status = action.target(user, grade)
    if action.key == "send_back" and not comment:
        raise WorkflowError("退回时请说明原因", "say why you send it back", code="JX-E705")
    if action.key == "submit":
        problems = submission_problems(obj)
        if problems:
            raise WorkflowError(
                "不能提交：" + "；".join(p[0] for p in problems),
                "cannot submit: " + "; ".join(p[1] for p in problems),
                code="JX-E706",
            )
    with transaction.atomic():
        query = Declaration.objects.filter(pk=pk, status=obj.status)
        if expected_version is not None:
            query = query.filter(version=expected_version)
        updates: dict[str, Any] = {"status": new_status, "version": F("version") + 1}
        if action.needs_grade:
            updates["grade"] = grade
        if not query.update(**updates):
            current = Declaration.objects.get(pk=pk)
            raise ConflictError(current.version)
        Transition.objects.create(
            declaration=obj,
            action=action.key,
            from_status=obj.status,
            to_status=new_status,
            grade=grade,
            comment=comment,
            actor=user,
            actor_role=_role(user),
        )
        obj.refresh_from_db()
        # One history row per transition, so the history page shows state changes too.
        obj._history_user = user  # type: ignore[attr-defined]
        obj._change_reason = f"{action.label}：{comment}" if comment else action.label  # type: ignore[attr-defined]
        obj.save(update_fields=["updated"])
    return obj
