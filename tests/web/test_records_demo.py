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
    assert len(lights) == 19  # every computable seed indicator (7 projects)
    assert "red" in lights.values() and "green" in lights.values()
    assert (
        lights["区城运中心城运平台等辅助服务/热线平台信息员热线工单派单及时率"] == "red"
    )  # 当天派单 asks 100 %
    assert load_records_demo(users["filler"], users["filler"].organisation) == 0  # idempotent
