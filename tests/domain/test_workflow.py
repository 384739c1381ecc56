"""The one state machine (jixiao.domain.workflow): who may take each step, from where, to where."""

from __future__ import annotations

import pytest

from jixiao.domain import workflow as wf
from jixiao.domain.errors import WorkflowError

REPORTS = [wf.SELF_EVALUATION, wf.MONITORING]


@pytest.mark.parametrize(
    ("machine", "key", "role", "state", "grade", "to_state"),
    [
        (wf.DECLARATION, "submit", "filler", "draft", "", "submitted"),
        (wf.DECLARATION, "submit", "unit_head", "returned", "", "dept_review"),
        (wf.DECLARATION, "forward", "unit_head", "submitted", "", "dept_review"),
        (wf.DECLARATION, "dept_review", "dept_reviewer", "dept_review", "良", "finance_review"),
        (wf.DECLARATION, "dept_review", "dept_reviewer", "dept_review", "中", "returned"),
        (wf.DECLARATION, "finance_review", "finance_reviewer", "finance_review", "优", "approved"),
        (wf.DECLARATION, "finance_review", "finance_reviewer", "finance_review", "差", "rejected"),
        (wf.DECLARATION, "publish", "finance_reviewer", "approved", "", "published"),
        *[
            row
            for m in REPORTS
            for row in (
                (m, "submit", "filler", "draft", "", "submitted"),
                (m, "submit", "unit_head", "draft", "", "dept_review"),
                (m, "forward", "unit_head", "submitted", "", "dept_review"),
                (m, "dept_approve", "dept_reviewer", "dept_review", "", "finance_review"),
                (m, "finance_approve", "finance_reviewer", "finance_review", "", "approved"),
                (m, "publish", "finance_reviewer", "approved", "", "published"),
                (m, "publish", "admin", "approved", "", "published"),
            )
        ],
    ],
)
def test_each_step_leads_where_the_lifecycle_says(
    machine: wf.Machine, key: str, role: str, state: str, grade: str, to_state: str
) -> None:
    assert machine.refusal(key, role=role, state=state, in_scope=True, own_unit=True) is None
    comment = "请补充" if grade in ("中", "差") else ""
    decision = wf.decide(machine, key, role=role, state=state, grade=grade, comment=comment)
    assert (decision.from_state, decision.to_state) == (state, to_state)


@pytest.mark.parametrize("machine", REPORTS)
@pytest.mark.parametrize(
    ("key", "role", "state"),
    [
        ("send_back", "unit_head", "submitted"),
        ("dept_return", "dept_reviewer", "dept_review"),
        ("finance_return", "finance_reviewer", "finance_review"),
    ],
)
def test_a_return_goes_back_to_the_unit_and_must_say_why(
    machine: wf.Machine, key: str, role: str, state: str
) -> None:
    with pytest.raises(WorkflowError) as caught:
        wf.decide(machine, key, role=role, state=state)
    assert caught.value.code == "JX-E705"
    assert wf.decide(machine, key, role=role, state=state, comment="第3行缺少偏差原因").to_state == "returned"


@pytest.mark.parametrize(
    ("machine", "key", "role", "state", "own_unit", "reason"),
    [
        (wf.SELF_EVALUATION, "publish", "filler", "approved", True, "role"),
        (wf.SELF_EVALUATION, "publish", "dept_reviewer", "approved", True, "role"),
        (wf.SELF_EVALUATION, "publish", "finance_reviewer", "draft", True, "state"),
        (wf.SELF_EVALUATION, "publish", "finance_reviewer", "dept_review", True, "state"),
        (wf.SELF_EVALUATION, "submit", "filler", "draft", False, "scope"),
        (wf.SELF_EVALUATION, "dept_approve", "finance_reviewer", "dept_review", True, "role"),
        (wf.MONITORING, "finance_approve", "dept_reviewer", "finance_review", True, "role"),
        (wf.DECLARATION, "submit", "dept_reviewer", "draft", True, "role"),
        (wf.DECLARATION, "publish", "finance_reviewer", "finance_review", True, "state"),
    ],
)
def test_a_refused_step_says_why(
    machine: wf.Machine, key: str, role: str, state: str, own_unit: bool, reason: str
) -> None:
    refusal = machine.refusal(key, role=role, state=state, in_scope=True, own_unit=own_unit)
    assert refusal is not None and refusal.reason == reason
    assert refusal.zh and refusal.en
    assert machine.step(key) not in machine.allowed(role=role, state=state, in_scope=True, own_unit=own_unit)


def test_nobody_outside_the_scope_may_act() -> None:
    refusal = wf.SELF_EVALUATION.refusal(
        "dept_approve", role="dept_reviewer", state="dept_review", in_scope=False, own_unit=False
    )
    assert refusal is not None and refusal.reason == "scope"


def test_requirements_refuse_with_the_whole_list_of_what_is_missing() -> None:
    problems = [
        wf.Problem(
            "指标「办结率」未完成目标，缺少偏差原因分析",
            "indicator 办结率 missed its target: no deviation note",
            "note_2",
        ),
        wf.Problem("指标「满意度」缺少实际完成值", "indicator 满意度 has no actual", "actual_4"),
    ]
    with pytest.raises(WorkflowError) as caught:
        wf.decide(wf.SELF_EVALUATION, "submit", role="filler", state="draft", problems=problems)
    assert caught.value.code == "JX-E706"
    message = caught.value.message("zh")
    assert "办结率" in message and "满意度" in message
    assert "办结率" in caught.value.message("en") and "满意度" in caught.value.message("en")


@pytest.mark.parametrize("machine", [wf.DECLARATION, *REPORTS])
def test_publishing_asks_for_confirmation(machine: wf.Machine) -> None:
    assert machine.steps["publish"].confirm is not None
    with pytest.raises(WorkflowError) as caught:
        wf.decide(machine, "publish", role="finance_reviewer", state="approved", confirmed=False)
    assert caught.value.code == "JX-E708"


def test_a_fair_or_poor_grade_needs_a_comment_and_an_unknown_grade_is_refused() -> None:
    with pytest.raises(WorkflowError) as caught:
        wf.decide(wf.DECLARATION, "dept_review", role="dept_reviewer", state="dept_review", grade="中")
    assert caught.value.code == "JX-E704"
    with pytest.raises(WorkflowError) as caught:
        wf.decide(wf.DECLARATION, "dept_review", role="dept_reviewer", state="dept_review", grade="好")
    assert caught.value.code == "JX-E701"


def test_an_unknown_step_is_an_error() -> None:
    with pytest.raises(WorkflowError) as caught:
        wf.SELF_EVALUATION.step("approve_everything")
    assert caught.value.code == "JX-E702"


def test_every_step_starts_from_a_known_state_and_ends_in_one() -> None:
    for machine in wf.MACHINES.values():
        for step in machine.steps.values():
            assert set(step.from_states) <= set(wf.STATES)
            for role in step.roles:
                for grade in wf.GRADES if step.needs_grade else ("",):
                    assert step.outcome(role, grade) in wf.STATES
