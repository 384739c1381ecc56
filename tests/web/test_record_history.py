"""Self-evaluations and monitoring reports keep their history: every save leaves who, when and what."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.db.evaluation.models import MonitoringRecord, SelfEvaluationRecord

from .conftest import signed_in
from .test_evaluation_pages import MONITORING_FORM, PUTUO_FORM, PUTUO_ROWS

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(make_declaration: Any) -> Any:
    return make_declaration(
        "unit_a", status="approved", name="体育中心结算费用", indicators=PUTUO_ROWS, year=2022
    )


def test_an_edited_self_evaluation_keeps_every_version_and_who_published_it(
    users: dict[str, Any], approved: Any
) -> None:
    url = f"/evaluation/declarations/{approved.pk}/self-evaluation/edit/"
    filler, head = signed_in(users["filler_a"]), signed_in(users["head_a"])
    assert filler.post(url, PUTUO_FORM).status_code == 302
    assert head.post(url, {**PUTUO_FORM, "outcome": "结算已全部完成"}).status_code == 302
    # Through the workflow (the unit head's own submission goes to the department), then published.
    action = f"/evaluation/declarations/{approved.pk}/self-evaluation/action/"
    head.post(action, {"action": "submit"})
    signed_in(users["dept_a"]).post(action, {"action": "dept_approve"})
    signed_in(users["finance"]).post(action, {"action": "finance_approve"})
    publish = f"/evaluation/declarations/{approved.pk}/self-evaluation/publish/"
    assert signed_in(users["finance"]).post(publish, {"confirm": "1"}).status_code == 302

    record = SelfEvaluationRecord.objects.get(declaration=approved)
    assert record.published_by == users["finance"]
    rows = list(record.history.order_by("history_date", "history_id"))
    assert [(r.history_user.username, r.status) for r in rows] == [
        ("filler_a", "draft"),
        ("head_a", "draft"),
        ("head_a", "dept_review"),
        ("dept_a", "finance_review"),
        ("finance", "approved"),
        ("finance", "published"),
    ]
    # The first version is still there, not overwritten by the second.
    assert rows[0].document["outcome"] != rows[1].document["outcome"] == "结算已全部完成"


def test_a_resaved_monitoring_report_keeps_the_earlier_version(users: dict[str, Any], approved: Any) -> None:
    client = signed_in(users["filler_a"])
    url = f"/evaluation/declarations/{approved.pk}/monitoring/"
    assert client.post(url, MONITORING_FORM).status_code == 302
    assert client.post(url, {**MONITORING_FORM, "budget_executed": "300000"}).status_code == 302
    record = MonitoringRecord.objects.get(declaration=approved, cutoff_month=7)
    rows = list(record.history.order_by("history_date", "history_id"))
    assert [r.history_user.username for r in rows] == ["filler_a", "filler_a"]
    assert [r.document["budget"]["executed"] for r in rows] == ["150000.00", "300000.00"]


def test_the_history_is_shown_to_whoever_may_see_the_record(users: dict[str, Any], approved: Any) -> None:
    url = f"/evaluation/declarations/{approved.pk}/self-evaluation/edit/"
    signed_in(users["filler_a"]).post(url, PUTUO_FORM)
    signed_in(users["head_a"]).post(url, {**PUTUO_FORM, "outcome": "结算已全部完成"})
    signed_in(users["filler_a"]).post(f"/evaluation/declarations/{approved.pk}/monitoring/", MONITORING_FORM)
    rows = signed_in(users["dept_a"]).get(f"/api/declarations/{approved.pk}/history").json()
    evaluation = [r for r in rows if r["record"] == "self_evaluation"]
    assert [r["by"] for r in evaluation] == ["head_a", "filler_a"]  # newest first
    edited = evaluation[0]
    outcome = [f for f in edited["fields"] if f["field"] == "outcome"]
    assert outcome and outcome[0]["after"] == "结算已全部完成" != outcome[0]["before"]
    assert any(r["record"] == "monitoring_7" and r["by"] == "filler_a" for r in rows)
    assert any(r["record"] == "declaration" for r in rows)
    # Outside the declaration's scope, there is no history to see either.
    assert signed_in(users["filler_b"]).get(f"/api/declarations/{approved.pk}/history").status_code == 404


def test_an_import_leaves_each_declaration_its_history_row_and_its_indicators_in_order(
    users: dict[str, Any], orgs: dict[str, Any]
) -> None:
    # Imports go in by the batch: each declaration still gets its own "created" history row naming
    # the importer, and its indicator rows in the order of the form; a batch boundary changes nothing.
    from jixiao.services.declarations import IMPORT_BATCH, import_documents
    from jixiao.services.review import review_objects

    from .conftest import make_document

    rows = [("产出指标", "数量指标", f"指标{k}", f">={k}件") for k in range(1, 5)]
    docs = [make_document(f"项目{n:04d}", indicators=rows) for n in range(IMPORT_BATCH + 3)]
    objs = import_documents(users["filler_a"], docs, orgs["unit_a"])
    review_objects(objs)
    assert len({o.pk for o in objs}) == len(docs) and all(o.pk for o in objs)
    for obj in (objs[0], objs[IMPORT_BATCH - 1], objs[IMPORT_BATCH], objs[-1]):
        obj.refresh_from_db()
        history = list(obj.history.all())
        assert [(h.history_type, h.history_user) for h in history] == [("+", users["filler_a"])]
        assert history[0].project_name == obj.project_name
        assert list(obj.indicator_rows.values_list("position", "name")) == [
            (k - 1, f"指标{k}") for k in range(1, 5)
        ]
        assert obj.review_grade and obj.findings_count == len(obj.findings)
