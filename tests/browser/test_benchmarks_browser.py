"""指标对标 in a real browser, on the demo.

The demo's declarations come from two units only, so at first every indicator shows 样本不足 (no
figure below three units). The filler then files, through the API, four more units' versions of a
published form (its 群众满意度 set to 85%, 92%, 95% and 88%) and submits them: with the demo's own 90%
and the 环卫所's, 群众满意度 in % now has enough units, and the page shows its figures. A draft of
the filler's own unit at 80% is opened from its declaration page: the figures stand beside its rows
and its 80% is 低于 10% 分位数; in its editor the row being typed shows the figures and JX-A10. Screenshots go to ``test-output/browser/benchmarks/``; waits are on
elements, never on time.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from test_declaration_lifecycle import watched_page

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "jixiao-demo-2022"
SATISFACTION = "群众满意度"


def _with_satisfaction(document: dict[str, Any], unit: str, value: int) -> dict[str, Any]:
    doc = copy.deepcopy(document)
    doc["project"]["implementing_unit"] = unit
    doc["project"]["name"] = f"{doc['project']['name']}（{unit}）"
    for ind in doc["indicators"]:
        if ind["name"] == SATISFACTION:
            ind["target"] = {
                "text": f">={value}%",
                "kind": "numeric",
                "op": ">=",
                "value": str(value),
                "unit": "%",
            }
    return doc


def test_a_filler_sees_what_comparable_projects_targeted(jixiao_server: Any, chromium: Any) -> None:
    from playwright.sync_api import expect

    shots = Path(__file__).resolve().parents[2] / "test-output" / "browser" / "benchmarks"
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("*.png"):
        old.unlink()
    context, page, problems = watched_page(chromium)
    base = jixiao_server.url

    page.goto(base + "/login/")
    page.get_by_label("用户名").fill("filler")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录", exact=True).click()

    # 1. from the menu: the commonest indicators, 群众满意度 first, all from too few units
    with page.expect_navigation():
        page.locator("#nav-benchmarks").click()
    expect(page.locator("h1")).to_have_text("指标对标")
    first = page.locator("#benchmark-table tr.benchmark-row").first
    expect(first).to_contain_text(SATISFACTION)
    expect(first).to_contain_text("样本不足")
    page.screenshot(path=str(shots / "01-too-few-units.png"), full_page=True)

    # 2. three other units' versions of a published form, filed and submitted through the API
    api = context.request
    token = api.post(base + "/api/auth/token", data={"username": "filler", "password": DEMO_PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['token']}"}
    listed = api.get(base + "/api/declarations/?status=published", headers=headers).json()["items"]
    source = next(
        d
        for d in (api.get(f"{base}/api/declarations/{item['id']}", headers=headers).json() for item in listed)
        if any(i["name"] == SATISFACTION for i in d["document"]["indicators"])
    )
    for unit, value in (
        ("上海市青浦区水务局", 85),
        ("上海市青浦区民政局", 92),
        ("上海市青浦区文化和旅游局", 95),
        ("上海市青浦区教育局", 88),
    ):
        made = api.post(
            base + "/api/declarations/",
            headers=headers,
            data={"document": _with_satisfaction(source["document"], unit, value)},
        )
        assert made.status == 201, made.text()
        submitted = api.post(
            f"{base}/api/declarations/{made.json()['id']}/transitions",
            headers=headers,
            data={"action": "submit"},
        )
        assert submitted.status == 200, submitted.text()
    mine = api.post(
        base + "/api/declarations/",
        headers=headers,
        data={"document": _with_satisfaction(source["document"], "上海市青浦区城市运行管理中心（本级）", 80)},
    ).json()

    # 3. the search: 群众满意度 in % now has figures, overall and for the year
    page.locator("#benchmark-search input[name=name]").fill(SATISFACTION)
    with page.expect_navigation():
        page.locator("#benchmark-search button").click()
    row = page.locator("#benchmark-table tr.benchmark-row").first
    expect(row).to_contain_text(SATISFACTION)
    expect(row.locator("td.thin-sample")).to_have_count(0)
    expect(page.locator("#benchmark-table tr.benchmark-year").first).to_be_visible()
    page.screenshot(path=str(shots / "02-search.png"), full_page=True)

    # 4. in the editor, the row being typed shows the comparable projects' median and 10th percentile
    page.goto(f"{base}/declarations/{mine['id']}/edit/")
    typed = page.locator("tr.ind-row", has=page.locator(f"input.ind-name[value='{SATISFACTION}']")).first
    # 60%: under every unit's target, and five other units set one → JX-A10 while typing
    typed.locator("input.ind-target").fill(">=60%")
    # (the explanation names the typed value: the live check has answered for it, not for the saved 80%)
    expect(typed.locator(".target-check")).to_contain_text("60%")
    expect(typed.locator(".live-benchmark")).to_contain_text("同类项目：中位数")
    expect(typed).to_contain_text("JX-A10 「群众满意度」目标值 >=60% 低于其他 5 个单位")
    typed.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "03-editor.png"), full_page=True)

    # 5. the filler's 80% draft, opened from its declaration page: figures beside each row
    page.goto(f"{base}/declarations/{mine['id']}/")
    with page.expect_navigation():
        page.locator("#benchmarks-link").click()
    table = page.locator("#declaration-benchmarks")
    satisfaction = table.locator("tr.benchmark-row", has_text=SATISFACTION).first
    expect(satisfaction).to_contain_text(">=80%")
    expect(satisfaction).to_contain_text("低于 10% 分位数")
    page.screenshot(path=str(shots / "04-declaration.png"), full_page=True)

    # 6. the same page in English
    with page.expect_navigation():
        page.locator("#lang-form button").click()
    expect(page.locator("h1")).to_have_text("Indicator benchmarks")
    expect(
        page.locator("#declaration-benchmarks tr.benchmark-row", has_text=SATISFACTION).first
    ).to_contain_text("below the 10th percentile")
    page.screenshot(path=str(shots / "05-declaration-en.png"), full_page=True)
    context.close()
    assert problems == [], problems
