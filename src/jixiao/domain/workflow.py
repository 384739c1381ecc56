"""One state machine for every document that moves through review (DESIGN.md "Where the design goes
next"): declarations, self-evaluations and monitoring reports.

``填报 (draft) → 单位审核 (submitted) → 主管部门审核 (dept_review) → 财政审核 (finance_review) →
approved → 公开 (published)``, with ``returned`` (back to the unit, with a comment) and, for
declarations, ``rejected``. Declaration review grades follow 财预〔2015〕88号 Arts. 25–29
(domain-rules.md §3.2): 优 passes, 良 passes after the reviewer's edits, 中 goes back to the unit for
revision, 差 "不得进入下一步预算安排流程". Self-evaluations and monitoring reports are passed or
returned: their grade is computed (domain-rules.md §5.5), not given by the reviewer.

This module is pure: it says which steps exist, who may take each, from which state, where it
leads, whether it needs a grade, a comment or a confirmation, and which requirements must hold.
The use cases (services) supply the facts — the user's role and scope, the document's problems —
and record the transition.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from jixiao.domain.errors import WorkflowError
from jixiao.domain.vocabulary import EXCELLENT, FAIR, GOOD, GRADES, POOR

__all__ = [
    "ADJUSTMENT",
    "DECLARATION",
    "DEPARTMENT_DECLARATION",
    "DEPARTMENT_SELF_EVALUATION",
    "GRADES",
    "MACHINES",
    "MONITORING",
    "SELF_EVALUATION",
    "STATES",
    "Decision",
    "Machine",
    "Problem",
    "Refusal",
    "Step",
    "decide",
    "grade_outcome",
]

DRAFT = "draft"
SUBMITTED = "submitted"
DEPT_REVIEW = "dept_review"
FINANCE_REVIEW = "finance_review"
APPROVED = "approved"
RETURNED = "returned"
REJECTED = "rejected"
PUBLISHED = "published"

# State → (zh, en) label.
STATES: dict[str, tuple[str, str]] = {
    DRAFT: ("草稿", "draft"),
    SUBMITTED: ("已提交单位负责人", "with the unit head"),
    DEPT_REVIEW: ("主管部门审核中", "department review"),
    FINANCE_REVIEW: ("财政审核中", "finance review"),
    APPROVED: ("已批复", "approved"),
    RETURNED: ("退回修改", "returned"),
    REJECTED: ("不予通过", "rejected"),
    PUBLISHED: ("已公开", "published"),
}

FILLER, UNIT_HEAD, DEPT_REVIEWER, FINANCE_REVIEWER, ADMIN = (
    "filler",
    "unit_head",
    "dept_reviewer",
    "finance_reviewer",
    "admin",
)

# Requirements a step may demand of the document; the use case computes the problems of each.
Requirement = Literal["complete"]


def grade_outcome(grade: str, passed_to: str) -> str:
    """Return the next state for a review ``grade`` (财预〔2015〕88号 Art. 27; domain-rules §3.2)."""
    if grade in (EXCELLENT, GOOD):
        return passed_to
    if grade == FAIR:
        return RETURNED
    if grade == POOR:
        return REJECTED
    raise WorkflowError(
        f"审核等级「{grade}」无效，应为 优/良/中/差",
        f"invalid grade '{grade}': use 优/良/中/差",
        code="JX-E701",
    )


@dataclass(frozen=True, slots=True)
class Step:
    """One workflow step: who may take it, from which states, where it leads, what it needs.

    ``outcome(role, grade)`` gives the new state. ``comment`` is ``"always"`` (a return must say
    why), ``"on_fail"`` (a 中 or 差 grade must) or ``"never"``. ``confirm`` is the question asked
    before an irreversible step (公开). ``requires`` lists what the document must satisfy.
    """

    key: str
    label: str
    label_en: str
    from_states: tuple[str, ...]
    roles: tuple[str, ...]
    own_unit_only: bool
    needs_grade: bool
    outcome: Callable[[str, str], str]
    style: str = "primary"
    comment: Literal["always", "on_fail", "never"] = "never"
    confirm: tuple[str, str] | None = None
    requires: tuple[Requirement, ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing that blocks a step, with where it is (a form field such as ``note_3``)."""

    zh: str
    en: str
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a step may not be taken: ``reason`` is ``role``, ``scope`` or ``state``."""

    reason: Literal["role", "scope", "state"]
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Decision:
    """A step that may be taken: the new state and the grade to record ("" when none)."""

    step: Step
    from_state: str
    to_state: str
    grade: str
    comment: str


@dataclass(frozen=True, slots=True)
class Machine:
    """The steps of one kind of document (``declaration``, ``self_evaluation``, ``monitoring``)."""

    kind: str
    noun: tuple[str, str]
    steps: dict[str, Step]

    def step(self, key: str) -> Step:
        """Return the step ``key`` or raise JX-E702."""
        step = self.steps.get(key)
        if step is None:
            raise WorkflowError(f"未知的操作「{key}」", f"unknown action '{key}'", code="JX-E702")
        return step

    def refusal(self, key: str, *, role: str, state: str, in_scope: bool, own_unit: bool) -> Refusal | None:
        """Return why ``role`` may not take step ``key`` on a document in ``state`` now, or None."""
        step = self.step(key)
        if role not in step.roles:
            return Refusal("role", f"您的角色不能执行「{step.label}」", f"your role cannot '{step.label_en}'")
        if not in_scope or (step.own_unit_only and role != ADMIN and not own_unit):
            return Refusal(
                "scope", f"该{self.noun[0]}不在您的权限范围内", f"this {self.noun[1]} is outside your scope"
            )
        if state not in step.from_states:
            shown = STATES.get(state, (state, state))
            return Refusal(
                "state",
                f"{self.noun[0]}当前状态为「{shown[0]}」，不能执行「{step.label}」",
                f"the {self.noun[1]} is '{state}': '{step.label_en}' is not possible now",
            )
        return None

    def allowed(self, *, role: str, state: str, in_scope: bool, own_unit: bool) -> list[Step]:
        """Return the steps ``role`` may take now, in the machine's order (buttons, the API)."""
        return [
            step
            for key, step in self.steps.items()
            if self.refusal(key, role=role, state=state, in_scope=in_scope, own_unit=own_unit) is None
        ]


