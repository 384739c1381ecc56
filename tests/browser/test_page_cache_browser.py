"""The kept list page in a real browser against ``jixiao demo`` (several gunicorn workers, one cache):
a reviewer's list is served from the cache until a filler submits a draft in another browser, and
the very next look shows it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "jixiao-demo-2022"  # jixiao.services.demo.DEMO_PASSWORD
HEADER = "x-jixiao-page-cache"


def _signed_in(chromium: Any, base: str, username: str) -> Any:
    context = chromium.new_context(
        viewport={"width": 1400, "height": 900}, locale="zh-CN", reduced_motion="reduce"
    )
    page = context.new_page()
    page.goto(base + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录", exact=True).click()
    return page


def _listed(page: Any) -> int:
    """The list's total, as the page says it (「共 N 条」)."""
    found = re.search(r"共\s*(\d+)\s*条", page.locator("nav").last.inner_text())
    assert found, page.locator("nav").last.inner_text()
    return int(found[1])


def test_a_kept_list_shows_a_submission_made_in_another_browser_at_once(
    jixiao_server: Any, chromium: Any, shots: Path
) -> None:
    from playwright.sync_api import expect

    base = jixiao_server.url
    reviewer = _signed_in(chromium, base, "finance")
    reviewer.goto(base + "/declarations/")
    again = reviewer.goto(base + "/declarations/")
    assert again is not None and again.headers.get(HEADER) == "hit", jixiao_server.log_tail()
    before = _listed(reviewer)

    # The filler submits one of the demo's drafts (the finance bureau's list leaves drafts out).
    filler = _signed_in(chromium, base, "filler")
    filler.goto(base + "/declarations/?status=draft")
    draft = filler.locator("#declaration-table tbody tr a").first
    name = draft.inner_text()
    with filler.expect_navigation():
        draft.click()
    form = filler.locator("form.action-form[data-action='submit']")
    form.locator("[name=confirm]").check()  # 提交 asks for a confirmation
    with filler.expect_navigation():
        form.get_by_role("button").click()
    expect(filler.locator(".alert-success")).to_contain_text("✓")

    seen = reviewer.goto(base + "/declarations/")
    assert seen is not None and seen.headers.get(HEADER) == "miss"
    assert _listed(reviewer) == before + 1
    expect(reviewer.locator("#declaration-table")).to_contain_text(name)
    reviewer.screenshot(path=str(shots / "page-cache-01-list-after-submission.png"), full_page=True)
