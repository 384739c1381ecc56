"""The editor: rows in the posted order, bad amounts and dates refused with the input kept, live target check."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from jixiao.db.declarations.models import Declaration

from .conftest import signed_in


def test_the_editor_creates_a_draft_with_rows_in_the_posted_order(users: dict[str, Any]) -> None:
    client = signed_in(users["filler_a"])
    form = {
        "year": "2024",
        "project_name": "网格化巡查",
        "category": "经常性项目",
        "nature": "",
        "competent_department": "",
        "implementing_unit": "城运中心",
        "start_date": "2024-01-01",
        "end_date": "2024-12-31",
        "total": "1,200,000",
        "total_fiscal": "1200000",
        "total_other": "",
        "annual": "120万元",
        "annual_appropriation": "",
        "annual_carryover": "",
        "annual_other": "",
        "goals_overall": "全覆盖",
        "goals_annual": "按时处置",
        "ind_level1": ["满意度指标", "产出指标", "产出指标"],
        "ind_level2": ["服务对象满意度指标", "数量指标", "时效指标"],
        "ind_name": ["群众满意度", "巡查街镇数", "问题处置时限"],
        "ind_target": [">=90%", "11个", ">="],
    }
    response = client.post("/declarations/new/", form)
    assert response.status_code == 302
    obj = Declaration.objects.get()
    doc = obj.document
    assert [i["name"] for i in doc["indicators"]] == ["群众满意度", "巡查街镇数", "问题处置时限"]
    assert doc["indicators"][2]["target"]["kind"] == "invalid"  # a draft keeps an unreadable target
    assert doc["funding"]["annual"] == "1200000.00" and doc["funding"]["total"] == "1200000.00"
    assert obj.created_by == users["filler_a"] and obj.status == "draft"
    edit = client.get(response["Location"]).content.decode()
    assert "无法识别" in edit  # the editor says why the target is not understood


def test_the_editor_refuses_bad_amounts_and_dates_and_keeps_the_input(users: dict[str, Any]) -> None:
    client = signed_in(users["filler_a"])
    response = client.post(
        "/declarations/new/",
        {
            "year": "二〇二四",
            "project_name": "坏数据",
            "total": "一百万",
            "start_date": "2024-13-40",
            "ind_level1": ["产出指标"],
            "ind_level2": ["数量指标"],
            "ind_name": ["留着的指标"],
            "ind_target": ["5个"],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="一百万"' in page and 'value="留着的指标"' in page and "is-invalid" in page
    assert not Declaration.objects.exists()


@pytest.mark.parametrize(
    ("text", "ok", "kind", "says"),
    [
        (">=90%", True, "numeric", "不低于 90%"),
        ("≤3天", True, "numeric", "反向指标"),
        ("7天内完成", True, "deadline", "7天内"),
        ("90%-95%", True, "range", "90～95%"),
        ("提升", True, "qualitative", "不可量化"),
        (">=", False, "invalid", "无法识别"),
        ("", False, "invalid", "为空"),
    ],
)
def test_the_live_target_check_explains_how_a_target_reads(
    db: Any, text: str, ok: bool, kind: str, says: str
) -> None:
    result = Client().get("/declarations/target-check/", {"text": text}).json()
    assert (result["ok"], result["kind"]) == (ok, kind)
    assert says in result["explanation"]


@pytest.mark.parametrize(
    ("year", "key", "has_cost"),
    [
        ("2022", "shanghai-2022", False),
        ("2025", "shanghai-2025", True),
        ("", "shanghai-2025", True),
        ("abc", "shanghai-2025", True),
    ],
)
def test_the_editor_follows_the_framework_of_the_year(db: Any, year: str, key: str, has_cost: bool) -> None:
    html = Client().get("/declarations/framework/", {"year": year}).content.decode()
    assert f'data-key="{key}"' in html
    assert ('data-level1="成本指标"' in html) is has_cost
