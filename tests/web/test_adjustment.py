"""绩效目标调整: an approved declaration adjusted mid-year through the review chain, both versions
kept, and the self-evaluation scored against the adjusted targets (domain-rules.md §3.2, §4, §5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from jixiao.db.declarations.models import Declaration, TargetAdjustment
from jixiao.domain import workflow as wf
from jixiao.domain.adjustment import InForce, in_force, scored_against
from jixiao.domain.errors import InputError, NotAllowed, WorkflowError
from jixiao.evaluation.scoring import evaluate
from jixiao.services import adjustments as adj_svc
from jixiao.services import evaluation as ev_svc

from .conftest import signed_in

INDICATORS = [
    ("产出指标", "数量指标", "处置案件数量", ">=500件"),
    ("产出指标", "质量指标", "处置合格率", ">=95%"),
    ("满意度指标", "服务对象满意度指标", "群众满意度", ">=90%"),
]


@pytest.fixture
def approved(make_declaration: Any) -> Declaration:
    obj = make_declaration("unit_a", status="approved", indicators=INDICATORS)
    doc = dict(obj.document)
    doc["funding"] = {**(doc.get("funding") or {}), "annual": "1000000.00"}
    Declaration.objects.filter(pk=obj.pk).update(document=doc, annual_amount=Decimal("1000000"))
    obj.refresh_from_db()
    return obj


def _approve(users: dict[str, Any], adj: TargetAdjustment) -> TargetAdjustment:
    adj = adj_svc.adjustment_transition(users["head_a"], adj.pk, "submit")
    assert adj.status == "dept_review"  # the unit head's own submission goes to the department
    adj = adj_svc.adjustment_transition(users["dept_a"], adj.pk, "dept_review", grade="良")
    return adj_svc.adjustment_transition(users["finance"], adj.pk, "finance_review", grade="优")


def _self_evaluation(obj: Declaration) -> Any:
    post = {
        "budget_initial": "1000000",
        "budget_adjusted": "800000",
        "budget_executed": "760000",
        "actual_0": "420件",
        "weight_0": "40",
        "actual_1": "96%",
        "weight_1": "30",
        "actual_2": "92%",
        "weight_2": "20",
        "note_0": "年中预算调减，案件量按调整后目标完成",
    }
    doc, result = ev_svc.self_evaluation_from_post(obj, post)
    assert not result.field_errors
    return evaluate(doc, ev_svc.rules())


def test_adjusted_targets_are_scored_hand_worked(users: dict[str, Any], approved: Declaration) -> None:
    """Mid-year the budget is cut from 1,000,000 to 800,000 元 and 处置案件数量 from ≥500件 to ≥400件.

    Year end: 420件 handled, 合格率 96%, 满意度 92%, 760,000 元 spent of 800,000.
    - budget: 760,000 / 800,000 = 95.00 % → 0.95 × 10 = 9.50
    - against the original ≥500件: 420 / 500 × 40 = 33.60; total 9.50 + 33.60 + 30 + 20 = 93.10 (优)
    - against the adjusted ≥400件: 420 ≥ 400 → the full 40;  total 9.50 + 40 + 30 + 20 = 99.50 (优)
    """
    before = _self_evaluation(approved)
    assert before.indicators[0].score == Decimal("33.60") and before.total == Decimal("93.10")

    adj = adj_svc.propose(
        users["filler_a"],
        approved.pk,
        targets={0: ">=400件"},
        annual="800,000",
        reason="年中预算调整（青财预〔2022〕15号）调减 20 万元，案件量目标相应调减",
    )
    assert [(c.label, c.before, c.after) for c in adj_svc.adjustment_changes(adj)] == [
        ("处置案件数量", ">=500件", ">=400件"),
        ("年度资金总额", "1,000,000.00", "800,000.00"),
    ]
    assert adj_svc.in_force(approved) is None  # a proposal changes nothing until approved
    adj = _approve(users, adj)
    assert adj.status == "approved" and adj.approved_on is not None

    approved.refresh_from_db()
    assert approved.document["indicators"][0]["target"]["text"] == ">=400件"
    assert approved.annual_amount == Decimal("800000")
    assert adj.original["indicators"][0]["target"]["text"] == ">=500件"  # both versions are kept
    after = _self_evaluation(approved)
    assert after.budget.score == Decimal("9.50")
    assert after.indicators[0].score == Decimal("40.00") and after.total == Decimal("99.50")
    day = adj.approved_on.isoformat()
    assert adj_svc.scored_against_line(approved) == f"按调整后目标（{day} 调整）评分"
    assert (
        adj_svc.scored_against_line(approved, "en") == f"scored against the adjusted targets (adjusted {day})"
    )


def test_the_latest_approved_adjustment_is_in_force() -> None:
    assert in_force([]) is None
    assert in_force([(None, "未批复")]) is None
    chosen = in_force([(date(2026, 7, 15), "年中调整"), (None, "在办"), (date(2026, 3, 1), "一季度")])
    assert chosen == InForce(date(2026, 7, 15), "年中调整")
    assert scored_against(chosen) == (
        "按调整后目标（2026-07-15 调整）评分",
        "scored against the adjusted targets (adjusted 2026-07-15)",
    )


@pytest.mark.parametrize(
    ("targets", "annual", "reason", "code"),
    [
        ({0: ">=400件"}, None, "  ", "JX-E770"),  # no reason
        ({0: ">=500件"}, None, "预算调整", "JX-E771"),  # nothing changes
        ({0: ">="}, None, "预算调整", "JX-E772"),  # a target with no value
        ({7: ">=1件"}, None, "预算调整", "JX-E772"),  # no such indicator
        ({}, "八十万", "预算调整", "JX-E772"),  # unreadable amount
    ],
)
def test_bad_proposals_are_refused_with_a_catalogue_code(
    users: dict[str, Any], approved: Declaration, targets: dict[int, str], annual: Any, reason: str, code: str
) -> None:
    with pytest.raises(InputError) as caught:
        adj_svc.propose(users["filler_a"], approved.pk, targets=targets, annual=annual, reason=reason)
    assert caught.value.code == code and caught.value.message_en != caught.value.message_zh
    assert not TargetAdjustment.objects.exists()


def test_only_the_unit_adjusts_only_approved_targets_one_at_a_time(
    users: dict[str, Any], approved: Declaration, make_declaration: Any
) -> None:
    draft = make_declaration("unit_a", indicators=INDICATORS)
    with pytest.raises(WorkflowError) as caught:
        adj_svc.propose(users["filler_a"], draft.pk, targets={0: ">=1件"}, reason="预算调整")
    assert caught.value.code == "JX-E773"
    with pytest.raises(WorkflowError):
        adj_svc.propose(users["dept_a"], approved.pk, targets={0: ">=1件"}, reason="预算调整")
    adj_svc.propose(users["filler_a"], approved.pk, targets={0: ">=450件"}, reason="预算调整")
    with pytest.raises(WorkflowError) as caught:
        adj_svc.propose(users["filler_a"], approved.pk, targets={0: ">=400件"}, reason="再调")
    assert "在办理中" in caught.value.message_zh


def test_a_poor_grade_leaves_the_approved_targets(users: dict[str, Any], approved: Declaration) -> None:
    adj = adj_svc.propose(users["head_a"], approved.pk, targets={0: ">=100件"}, reason="预算调整")
    adj = adj_svc.adjustment_transition(users["head_a"], adj.pk, "submit")
    with pytest.raises(WorkflowError) as caught:  # 差 needs a comment, like a declaration's review
        adj_svc.adjustment_transition(users["dept_a"], adj.pk, "dept_review", grade="差")
    assert caught.value.code == "JX-E704"
    adj = adj_svc.adjustment_transition(
        users["dept_a"], adj.pk, "dept_review", grade="差", comment="调减幅度与预算调整不匹配"
    )
    assert adj.status == "rejected" and adj.approved_on is None
    approved.refresh_from_db()
    assert approved.document["indicators"][0]["target"]["text"] == ">=500件"
    assert adj_svc.in_force(approved) is None
    # the department of another unit cannot review it
    adj2 = adj_svc.propose(users["head_a"], approved.pk, targets={0: ">=450件"}, reason="预算调整")
    adj_svc.adjustment_transition(users["head_a"], adj2.pk, "submit")
    with pytest.raises((NotAllowed, Exception)):
        adj_svc.adjustment_transition(users["dept_b"], adj2.pk, "dept_review", grade="优")


def test_the_adjustment_machine_reuses_the_unit_steps() -> None:
    assert list(wf.ADJUSTMENT.steps)[:3] == ["submit", "forward", "send_back"]
    assert wf.ADJUSTMENT.steps["submit"] is not wf.DECLARATION.steps["submit"]
    assert wf.ADJUSTMENT.steps["submit"].from_states == wf.DECLARATION.steps["submit"].from_states
    assert "publish" not in wf.ADJUSTMENT.steps


def test_web_propose_review_and_pages_say_the_targets_were_adjusted(
    users: dict[str, Any], approved: Declaration
) -> None:
    filler = signed_in(users["filler_a"])
    page = filler.get(f"/declarations/{approved.pk}/")
    assert "申请调整绩效目标" in page.content.decode()
    form = filler.get(f"/declarations/{approved.pk}/adjustments/new/")
    assert form.status_code == 200 and "&gt;=500件" in form.content.decode()
    bad = filler.post(f"/declarations/{approved.pk}/adjustments/new/", {"target_0": ">=", "reason": "x"})
    assert bad.status_code == 400 and "JX-E772" in bad.content.decode()
    assert 'value="&gt;="' in bad.content.decode()  # what was typed stays in the form
    ok = filler.post(
        f"/declarations/{approved.pk}/adjustments/new/",
        {
            "target_0": ">=400件",
            "target_1": ">=95%",
            "target_2": ">=90%",
            "annual": "800000",
            "reason": "年中预算调整",
        },
    )
    assert ok.status_code == 302
    adj = TargetAdjustment.objects.get()
    head = signed_in(users["head_a"])
    head.post(f"/declarations/adjustments/{adj.pk}/action/", {"action": "submit"})
    signed_in(users["dept_a"]).post(
        f"/declarations/adjustments/{adj.pk}/action/", {"action": "dept_review", "grade": "优"}
    )
    signed_in(users["finance"]).post(
        f"/declarations/adjustments/{adj.pk}/action/", {"action": "finance_review", "grade": "优"}
    )
    adj.refresh_from_db()
    assert adj.status == "approved"
    day = adj.approved_on.isoformat()
    detail = filler.get(f"/declarations/adjustments/{adj.pk}/").content.decode()
    assert "&gt;=500件" in detail and "&gt;=400件" in detail and "年中预算调整" in detail
    form = filler.get(f"/evaluation/declarations/{approved.pk}/self-evaluation/edit/").content.decode()
    assert f"按调整后目标（{day} 调整）评分" in form
    Declaration.objects.filter(pk=approved.pk).update(status="published")
    public = signed_in(users["filler_b"]).get(f"/public/{approved.pk}/").content.decode()
    assert f"绩效目标已于 {day} 调整" in public and "年中预算调整" in public


def test_api_adjustment_round_trip_and_bad_input_is_4xx_json(
    users: dict[str, Any], approved: Declaration
) -> None:
    client = signed_in(users["filler_a"])
    url = f"/api/declarations/{approved.pk}/adjustments"
    bad = client.post(url, {"reason": "", "targets": {"0": ">=400件"}}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["code"] == "JX-E501"  # the schema asks for a reason
    made = client.post(
        url,
        {"reason": "年中预算调整", "targets": {"0": ">=400件"}, "annual_amount": "800000"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "draft" and body["changes"][0]["after"] == ">=400件"
    step = signed_in(users["head_a"]).post(
        f"/api/declarations/adjustments/{body['id']}/transitions",
        {"action": "submit"},
        content_type="application/json",
    )
    assert step.status_code == 200 and step.json()["status"] == "dept_review"
    wrong = signed_in(users["dept_a"]).post(
        f"/api/declarations/adjustments/{body['id']}/transitions",
        {"action": "dept_review", "grade": "甲"},
        content_type="application/json",
    )
    assert wrong.status_code == 422 and wrong.json()["code"] == "JX-E501"  # the schema lists the grades
    listed = client.get(url).json()
    assert [a["id"] for a in listed] == [body["id"]]


def test_a_draft_self_evaluation_written_before_is_scored_against_the_adjusted_targets(
    users: dict[str, Any], approved: Declaration
) -> None:
    """The draft of 420件 against ≥500件 scores 33.60 on that row; once ≥400件 is approved it scores 40."""
    doc, _ = ev_svc.self_evaluation_from_post(
        approved,
        {
            "actual_0": "420件",
            "weight_0": "40",
            "actual_1": "96%",
            "weight_1": "30",
            "actual_2": "92%",
            "weight_2": "20",
        },
    )
    doc.budget.adjusted, doc.budget.executed = Decimal("1000000"), Decimal("760000")
    record, ev = ev_svc.save_self_evaluation(users["filler_a"], approved, doc)
    assert ev.indicators[0].score == Decimal("33.60")
    adj = adj_svc.propose(
        users["filler_a"], approved.pk, targets={0: ">=400件"}, annual="800000", reason="年中预算调整"
    )
    _approve(users, adj)
    approved.refresh_from_db()
    aligned = ev_svc.self_evaluation_initial(approved)
    assert aligned.indicators[0].target.text == ">=400件" and aligned.indicators[0].actual == "420件"
    assert aligned.budget.adjusted == Decimal("800000.00")  # 全年预算数 = 调整后预算数 (§5.2)
    page = (
        signed_in(users["filler_a"])
        .get(f"/evaluation/declarations/{approved.pk}/self-evaluation/")
        .content.decode()
    )
    assert "按调整后目标（" in page and "&gt;=400件" in page and "&gt;=500件" not in page


def test_the_review_describes_the_adjusted_targets(users: dict[str, Any], approved: Declaration) -> None:
    """Adjusting ≥500件 to the unmeasurable 有所提升 leaves a JX-Q01 finding on that indicator."""
    from jixiao.services.review import engine_available, review_objects

    if not engine_available():
        pytest.skip("the review engine is not installed")
    review_objects([approved])
    approved.refresh_from_db()
    assert not any(f.get("code") == "JX-Q01" for f in approved.findings)
    adj = adj_svc.propose(users["filler_a"], approved.pk, targets={0: "有所提升"}, reason="年中预算调整")
    _approve(users, adj)
    approved.refresh_from_db()
    assert any(f.get("code") == "JX-Q01" for f in approved.findings)