def decide(
    machine: Machine,
    key: str,
    *,
    role: str,
    state: str,
    grade: str = "",
    comment: str = "",
    confirmed: bool = True,
    problems: Sequence[Problem] = (),
) -> Decision:
    """Return the transition step ``key`` makes, or raise :class:`WorkflowError` saying what is missing.

    Role, scope and state are checked by :meth:`Machine.refusal` first (the caller maps a refusal to
    its own "not allowed"). ``problems`` are what the step's requirements found wrong with the
    document; any problem refuses the step with the whole list (JX-E706).
    """
    step = machine.step(key)
    if state not in step.from_states:
        refusal = machine.refusal(key, role=role, state=state, in_scope=True, own_unit=True)
        assert refusal is not None
        raise WorkflowError(refusal.zh, refusal.en, code="JX-E703")
    grade = (grade or "").strip()
    comment = (comment or "").strip()[:4000]
    if step.needs_grade:
        to_state = step.outcome(role, grade)
        if step.comment == "on_fail" and grade in (FAIR, POOR) and not comment:
            raise WorkflowError(
                "等级为「中」或「差」时必须填写审核意见", "a 中 or 差 grade needs a comment", code="JX-E704"
            )
    else:
        grade = ""
        to_state = step.outcome(role, grade)
    if step.comment == "always" and not comment:
        raise WorkflowError("退回时请说明原因", "say why you send it back", code="JX-E705")
    if problems:
        verb_zh, verb_en = step.label, step.label_en.lower()
        raise WorkflowError(
            f"不能{verb_zh}：" + "；".join(p.zh for p in problems),
            f"cannot {verb_en}: " + "; ".join(p.en for p in problems),
            code="JX-E706",
        )
    if step.confirm is not None and not confirmed:
        raise WorkflowError(step.confirm[0], step.confirm[1], code="JX-E708")
    return Decision(step, state, to_state, grade, comment)


def _submit(role: str, grade: str) -> str:
    # A filler submits to the unit head; the unit head's own submission goes to the department.
    return DEPT_REVIEW if role == UNIT_HEAD else SUBMITTED


def _to(state: str) -> Callable[[str, str], str]:
    return lambda role, grade: state


def _unit_steps(report: bool) -> tuple[Step, ...]:
    """The unit's own steps, the same for every document: submit, forward, send back to the filler.

    A report (自评表, 监控表) is checked again when the unit head forwards it; a declaration is not,
    since the department grades it next.
    """
    forward_requires: tuple[Requirement, ...] = ("complete",) if report else ()
    return (
        Step(
            "submit",
            "提交",
            "Submit",
            (DRAFT, RETURNED),
            (FILLER, UNIT_HEAD),
            True,
            False,
            _submit,
            requires=("complete",),
        ),
        Step(
            "forward",
            "报送主管部门",
            "Send to the department",
            (SUBMITTED,),
            (UNIT_HEAD,),
            True,
            False,
            _to(DEPT_REVIEW),
            requires=forward_requires,
        ),
        Step(
            "send_back",
            "退回填报人",
            "Send back to the filler",
            (SUBMITTED,),
            (UNIT_HEAD,),
            True,
            False,
            _to(RETURNED),
            "warning",
            comment="always",
        ),
    )


def _publish(noun: tuple[str, str], requires: tuple[Requirement, ...]) -> Step:
    """公开, with a confirmation that names the document: a published document cannot be withdrawn."""
    confirm = (
        f"公开后所有人都能看到此{noun[0]}，且不能撤回。确认公开？",
        f"Once published, everyone can see this {noun[1]} and it cannot be withdrawn. Publish?",
    )
    return Step(
        "publish",
        "公开",
        "Publish",
        (APPROVED,),
        (FINANCE_REVIEWER, ADMIN),
        False,
        False,
        _to(PUBLISHED),
        "success",
        confirm=confirm,
        requires=requires,
    )


