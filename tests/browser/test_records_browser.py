"""Records in a real browser: import an export, map its columns, bind an indicator, see the
monitoring value, drill down to the late cases.

Played by the demo's filler (``jixiao demo`` loads a synthetic district slice for the unit). The
export below has one column the proposal cannot name (派单日期时间), mapped by hand in the mapping
step. The binding restricts the 托底 project's 一般案件处置及时性 to this export's street, so the
value is the one worked out here: T1, T3, T4 closed within 7 days of dispatch, T2 (7 days 2 hours)
and T5 (never closed) late → 3 / 5 = 60.00 % at the July cut-off, drill-down T2 and T5.
Screenshots go to ``test-output/browser/records/``. Waits are on elements, never on time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_declaration_lifecycle import watched_page

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "jixiao-demo-2022"
STREET = "浏览器测试街道"
EXPORT = f"""案卷编号,来源,紧急程度,无主案件,派单日期时间,结案时间,街镇
T1,网格,一般,是,2022-03-01 09:00,2022-03-02 09:00,{STREET}
T2,网格,一般,是,2022-03-01 09:00,2022-03-08 11:00,{STREET}
T3,网格,一般,是,2022-04-01 09:00,2022-04-08 09:00,{STREET}
T4,网格,一般,是,2022-05-01 09:00,2022-05-03 09:00,{STREET}
T5,网格,一般,是,2022-06-01 09:00,,{STREET}
"""
BINDING = {
    "metric": "within",
    "source": "grid",
    "period": "dispatched_at",
    "where": [
        {"field": "priority", "op": "eq", "value": "一般"},
        {"field": "ownerless", "op": "eq", "value": True},
        {"field": "street", "op": "eq", "value": STREET},
    ],
    "start": "dispatched_at",
    "end": "closed_at",
    "limit": 7,
    "unit": "natural_days",
}


def test_import_map_bind_monitor_and_drill_down(jixiao_server: Any, chromium: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    shots = Path(__file__).resolve().parents[2] / "test-output" / "browser" / "records"
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("*.png"):
        old.unlink()
    context, page, problems = watched_page(chromium, timeout_ms=15_000)
    base = jixiao_server.url

    def shot(n: int, name: str) -> None:
        page.screenshot(path=str(shots / f"{n:02d}-{name}.png"), full_page=True)

    page.goto(base + "/login/")
    page.get_by_label("用户名").fill("filler")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录", exact=True).click()

    # 1. upload the export
    page.goto(base + "/records/")
    export = tmp_path / "网格案件导出.csv"
    export.write_text(EXPORT, encoding="utf-8")
    page.locator("#records-file").set_input_files(str(export))
    page.locator("#records-source-name").fill("网格案件导出（测试）")
    shot(1, "records-index")
    with page.expect_navigation():
        page.locator("#upload-button").click()

    # 2. the mapping step: proposals from the headers; 派单日期时间 mapped by hand
    expect(page.get_by_role("heading", name="核对列对应关系")).to_be_visible()
    expect(page.locator("select[data-header='案卷编号']")).to_have_value("case_id")
    expect(page.locator("select[data-header='结案时间']")).to_have_value("closed_at")
    page.locator("select[data-header='派单日期时间']").select_option("dispatched_at")
    shot(2, "mapping-step")
    with page.expect_navigation():
        page.locator("#import-button").click()
    expect(page.get_by_text("导入完成：5 行（新增 5，更新 0）")).to_be_visible()
    shot(3, "imported")

    # 3. the project's actuals; bind the indicator in the editor with its live preview
    with page.expect_navigation():
        page.get_by_role("link", name="2022 城运案件托底处置费").click()
    row = page.locator("tr[data-indicator='一般案件处置及时性']")
    with page.expect_navigation():
        row.get_by_role("link", name="编辑取数规则").click()
    page.locator("#definition").fill(json.dumps(BINDING, ensure_ascii=False, indent=2))
    expect(page.locator("#preview-value")).to_have_text("60.00%")
    expect(page.locator("#preview")).to_contain_text("3 / 5")
    shot(4, "binding-preview")
    with page.expect_navigation():
        page.locator("#save-binding").click()

    # 4. the monitoring value at the July cut-off, with its light and the misses link
    row = page.locator("tr[data-indicator='一般案件处置及时性']")
    expect(row.locator(".actual-value")).to_contain_text("60.00%")
    expect(row).to_contain_text("3 / 5")
    expect(row.locator(".light-red")).to_be_visible()  # 7天内完成 asks every case within 7 days
    shot(5, "monitoring-value")

    # 5. drill down to the late cases
    with page.expect_navigation():
        row.locator(".misses-link").click()
    table = page.locator("#misses-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("T2")
    expect(table).to_contain_text("T5")
    expect(table).not_to_contain_text("T1")
    shot(6, "late-cases")
    context.close()
    assert not problems, problems
