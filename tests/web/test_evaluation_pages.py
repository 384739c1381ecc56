"""Evaluation pages: self-evaluation with live scoring, monitoring with traffic lights, the dashboard,
publishing and the public pages. The cast (filler_a, dept_a, finance, filler_b …) is in conftest."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from jixiao.db.declarations.models import Declaration
from jixiao.db.evaluation.models import MonitoringRecord, SelfEvaluationRecord

from .conftest import signed_in

pytestmark = pytest.mark.django_db

# The real 普陀 form of domain-rules.md §5.7, as an approved declaration.
PUTUO_ROWS = [
    ("产出指标", "数量指标", "与委托运营方结算完成率", "=100%"),
    ("产出指标", "质量指标", "合同结算条款完成率", "=100%"),
    ("产出指标", "时效指标", "费用结算及时性", "及时"),
    ("效益指标", "社会效益指标", "与委托运营方合同完成率", "=100%"),
    ("满意度指标", "服务对象满意度指标", "场馆开放满意度", ">=90%"),
]
PUTUO_FORM = {
    "budget_initial": "250,000.00",
    "budget_adjusted": "250000",
    "budget_executed": "215457.6",
    "outcome": "已按合同约定完成结算",
    "actual_0": "100%",
    "weight_0": "10",
    "actual_1": "100%",
    "weight_1": "20",
    "actual_2": "及时",
    "weight_2": "20",
    "score_2": "20",
    "actual_3": "100%",
    "weight_3": "30",
    "actual_4": "100%",
    "weight_4": "10",
}
MONITORING_FORM = {
    "month": "7",
    "budget_initial": "480000",
    "budget_adjusted": "480000",
    "budget_executed": "150000",
    "progress_0": "58%",
    "forecast_0": "全年可完成",
    "likelihood_0": "确定能",
    "progress_1": "96%",
    "forecast_1": "预计98%",
    "likelihood_1": "有可能",
    "reasons_1": ["人员"],
    "measures_1": "增派人员",
    "progress_2": "按计划",
    "forecast_2": "达成",
    "likelihood_2": "确定能",
    "progress_3": "95%",
    "forecast_3": "达成",
    "likelihood_3": "确定能",
    "progress_4": "88%",
    "forecast_4": "预计90%",
    "likelihood_4": "完全不可能",
    "reasons_4": ["其他"],
    "other_reason_4": "投诉集中",
}


@pytest.fixture
def approved(make_declaration: Any) -> Any:
    return make_declaration(
        "unit_a", status="approved", name="体育中心与委托运营方结算费用", indicators=PUTUO_ROWS, year=2022
    )


def test_the_form_opens_with_the_default_weights(users: dict[str, Any], approved: Any) -> None:
    response = signed_in(users["filler_a"]).get(
        f"/evaluation/declarations/{approved.pk}/self-evaluation/edit/"
    )
    assert response.status_code == 200
    body = response.content.decode()
    # 产出 50 / 3 → 16.66, 16.66, 16.68; 效益 30; 满意度 10 (domain-rules.md §5.1).
    for n, weight in enumerate(["16.66", "16.66", "16.68", "30.00", "10.00"]):
        assert f'name="weight_{n}" id="weight_{n}" value="{weight}"' in body
    assert 'hx-post="/evaluation/declarations/' in body and "hx-trigger" in body


def test_live_score_reproduces_5_7_as_values_are_typed(users: dict[str, Any], approved: Any) -> None:
    client = signed_in(users["filler_a"])
    url = f"/evaluation/declarations/{approved.pk}/self-evaluation/score/"
    data = client.post(url, PUTUO_FORM).json()
    # 215,457.6 / 250,000 → 86.18 %, 8.62; 8.62 + 90 = 98.62 → 优.
    assert data["budget"] == {"rate": "86.18", "score": "8.62"}
    assert [i["score"] for i in data["indicators"]] == ["10.00", "20.00", "20.00", "30.00", "10.00"]
    assert data["indicators"][2]["band"] == ["16.00", "20.00"]
    assert (data["total_score"], data["grade"], data["errors"]) == ("98.62", "优", {})
    # The htmx request gets the panel, with the row scores swapped out of band.
    html = client.post(url, PUTUO_FORM, HTTP_HX_REQUEST="true").content.decode()
    assert "98.62" in html and 'id="computed-0" hx-swap-oob="true"' in html


def test_live_score_names_the_field_that_does_not_fit(users: dict[str, Any], approved: Any) -> None:
    client = signed_in(users["filler_a"])
    url = f"/evaluation/declarations/{approved.pk}/self-evaluation/score/"
    data = client.post(url, {**PUTUO_FORM, "actual_0": "及时", "score_2": "15", "weight_4": "20"}).json()
    assert "类型不符" in data["errors"]["actual_0"] and "与委托运营方结算完成率" in data["errors"]["actual_0"]
    assert "16.00 至 20.00 分" in data["errors"]["score_2"]  # 15 is outside 达成's band, said in words
    assert "100" in data["errors"]["weights"]  # 10 + 20 + 20 + 30 + 20 = 100, not 90
    assert data["total_score"] is None
    bad_money = client.post(url, {**PUTUO_FORM, "budget_executed": "二十万"}).json()
    assert "budget_executed" in bad_money["errors"]


def test_saving_stores_the_computed_scores_and_shows_the_official_form(
    users: dict[str, Any], approved: Any
) -> None:
    client = signed_in(users["filler_a"])
    response = client.post(f"/evaluation/declarations/{approved.pk}/self-evaluation/edit/", PUTUO_FORM)
    assert response.status_code == 302
    record = SelfEvaluationRecord.objects.get(declaration=approved)
    assert (record.total_score, record.grade, record.budget_score, record.errors_count) == (
        Decimal("98.62"),
        "优",
        Decimal("8.62"),
        0,
    )
    assert record.document["budget"]["execution_rate"] == "86.18"
    page = client.get(f"/evaluation/declarations/{approved.pk}/self-evaluation/").content.decode()
    assert "jx-self-evaluation" in page and "98.62" in page and "215,457.60" in page


def test_a_form_with_errors_is_saved_as_a_draft_and_shown_again(users: dict[str, Any], approved: Any) -> None:
    client = signed_in(users["filler_a"])
    response = client.post(
        f"/evaluation/declarations/{approved.pk}/self-evaluation/edit/", {**PUTUO_FORM, "actual_4": "100人"}
    )
    assert response.status_code == 200
    assert "单位" in response.content.decode()
    record = SelfEvaluationRecord.objects.get(declaration=approved)
    assert record.total_score is None and record.errors_count == 1


@pytest.mark.parametrize(
    ("user", "status", "expected"),
    [
        ("filler_b", "approved", 404),  # another department's unit cannot even see it
        ("dept_a", "approved", 302),  # the department sees it but does not fill it in
        ("filler_a", "draft", 302),  # a declaration not yet approved is not evaluated
        ("filler_a2", "approved", 404),  # a sibling unit under the same department sees nothing of it
    ],
)
def test_who_may_fill_in_the_self_evaluation(
    users: dict[str, Any], make_declaration: Any, user: str, status: str, expected: int
) -> None:
    obj = make_declaration("unit_a", status=status, indicators=PUTUO_ROWS)
    client = signed_in(users[user])
    assert client.get(f"/evaluation/declarations/{obj.pk}/self-evaluation/edit/").status_code == expected
    client.post(f"/evaluation/declarations/{obj.pk}/self-evaluation/edit/", PUTUO_FORM)
    assert not SelfEvaluationRecord.objects.filter(declaration=obj).exists()


def _step(user: Any, approved: Any, action: str, **extra: str) -> Any:
    return signed_in(user).post(
        f"/evaluation/declarations/{approved.pk}/self-evaluation/action/", {"action": action, **extra}
    )


def test_publishing_puts_the_self_evaluation_on_the_public_pages(
    users: dict[str, Any], approved: Any
) -> None:
    signed_in(users["filler_a"]).post(
        f"/evaluation/declarations/{approved.pk}/self-evaluation/edit/", PUTUO_FORM
    )
    record = SelfEvaluationRecord.objects.get(declaration=approved)
    anonymous = signed_in(users["filler_b"])
    anonymous.logout()
    assert anonymous.get(f"/public/evaluations/{record.pk}/").status_code == 404
    url = f"/evaluation/declarations/{approved.pk}/self-evaluation/publish/"
    # Nobody publishes a self-evaluation nobody reviewed: not the unit, not finance.
    assert signed_in(users["filler_a"]).post(url).status_code == 403
    refused = signed_in(users["finance"]).post(url, {"confirm": "1"}, follow=True).content.decode()
    assert "不能执行「公开」" in refused
    record.refresh_from_db()
    assert record.status == "draft"
    # 填报 → 单位审核 → 主管部门审核 → 财政审核, each by its own role.
    _step(users["filler_a"], approved, "submit")
    _step(users["head_a"], approved, "forward")
    _step(users["dept_a"], approved, "dept_approve", comment="同意")
    _step(users["finance"], approved, "finance_approve")
    record.refresh_from_db()
    assert record.status == "approved"
    # Publishing asks for confirmation: without it nothing happens and the page says why.
    page = signed_in(users["finance"]).post(url, follow=True).content.decode()
    assert "确认公开" in page
    record.refresh_from_db()
    assert record.status == "approved"
    assert signed_in(users["finance"]).post(url, {"confirm": "1"}).status_code == 302
    record.refresh_from_db()
    assert (record.status, record.published_by) == ("published", users["finance"])
    # Who did each step is recorded and shown.
    steps = list(record.transitions.values_list("action", "actor__username", "to_status"))
    assert steps == [
        ("submit", "filler_a", "submitted"),
        ("forward", "head_a", "dept_review"),
        ("dept_approve", "dept_a", "finance_review"),
        ("finance_approve", "finance", "approved"),
        ("publish", "finance", "published"),
    ]
    shown = (
        signed_in(users["dept_a"])
        .get(f"/evaluation/declarations/{approved.pk}/self-evaluation/")
        .content.decode()
    )
    assert "head_a" in shown and "同意" in shown
    # The public sees a self-evaluation once its declaration is public too (it repeats its indicators).
    assert anonymous.get(f"/public/evaluations/{record.pk}/").status_code == 404
    Declaration.objects.filter(pk=approved.pk).update(status="published")
    listing = anonymous.get("/public/evaluations/").content.decode()
    assert "体育中心与委托运营方结算费用" in listing and "98.62" in listing
    detail = anonymous.get(f"/public/evaluations/{record.pk}/").content.decode()
    assert "jx-self-evaluation" in detail and "场馆开放满意度" in detail
    # Published means frozen.
    response = signed_in(users["filler_a"]).get(
        f"/evaluation/declarations/{approved.pk}/self-evaluation/edit/"
    )
    assert response.status_code == 302


def test_a_missed_target_without_a_deviation_note_cannot_be_submitted(
    users: dict[str, Any], approved: Any
) -> None:
    filler = signed_in(users["filler_a"])
    # 满意度 88% against >=90%: missed, and no 偏差原因分析.
    filler.post(
        f"/evaluation/declarations/{approved.pk}/self-evaluation/edit/", {**PUTUO_FORM, "actual_4": "88%"}
    )
    record = SelfEvaluationRecord.objects.get(declaration=approved)
    page = _step(users["filler_a"], approved, "submit").wsgi_request
    record.refresh_from_db()
    assert record.status == "draft"
    shown = filler.get(f"/evaluation/declarations/{approved.pk}/self-evaluation/").content.decode()
    assert "场馆开放满意度" in shown and "偏差原因分析" in shown and "workflow-problems" in shown
    assert page is not None
    # Written the note, it goes.
    filler.post(
        f"/evaluation/declarations/{approved.pk}/self-evaluation/edit/",
        {**PUTUO_FORM, "actual_4": "88%", "note_4": "部分场馆维修停用，下年加强预约管理"},
    )
    _step(users["filler_a"], approved, "submit")
    record.refresh_from_db()
    assert record.status == "submitted"
    # Under review the unit cannot change it; a return with a reason gives it back.
    assert filler.get(f"/evaluation/declarations/{approved.pk}/self-evaluation/edit/").status_code == 302
    _step(users["head_a"], approved, "send_back")
    record.refresh_from_db()
    assert record.status == "submitted"  # a return must say why
    _step(users["head_a"], approved, "send_back", comment="请补充佐证材料")
    record.refresh_from_db()
    assert record.status == "returned"
    assert filler.get(f"/evaluation/declarations/{approved.pk}/self-evaluation/edit/").status_code == 200


def test_monitoring_reports_go_through_the_same_workflow(users: dict[str, Any], approved: Any) -> None:
    filler = signed_in(users["filler_a"])
    filler.post(f"/evaluation/declarations/{approved.pk}/monitoring/", MONITORING_FORM)
    record = MonitoringRecord.objects.get(declaration=approved, cutoff_month=7)
    url = f"/evaluation/declarations/{approved.pk}/monitoring/7/action/"
    filler.post(url, {"action": "submit"})
    signed_in(users["head_a"]).post(url, {"action": "forward"})
    signed_in(users["dept_a"]).post(url, {"action": "dept_return", "comment": "第5行偏差原因不具体"})
    record.refresh_from_db()
    assert record.status == "returned"
    assert record.transitions.last().comment == "第5行偏差原因不具体"
    signed_in(users["finance"]).post(url, {"action": "publish", "confirm": "1"})
    record.refresh_from_db()
    assert record.status == "returned"  # a returned report is not published
    # the monitoring page shows who did what
    shown = (
        signed_in(users["filler_a"])
        .get(f"/evaluation/declarations/{approved.pk}/monitoring/7/")
        .content.decode()
    )
    assert "dept_a" in shown and "第5行偏差原因不具体" in shown


def test_finance_sees_late_self_evaluations_per_department(
    users: dict[str, Any], make_declaration: Any
) -> None:
    make_declaration("unit_a", status="approved", name="逾期未自评项目", indicators=PUTUO_ROWS, year=2020)
    page = signed_in(users["finance"]).get("/evaluation/").content.decode()
    assert "late-table" in page and "逾期未自评项目" in page
    assert "late-table" not in signed_in(users["filler_b"]).get("/evaluation/").content.decode()


def test_monitoring_report_with_lights_and_warnings(users: dict[str, Any], approved: Any) -> None:
    client = signed_in(users["filler_a"])
    check = client.post(f"/evaluation/declarations/{approved.pk}/monitoring/check/", MONITORING_FORM).json()
    # 150,000 / 480,000 = 31.25 % of a 7/12 = 58.33 % plan → 53.57 % → red.
    assert (check["budget"]["rate"], check["budget"]["progress"], check["budget"]["light"]) == (
        "31.25",
        "53.57",
        "red",
    )
    assert [i["light"] for i in check["indicators"]] == ["green", "yellow", "green", "green", "red"]
    assert check["form_errors"] == {}
    response = client.post(f"/evaluation/declarations/{approved.pk}/monitoring/", MONITORING_FORM)
    assert response.status_code == 302
    record = MonitoringRecord.objects.get(declaration=approved, cutoff_month=7)
    assert (record.light, record.budget_progress, len(record.warnings)) == ("red", Decimal("53.57"), 3)
    page = client.get(f"/evaluation/declarations/{approved.pk}/monitoring/7/").content.decode()
    assert "jx-monitoring" in page and "红灯" in page


def test_monitoring_requires_reasons_when_a_target_is_in_doubt(users: dict[str, Any], approved: Any) -> None:
    client = signed_in(users["filler_a"])
    form = {**MONITORING_FORM, "reasons_1": [], "forecast_1": ""}
    check = client.post(f"/evaluation/declarations/{approved.pk}/monitoring/check/", form).json()
    assert "forecast_1" in check["form_errors"]
    html = client.post(
        f"/evaluation/declarations/{approved.pk}/monitoring/check/", form, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "live-error" in html and "工单" not in html


def test_dashboard_shows_scores_and_warnings_within_scope(
    users: dict[str, Any], approved: Any, make_declaration: Any
) -> None:
    filler = signed_in(users["filler_a"])
    filler.post(f"/evaluation/declarations/{approved.pk}/self-evaluation/edit/", PUTUO_FORM)
    filler.post(f"/evaluation/declarations/{approved.pk}/monitoring/", MONITORING_FORM)
    make_declaration("unit_a", status="approved", name="待自评项目", indicators=PUTUO_ROWS)
    page = signed_in(users["dept_a"]).get("/evaluation/").content.decode()
    assert "城运中心本级" in page and "98.62" in page  # unit row with its average
    assert "jx-red" in page and "待自评项目" in page
    chart = json.loads(
        page.split('id="evaluation-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    assert chart["grades"]["values"] == [1, 0, 0, 0]
    assert {d["key"]: d["value"] for d in chart["lights"]} == {"green": 0, "yellow": 0, "red": 1}
    other = signed_in(users["filler_b"]).get("/evaluation/").content.decode()
    assert "体育中心与委托运营方结算费用" not in other and "98.62" not in other


def test_pages_switch_to_english(users: dict[str, Any], approved: Any) -> None:
    client = signed_in(users["filler_a"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/evaluation/"})
    page = client.get(f"/evaluation/declarations/{approved.pk}/self-evaluation/edit/").content.decode()
    assert "Live score" in page and "Save and score" in page


RELATIVE_ROWS = [
    ("产出指标", "数量指标", "巡查次数", "每日巡查2次"),
    ("产出指标", "质量指标", "案件办结率", "较上年提高5个百分点"),
    ("产出指标", "时效指标", "处置及时性", "及时"),
    ("效益指标", "社会效益指标", "安全事故", "零事故"),
    ("满意度指标", "服务对象满意度指标", "群众满意度", ">=90%"),
]
RELATIVE_FORM = {
    "budget_initial": "100000",
    "budget_adjusted": "100000",
    "budget_executed": "100000",
    "outcome": "全年完成",
    "actual_0": "每日巡查2次",
    "weight_0": "10",
    "actual_1": "89%",
    "weight_1": "20",
    "actual_2": "达成年度指标",
    "weight_2": "20",
    "score_2": "18",
    "actual_3": "0起",
    "weight_3": "30",
    "actual_4": "95%",
    "weight_4": "10",
}


def test_a_relative_target_uses_the_baseline_entered_or_last_years_actual_and_says_which(
    users: dict[str, Any], make_declaration: Any
) -> None:
    obj = make_declaration("unit_a", status="approved", name="网格巡查", indicators=RELATIVE_ROWS, year=2023)
    client = signed_in(users["filler_a"])
    url = f"/evaluation/declarations/{obj.pk}/self-evaluation/score/"
    # No baseline yet: the row says what to enter.
    missing = client.post(url, RELATIVE_FORM).json()
    assert "baseline_1" in missing["errors"] and "上年实际值" in missing["errors"]["baseline_1"]
    # The unit enters last year's 85%: goal 90 %, 89 % → 20 × 89/90 = 19.78.
    typed = client.post(url, {**RELATIVE_FORM, "baseline_1": "85%"}).json()
    assert typed["indicators"][1]["score"] == "19.78"
    panel = client.post(url, {**RELATIVE_FORM, "baseline_1": "85%"}, HTTP_HX_REQUEST="true").content.decode()
    assert "单位填写的基准值" in panel and "90" in panel
    # Last year's self-evaluation held by jixiao wins, and the panel says so.
    last_year = make_declaration(
        "unit_a", status="approved", name="网格巡查", indicators=RELATIVE_ROWS, year=2022
    )
    client.post(
        f"/evaluation/declarations/{last_year.pk}/self-evaluation/edit/",
        {**RELATIVE_FORM, "actual_1": "85%", "baseline_1": "80%"},
    )
    held = client.post(url, {**RELATIVE_FORM, "baseline_1": "70%"}).json()
    assert held["indicators"][1]["score"] == "19.78"  # 85 % + 5, not 70 % + 5
    panel = client.post(url, {**RELATIVE_FORM}, HTTP_HX_REQUEST="true").content.decode()
    assert "本单位上年自评表的实际完成值" in panel
    page = client.get(f"/evaluation/declarations/{obj.pk}/self-evaluation/edit/").content.decode()
    assert 'id="previous_1"' in page and 'value="85%"' in page


def test_the_results_report_scores_a_relative_target_with_last_years_actual(
    users: dict[str, Any], make_declaration: Any
) -> None:
    """The year's report reads every project's last year at once: the same score as its own page."""
    from jixiao.services.results import results_report

    last_year = make_declaration(
        "unit_a", status="approved", name="网格巡查", indicators=RELATIVE_ROWS, year=2022
    )
    obj = make_declaration("unit_a", status="approved", name="网格巡查", indicators=RELATIVE_ROWS, year=2023)
    other = make_declaration(
        "unit_a2", status="approved", name="网格巡查", indicators=RELATIVE_ROWS, year=2023
    )
    client = signed_in(users["filler_a"])
    edit = "/evaluation/declarations/{}/self-evaluation/edit/"
    client.post(edit.format(last_year.pk), {**RELATIVE_FORM, "actual_1": "85%", "baseline_1": "80%"})
    client.post(edit.format(obj.pk), {**RELATIVE_FORM, "baseline_1": "70%"})
    # The same project name in another unit has no last year: its own baseline counts.
    signed_in(users["filler_a2"]).post(edit.format(other.pk), {**RELATIVE_FORM, "baseline_1": "70%"})
    rows = {r.ref: r for r in results_report(users["finance"], 2023).projects}
    assert rows[obj.pk].indicators[1].score == Decimal("19.78")  # 89 % of 85 % + 5
    assert rows[other.pk].indicators[1].score == Decimal("20.00")  # 89 % over 70 % + 5


def test_qualitative_actuals_are_chosen_and_bands_read_as_words(users: dict[str, Any], approved: Any) -> None:
    client = signed_in(users["filler_a"])
    form = client.get(f"/evaluation/declarations/{approved.pk}/self-evaluation/edit/").content.decode()
    select = (
        form.split('name="actual_2"')[0].rsplit("<select", 1)[1]
        + form.split('name="actual_2"')[1].split("</select>")[0]
    )
    for grade in ("达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差"):
        assert grade in select
    panel = client.post(
        f"/evaluation/declarations/{approved.pk}/self-evaluation/score/", PUTUO_FORM, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "达成年度指标：" in panel and " 分" in panel
    assert "[" not in panel.split('id="live-indicators"')[1].split("</ol>")[0]
