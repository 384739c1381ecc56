"""The workflow end to end through the pages: every transition checked and recorded (who, when, why)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from jixiao.db.declarations.models import Declaration, Transition
from jixiao.domain.errors import WorkflowError
from jixiao.services.workflow import grade_outcome, transition

from .conftest import signed_in


def _act(client: Client, obj: Declaration, action: str, **data: str) -> None:
    response = client.post(f"/declarations/{obj.pk}/action/", {"action": action, **data})
    assert response.status_code == 302


def test_a_declaration_goes_from_draft_to_published(users: dict[str, Any], make_declaration: Any) -> None:
    obj = make_declaration("unit_a", name="网格巡查服务")
    steps = [
        ("filler_a", "submit", {}, "submitted"),
        ("head_a", "forward", {"comment": "同意报送"}, "dept_review"),
        ("dept_a", "dept_review", {"grade": "良", "comment": "满意度指标可再细化"}, "finance_review"),
        ("finance", "finance_review", {"grade": "优", "comment": "同意批复"}, "approved"),
        ("finance", "publish", {}, "published"),
    ]
    for who, action, data, expected in steps:
        _act(signed_in(users[who]), obj, action, **data)
        obj.refresh_from_db()
        assert obj.status == expected, (who, action)
    assert obj.grade == "优"
    recorded = list(
        Transition.objects.filter(declaration=obj).values_list(
            "actor__username", "action", "from_status", "to_status", "grade", "comment"
        )
    )
    assert recorded == [
        ("filler_a", "submit", "draft", "submitted", "", ""),
        ("head_a", "forward", "submitted", "dept_review", "", "同意报送"),
        ("dept_a", "dept_review", "dept_review", "finance_review", "良", "满意度指标可再细化"),
        ("finance", "finance_review", "finance_review", "approved", "优", "同意批复"),
        ("finance", "publish", "approved", "published", "", ""),
    ]
    assert all(t.at is not None for t in Transition.objects.filter(declaration=obj))
    # The public sees it now, as canonical JSON too.
    public = Client().get("/api/public/declarations", {"year": 2023}).json()["items"]
    assert [d["project"]["name"] for d in public] == ["网格巡查服务"]
    # The history shows the state changes with who made them.
    history = signed_in(users["filler_a"]).get(f"/declarations/{obj.pk}/history/").content.decode()
    assert "已公开" in history and "finance" in history


@pytest.mark.parametrize(
    ("grade", "after"),
    [("优", "finance_review"), ("良", "finance_review"), ("中", "returned"), ("差", "rejected")],
)
def test_grades_have_the_consequences_of_88hao(
    users: dict[str, Any], make_declaration: Any, grade: str, after: str
) -> None:
    obj = make_declaration("unit_a", status="dept_review")
    transition(users["dept_a"], obj.pk, "dept_review", grade=grade, comment="意见")
    obj.refresh_from_db()
    assert (obj.status, obj.grade) == (after, grade)


def test_grade_outcome_rejects_an_unknown_grade() -> None:
    with pytest.raises(WorkflowError) as info:
        grade_outcome("好", "approved")
    assert info.value.code == "JX-E701"


def test_a_returned_declaration_can_be_edited_and_submitted_again(
    users: dict[str, Any], make_declaration: Any
) -> None:
    obj = make_declaration("unit_a", status="dept_review")
    transition(users["dept_a"], obj.pk, "dept_review", grade="中", comment="数量指标未量化")
    client = signed_in(users["filler_a"])
    assert client.get(f"/declarations/{obj.pk}/edit/").status_code == 200
    transition(users["filler_a"], obj.pk, "submit")
    obj.refresh_from_db()
    assert obj.status == "submitted"


def test_a_poor_or_fair_grade_needs_a_comment(users: dict[str, Any], make_declaration: Any) -> None:
    obj = make_declaration("unit_a", status="dept_review")
    with pytest.raises(WorkflowError) as info:
        transition(users["dept_a"], obj.pk, "dept_review", grade="差")
    assert info.value.code == "JX-E704"
    obj.refresh_from_db()
    assert obj.status == "dept_review" and not Transition.objects.filter(declaration=obj).exists()


def test_an_unreadable_target_blocks_submission_with_a_message(
    users: dict[str, Any], make_declaration: Any
) -> None:
    obj = make_declaration("unit_a", indicators=[("产出指标", "数量指标", "处置案件数量", ">=")])
    client = signed_in(users["filler_a"])
    response = client.post(f"/declarations/{obj.pk}/action/", {"action": "submit"}, follow=True)
    assert "不能提交" in response.content.decode()
    obj.refresh_from_db()
    assert obj.status == "draft"


def test_a_refused_action_changes_nothing_and_says_why(users: dict[str, Any], make_declaration: Any) -> None:
    obj = make_declaration("unit_a", status="finance_review")
    response = signed_in(users["dept_a"]).post(
        f"/declarations/{obj.pk}/action/", {"action": "finance_review", "grade": "优"}, follow=True
    )
    assert "您的角色不能执行" in response.content.decode()
    obj.refresh_from_db()
    assert obj.status == "finance_review"


def test_the_api_takes_transitions_with_the_same_checks(users: dict[str, Any], make_declaration: Any) -> None:
    obj = make_declaration("unit_a", status="dept_review")
    wrong = signed_in(users["dept_b"]).post(
        f"/api/declarations/{obj.pk}/transitions",
        {"action": "dept_review", "grade": "优"},
        content_type="application/json",
    )
    assert wrong.status_code == 404  # outside dept_b's subtree: not even visible
    ok = signed_in(users["dept_a"]).post(
        f"/api/declarations/{obj.pk}/transitions",
        {"action": "dept_review", "grade": "优", "comment": "好"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "finance_review"
    steps = signed_in(users["dept_a"]).get(f"/api/declarations/{obj.pk}/transitions").json()
    assert [(s["action"], s["actor"], s["grade"]) for s in steps] == [("dept_review", "dept_a", "优")]
