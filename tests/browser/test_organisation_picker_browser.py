"""The organisation filter of a province in a real browser: with hundreds of units the list offers
the tree near the choice and a search box; typing a name brings its units into the filter (htmx),
and choosing one filters the list."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import sign_in

pytestmark = pytest.mark.browser

BUREAU = "青浦区财政局"  # jixiao.services.demo.BUREAU
UNITS = 240  # more than services.scope.ORGANISATIONS_LISTED (200)


def _add_units(database: Path) -> None:
    """Put UNITS street units under the demo's bureau, as the organisation tree would hold them."""
    with sqlite3.connect(database) as db:
        bureau, path = db.execute(
            "SELECT id, path FROM accounts_organisation WHERE name = ?", (BUREAU,)
        ).fetchone()
        for n in range(UNITS):
            cursor = db.execute(
                "INSERT INTO accounts_organisation (name, kind, parent_id, path) VALUES (?, 'unit', ?, '')",
                (f"第{n:03d}街道网格化管理中心", bureau),
            )
            db.execute(
                "UPDATE accounts_organisation SET path = ? WHERE id = ?",
                (f"{path}{cursor.lastrowid}/", cursor.lastrowid),
            )


def test_a_unit_among_hundreds_is_found_by_name_and_filters_the_list(
    jixiao_server: Any, chromium: Any, shots: Path
) -> None:
    from playwright.sync_api import expect

    _add_units(jixiao_server.log.parent / "db.sqlite3")
    base = jixiao_server.url
    context = chromium.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, base, "finance")
    page.goto(base + "/declarations/")
    caption = page.locator("#org-caption")
    expect(caption).to_contain_text("个组织，列出所选组织的上下级")
    select = page.locator("#org-picker select[name=organisation]")
    assert select.locator("option").count() <= 201, jixiao_server.log_tail()

    page.get_by_placeholder("按名称查找组织").fill("第12")
    # The options come again from the server while the user types: the ten units 第120…第129.
    expect(caption).to_contain_text("名称含「第12」的组织 10 个，列出 10 个")
    expect(select.locator("option")).to_have_count(11)  # 「组织：全部」 and the ten
    page.screenshot(path=str(shots / "organisation-picker-search.png"))

    select.select_option(label="第123街道网格化管理中心")
    with page.expect_navigation():
        page.get_by_role("button", name="筛选", exact=True).click()
    assert "organisation=" in page.url
    assert select.locator("option:checked").inner_text().strip() == "第123街道网格化管理中心"
    # The unit has no declarations: the list is empty, not the bureau's whole list.
    expect(page.locator("#declaration-table tbody")).to_contain_text("暂无数据")
    page.screenshot(path=str(shots / "organisation-picker-chosen.png"))
    context.close()
    assert not jixiao_server.problems, jixiao_server.problems
