"""The provincial scoring options on the self-evaluation pages, for a region that turns them on.

Worked example (the 普陀 form of domain-rules.md §5.7 with other numbers): 全年预算数 250,000, 执行数
162,500 → 65.00 %, 6.50 points; four rows met (10 + 20 + 20 + 30); 场馆开放满意度 ≥90% at 120% is
≥ 1.3 × 90 = 117, far exceeded → 10 − 2 = 8.00. 6.50 + 80 + 8 = 94.50, capped at 79 (60–70 %) → 79.00 中.
"""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.evaluation.config import with_options
from jixiao.services import evaluation as ev_svc

from .conftest import signed_in
from .test_evaluation_pages import PUTUO_FORM, PUTUO_ROWS

pytestmark = pytest.mark.django_db


@pytest.fixture
def provincial(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = with_options("shanghai", {"over_achievement_deduction": "deduct", "execution_cap": "capped"})
    monkeypatch.setattr(ev_svc, "rules", lambda: rules)


def test_the_score_panel_and_the_form_show_the_deduction_and_the_cap(
    users: dict[str, Any], make_declaration: Any, provincial: None
) -> None:
    obj = make_declaration("unit_a", status="approved", name="场馆运营结算", indicators=PUTUO_ROWS, year=2022)
    form = {
        **PUTUO_FORM,
        "budget_executed": "162500",
        "actual_4": "120%",
        "note_4": "开放时间延长，客流高于预期",
    }
    client = signed_in(users["filler_a"])
    url = f"/evaluation/declarations/{obj.pk}/self-evaluation/score/"
    data = client.post(url, form).json()
    assert data["indicators"][4]["score"] == "8.00"
    assert (data["total_score"], data["grade"]) == ("79.00", "中")
    panel = client.post(url, form, HTTP_HX_REQUEST="true").content.decode()
    assert "偏离扣 2.00 分：实际完成值超过目标值 30% 及以上，目标设定偏低" in panel
    assert "预算执行率 65.0%，总分封顶 79 分（计算总分 94.50，按 79.00 计）" in panel
    # Saved, the official table on the self-evaluation page carries the cap line.
    client.post(f"/evaluation/declarations/{obj.pk}/self-evaluation/edit/", form)
    page = client.get(f"/evaluation/declarations/{obj.pk}/self-evaluation/").content.decode()
    assert "预算执行率 65.0%，总分封顶 79 分" in page and "79.00" in page