def _graded_review(key: str, zh: str, en: str, state: str, reviewer: str, passed_to: str) -> Step:
    """A review at ``state`` by ``reviewer`` (or an admin), graded 优/良/中/差: 优 or 良 moves
    on to ``passed_to``, 中 returns and 差 rejects the form, with a comment saying why."""
    return Step(
        key,
        zh,
        en,
        (state,),
        (reviewer, ADMIN),
        False,
        True,
        lambda role, grade: grade_outcome(grade, passed_to),
        comment="on_fail",
    )


def _graded_reviews() -> tuple[Step, ...]:
    """主管部门审核 then 财政审核, each graded 优/良/中/差 (财预〔2015〕88号 Art. 25; domain-rules.md §3.2)."""
    return (
        _graded_review(
            "dept_review", "主管部门审核", "Department review", DEPT_REVIEW, DEPT_REVIEWER, FINANCE_REVIEW
        ),
        _graded_review(
            "finance_review", "财政审核", "Finance review", FINANCE_REVIEW, FINANCE_REVIEWER, APPROVED
        ),
    )


DECLARATION = Machine(
    "declaration",
    ("申报表", "declaration"),
    {
        s.key: s
        for s in (
            *_unit_steps(report=False),
            *_graded_reviews(),
            _publish(("申报表", "declaration"), requires=()),
        )
    },
)

# 绩效目标调整: once approved, targets "一般不予调整"; a change "follows the 预算调整 approval flow"
# (财预〔2015〕88号; domain-rules.md §3.2, §4 "cut the budget and adjust the targets at the same
# time"). The unit proposes, the same reviewers grade it; 差 leaves the approved targets as they
# were. There is no 公开 step: an approved adjustment is shown wherever its declaration is.
ADJUSTMENT = Machine(
    "adjustment",
    ("调整申请", "target adjustment"),
    {s.key: s for s in (*_unit_steps(report=False), *_graded_reviews())},
)


def _reported(kind: str, noun: tuple[str, str]) -> Machine:
    """The machine of a report the unit fills in and reviewers pass or return (自评表, 监控表)."""
    return Machine(
        kind,
        noun,
        {
            s.key: s
            for s in (
                *_unit_steps(report=True),
                Step(
                    "dept_approve",
                    "主管部门审核通过",
                    "Department: pass",
                    (DEPT_REVIEW,),
                    (DEPT_REVIEWER, ADMIN),
                    False,
                    False,
                    _to(FINANCE_REVIEW),
                    requires=("complete",),
                ),
                Step(
                    "dept_return",
                    "主管部门退回",
                    "Department: return",
                    (DEPT_REVIEW,),
                    (DEPT_REVIEWER, ADMIN),
                    False,
                    False,
                    _to(RETURNED),
                    "warning",
                    comment="always",
                ),
                Step(
                    "finance_approve",
                    "财政审核通过",
                    "Finance: pass",
                    (FINANCE_REVIEW,),
                    (FINANCE_REVIEWER, ADMIN),
                    False,
                    False,
                    _to(APPROVED),
                    requires=("complete",),
                ),
                Step(
                    "finance_return",
                    "财政退回",
                    "Finance: return",
                    (FINANCE_REVIEW,),
                    (FINANCE_REVIEWER, ADMIN),
                    False,
                    False,
                    _to(RETURNED),
                    "warning",
                    comment="always",
                ),
                _publish(noun, requires=("complete",)),
            )
        },
    )


SELF_EVALUATION = _reported("self_evaluation", ("自评表", "self-evaluation"))
MONITORING = _reported("monitoring", ("监控表", "monitoring report"))

# A department's overall targets (部门整体支出绩效目标) are graded like a project's: 88号 Arts. 25–29
# govern both (domain-rules.md §8), so the declaration's steps apply with the form's own noun. Its
# self-evaluation is a report, passed or returned like a project's.
_DEPARTMENT_NOUN = ("部门整体绩效目标表", "department-wide targets")
DEPARTMENT_DECLARATION = Machine(
    "department_declaration",
    _DEPARTMENT_NOUN,
    {**DECLARATION.steps, "publish": _publish(_DEPARTMENT_NOUN, requires=())},
)
DEPARTMENT_SELF_EVALUATION = _reported(
    "department_self_evaluation", ("部门整体绩效自评表", "department-wide self-evaluation")
)
MACHINES: dict[str, Machine] = {
    m.kind: m
    for m in (
        DECLARATION,
        SELF_EVALUATION,
        MONITORING,
        DEPARTMENT_DECLARATION,
        DEPARTMENT_SELF_EVALUATION,
        ADJUSTMENT,
    )
}
