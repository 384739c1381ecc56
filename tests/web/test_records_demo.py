"""The demo loads a district slice: the seed projects show computed actuals and a red light."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.db.declarations.models import Declaration
from jixiao.db.records.models import CallbackRecord, CaseRecord
from jixiao.services.demo import load_demo
from jixiao.services.records import indicator_actuals
from jixiao.services.records_demo import load_records_demo

pytestmark = pytest.mark.django_db


def test_demo_seed_projects_get_computed_actuals_and_a_red_light(tmp_path: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("JIXIAO_RECORDS_DIR", str(tmp_path))
    users = load_demo()
    assert CaseRecord.objects.count() == 12_000 and CallbackRecord.objects.exists()
    lights: dict[str, str | None] = {}
    for obj in Declaration.objects.filter(year=2022, status="published"):
        for row in indicator_actuals(obj, 7):
            if row.forecast is not None:
                assert row.actual is not None and row.actual.numerator >= 0
                lights[f"{obj.project_name}/{row.indicator.name}"] = row.forecast.light
    assert len(lights) == 20  # every computable seed indicator (7 projects)
    # 网格巡查区域 全覆盖 over the demo's 30 cells patrolled daily: computed from the patrol logs
    assert "区城运中心城运督查服务/网格巡查区域" in lights
    assert "red" in lights.values() and "green" in lights.values()
    assert (
        lights["区城运中心城运平台等辅助服务/热线平台信息员热线工单派单及时率"] == "red"
    )  # 当天派单 asks 100 %
    assert load_records_demo(users["filler"], users["filler"].organisation) == 0  # idempotent


def test_an_accepted_value_is_written_into_the_july_monitoring_report(
    tmp_path: Any, monkeypatch: Any
) -> None:
    from jixiao.db.evaluation.models import MonitoringRecord
    from jixiao.services.evaluation_demo import load_evaluation_demo
    from jixiao.services.records import decide

    monkeypatch.setenv("JIXIAO_RECORDS_DIR", str(tmp_path))
    users = load_demo()
    load_evaluation_demo(users["admin"])
    obj = Declaration.objects.get(year=2022, project_name="热线工单回访测评费")
    rows = {r.indicator.name: r for r in indicator_actuals(obj, 7)}
    satisfaction = rows["市民满意率"]
    assert satisfaction.actual is not None
    decision = decide(users["filler"], obj, satisfaction.index, 7, accept=True)
    assert decision.value == satisfaction.actual.text() and decision.carried == "monitoring"  # type: ignore[attr-defined]
    report = MonitoringRecord.objects.get(declaration=obj, cutoff_month=7).document
    row = next(r for r in report["indicators"] if r["name"] == "市民满意率")
    assert row["progress"] == satisfaction.actual.text()
    # 当天回访 missed by some orders: the share is no 按时完成, so it goes into the row's note
    timely = rows["工单回访及时性"]
    decide(users["filler"], obj, timely.index, 7, accept=True)
    report = MonitoringRecord.objects.get(declaration=obj, cutoff_month=7).document
    row = next(r for r in report["indicators"] if r["name"] == "工单回访及时性")
    assert (
        "由业务记录计算" in (row["note"] or "")
        and timely.actual is not None
        and timely.actual.text() in row["note"]
    )
