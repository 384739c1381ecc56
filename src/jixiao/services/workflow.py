"""The declaration workflow: the state machine of :mod:`jixiao.domain.workflow`, checked on the server.

``draft → submitted → dept_review → finance_review → approved | returned | rejected → published``
(DESIGN.md). Grades follow 财预〔2015〕88号 Arts. 25–29 (domain-rules.md §3.2): 优 passes, 良 passes
after the reviewer's edits, 中 goes back to the unit for revision, 差 "不得进入下一步预算安排流程".
Every transition checks role, organisation scope and state, and is recorded with who, when and why
(:class:`jixiao.db.declarations.models.Transition`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import F

from jixiao.db.declarations.models import Declaration, Transition
from jixiao.domain import workflow
from jixiao.domain.errors import ConflictError, NotAllowed, WorkflowError
from jixiao.services.declarations import domain_of, get_visible
from jixiao.services.exante import check_before_submit
from jixiao.services.scope import in_scope, is_signed_in
from jixiao.services.steps import note_in_history, record_step, role_of

__all__ = [
    "ACTIONS",
    "Action",
    "allowed_actions",
    "allowed_steps",
    "check",
    "check_step",
    "decide_on",
    "grade_outcome",
    "submission_problems",
    "transition",
]


def grade_outcome(grade: str, passed_to: str) -> str:
    """Return the next state for a review ``grade`` (财预〔2015〕88号 Art. 27; domain-rules §3.2)."""
    return workflow.grade_outcome(grade, passed_to)


# The declaration steps of the one state machine (jixiao.domain.workflow); kept under this name
# for the views, the API and their labels.
Action = workflow.Step
ACTIONS: dict[str, workflow.Step] = workflow.DECLARATION.steps


# What the state machine needs to know about a user and a record: role, in_scope, own_unit.
Facts = Callable[[Any, Any], dict[str, Any]]


def _facts(user: Any, obj: Any) -> dict[str, Any]:
    """The facts the state machine needs about ``user`` and a document of an organisation."""
    return {
        "role": role_of(user),
        "in_scope": in_scope(user, obj.organisation),
        "own_unit": user.organisation_id == obj.organisation_id,
    }


def check_step(
    machine: workflow.Machine, user: Any, obj: Any, action_key: str, *, facts: Facts = _facts
) -> workflow.Step:
    """Return the step if ``user`` may take it on ``obj`` now; else raise NotAllowed/WorkflowError.

    ``facts`` gives the machine the user's role and scope for ``obj`` (a department form's scope is
    the department's, not a unit's)."""
    step = machine.step(action_key)
    if not is_signed_in(user):
        raise NotAllowed(f"您的角色不能执行「{step.label}」", f"your role cannot '{step.label_en}'")
    refusal = machine.refusal(action_key, state=obj.status, **facts(user, obj))
    if refusal is None:
        return step
    if refusal.reason == "state":
        raise WorkflowError(refusal.zh, refusal.en, code="JX-E703")
    raise NotAllowed(refusal.zh, refusal.en)


def decide_on(
    machine: workflow.Machine,
    step: workflow.Step,
    user: Any,
    obj: Any,
    problems: Callable[[Any], Sequence[workflow.Problem]],
    *,
    grade: str = "",
    comment: str = "",
    confirmed: bool = True,
) -> workflow.Decision:
    """Return the transition ``step`` (allowed by :func:`check_step`) makes on ``obj`` for ``user``.

    ``problems(obj)`` lists what is missing; it is asked only when the step needs a complete
    object. A missing grade, comment, confirmation or completeness raises (:func:`workflow.decide`).
    """
    return workflow.decide(
        machine,
        step.key,
        role=role_of(user),
        state=obj.status,
        grade=grade,
        comment=comment,
        confirmed=confirmed,
        problems=problems(obj) if "complete" in step.requires else (),
    )


def allowed_steps(
    machine: workflow.Machine, user: Any, obj: Any, *, facts: Facts = _facts
) -> list[workflow.Step]:
    """Return the steps ``user`` may take on ``obj`` now (for buttons and the API)."""
    if not is_signed_in(user):
        return []
    return machine.allowed(state=obj.status, **facts(user, obj))


def check(user: Any, obj: Declaration, action_key: str) -> Action:
    """Return the action if ``user`` may take it on ``obj`` now; else raise NotAllowed/WorkflowError."""
    return check_step(workflow.DECLARATION, user, obj, action_key)


def allowed_actions(user: Any, obj: Declaration) -> list[Action]:
    """Return the actions ``user`` may take on ``obj`` now (for buttons and the API)."""
    return allowed_steps(workflow.DECLARATION, user, obj)


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


def _submission_problems(obj: Declaration) -> list[workflow.Problem]:
    return [workflow.Problem(zh, en) for zh, en in submission_problems(obj)]


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
    if action.key == "submit":
        check_before_submit(obj)  # 事前绩效评估 of a new project above the region's amount (JX-E780)
    decision = decide_on(
        workflow.DECLARATION, action, user, obj, _submission_problems, grade=grade, comment=comment
    )
    grade, comment, new_status = decision.grade, decision.comment, decision.to_state
    with transaction.atomic():
        query = Declaration.objects.filter(pk=pk, status=obj.status)
        if expected_version is not None:
            query = query.filter(version=expected_version)
        updates: dict[str, Any] = {"status": new_status, "version": F("version") + 1}
        if action.needs_grade:
            updates["grade"] = grade
        elif action.key == "submit":
            # A resubmission is a new review: the last round's grade no longer describes it
            # (the transitions keep it).
            updates["grade"] = ""
        if not query.update(**updates):
            current = Declaration.objects.get(pk=pk)
            raise ConflictError(current.version)
        record_step(Transition, decision, user, action.key, declaration=obj)
        obj.refresh_from_db()
        # One history row per transition, so the history page shows state changes too.
        note_in_history(obj, user, action.label, comment)
    return obj
