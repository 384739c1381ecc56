"""Live scoring in a real browser: Debian's Chromium through Playwright against the test server.

Typing the 普陀 values of domain-rules.md §5.7 into the self-evaluation form makes htmx post the
form to the pure scorer; the panel shows 98.62 优 without saving, and a mismatched actual value
shows its error beside the score. The monitoring form turns its budget light red as the July
amount is typed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD
from .test_evaluation_pages import PUTUO_FORM, PUTUO_ROWS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("JIXIAO_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture()
def approved(users: dict[str, Any], make_declaration: Any) -> Any:
    # Created before Playwright starts: its event loop makes the ORM refuse to run in this thread.
    return make_declaration(
        "unit_a", status="approved", name="体育中心与委托运营方结算费用", indicators=PUTUO_ROWS, year=2022
    )


@pytest.fixture()
def page(live_server: Any, approved: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=live_server.url)
        yield context.new_page()
        browser.close()


def _sign_in(page: Any, username: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def test_the_score_updates_as_values_are_typed(page: Any, approved: Any) -> None:
    obj = approved
    _sign_in(page, "filler_a")
    page.goto(f"/evaluation/declarations/{obj.pk}/self-evaluation/edit/")
    for name, value in PUTUO_FORM.items():
        if page.locator(f"[name={name}]").evaluate("e => e.tagName") == "SELECT":
            # a qualitative actual is chosen from the three grades, not typed (及时 means met)
            page.select_option(f"[name={name}]", "达成年度指标")
        else:
            page.fill(f"[name={name}]", value)
    expect(page.locator("#live-total")).to_contain_text("98.62")
    assert "优" in page.inner_text("#live-grade")
    assert page.inner_text("#live-rate") == "86.18%"
    assert page.inner_text("#computed-0") == "10.00"
    # A count where a rate is expected: the error appears beside the row, the total disappears.
    page.fill("[name=actual_4]", "100人")
    expect(page.locator("#score-panel .live-error")).to_contain_text("场馆开放满意度")
    expect(page.locator("#live-total")).not_to_contain_text("98.62")
    page.fill("[name=actual_4]", "100%")
    expect(page.locator("#live-total")).to_contain_text("98.62")
    page.click("#save")
    page.wait_for_selector("#official-form")
    assert "98.62" in page.inner_text("#official-form")


def test_the_monitoring_light_turns_red_as_the_budget_lags(page: Any, approved: Any) -> None:
    obj = approved
    _sign_in(page, "filler_a")
    page.goto(f"/evaluation/declarations/{obj.pk}/monitoring/?month=7")
    page.fill("[name=budget_initial]", "480000")
    page.fill("[name=budget_adjusted]", "480000")
    # 150,000 / 480,000 = 31.25 % against 58.33 % of the year → 53.57 % of plan → red.
    page.fill("[name=budget_executed]", "150000")
    expect(page.locator("#live-progress")).to_contain_text("53.57")
    assert "红灯" in page.inner_text("#live-budget-light")
