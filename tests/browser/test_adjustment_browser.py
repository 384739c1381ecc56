"""绩效目标调整 in a real browser, in the demo: a published seed project adjusted mid-year.

The filler proposes changed targets (a proposal without its reason is refused on the form), the unit
head, the department and finance take it through the same review chain, and then the
self-evaluation says it is scored against the adjusted targets and the public page shows the
adjustment with its date (domain-rules.md §3.2, §4). The demo's own adjusted project (2022-07-15)
shows the same. Screenshots in ``test-output/browser/`` (prefixed ``adjust-``); waits are on
elements and navigations, never on time.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from test_declaration_lifecycle import Steps, watched_page

pytestmark = pytest.mark.browser

PROJECT = "城运案件托底处置费"
LINE = re.compile(r"按调整后目标（\d{4}-\d{2}-\d{2} 调整）评分")


class Adjust(Steps):
    """Steps with screenshots named ``adjust-NN-…`` and the adjustment page's workflow card."""

    def shot(self, name: str) -> None:
        """Save the whole page as ``adjust-NN-name.png``."""
        self.n += 1
        self.page.screenshot(path=str(self.shots / f"adjust-{self.n:02d}-{name}.png"), full_page=True)

    def adjust_step(self, adj: int, action: str, *, grade: str = "", comment: str = "") -> None:
        """Take a workflow step from the 流程 card of adjustment ``adj``."""
        page = self.page
        page.goto(f"{self.base}/declarations/adjustments/{adj}/")
        form = page.locator(f"#workflow form.action-form[data-action='{action}']")
        if grade:
            form.get_by_label(grade, exact=True).check()
        if comment:
            form.locator("[name=comment]").fill(comment)
        with page.expect_navigation():
            form.get_by_role("button").click()


def _pk_of(page: Any, base: str, name: str) -> int:
    page.goto(f"{base}/public/?year=2022")
    href = page.locator("a[href^='/public/']", has_text=name).first.get_attribute("href")
    return int(re.search(r"/public/(\d+)/", href or "").group(1))  # type: ignore[union-attr]


def test_a_published_project_adjusted_mid_year(jixiao_server: Any, chromium: Any, shots: Path) -> None:
    """Propose → refused without a reason → review chain → approved → self-evaluation and public page."""
    from playwright.sync_api import expect

    context, page, problems = watched_page(chromium)
    s = Adjust(page, jixiao_server, shots)
    base = jixiao_server.url
    try:
        # The demo's own adjusted seed project: its public page shows the adjustment of 2022-07-15.
        demo_pk = _pk_of(page, base, "区城运中心城运平台等辅助服务")
        page.goto(f"{base}/public/{demo_pk}/")
        expect(page.locator(".public-adjustment")).to_contain_text("绩效目标已于 2022-07-15 调整")
        expect(page.locator(".public-adjustment")).to_contain_text("35人 → 30人")
        s.shot("demo-public-adjusted")

        pk = _pk_of(page, base, PROJECT)
        s.sign_in("filler")
        page.goto(f"{base}/declarations/{pk}/")
        expect(page.locator("#adjustments")).to_contain_text("未调整")
        with page.expect_navigation():
            page.locator("#propose-adjustment").click()
        row = page.locator("#adjust-table tbody tr", has_text="案件处置类别")
        expect(row).to_contain_text(">40")
        row.locator("input").fill(">35")
        page.get_by_label("调整后的年度资金总额（元）").fill("400,000")
        # Without a reason the form is refused with the catalogue code, and what was typed stays.
        with page.expect_navigation():
            page.locator("#save-adjustment").click()
        expect(page.locator(".invalid-feedback")).to_contain_text("JX-E770")
        expect(row.locator("input")).to_have_value(">35")
        s.shot("proposal-refused-without-reason")
        page.get_by_label("调整原因").fill("年中预算调整调减 8 万元，案件处置类别目标相应调减")
        with page.expect_navigation():
            page.locator("#save-adjustment").click()
        adj = int(re.search(r"/adjustments/(\d+)/", page.url).group(1))  # type: ignore[union-attr]
        expect(page.locator("#adjustment-changes")).to_contain_text(">40")
        expect(page.locator("#adjustment-changes")).to_contain_text(">35")
        expect(page.locator("#adjustment-changes")).to_contain_text("400,000.00")
        s.shot("proposal-draft")
        s.adjust_step(adj, "submit", comment="请单位负责人审核")
        expect(page.locator("#adjustment-status")).to_have_text("已提交单位负责人")
        s.sign_out()

        s.sign_in("unithead")
        s.adjust_step(adj, "forward", comment="随预算调整报送")
        s.sign_out()
        s.sign_in("deptreviewer")
        s.adjust_step(adj, "dept_review", grade="良", comment="同意调整")
        s.sign_out()
        s.sign_in("finance")
        s.adjust_step(adj, "finance_review", grade="优", comment="同意调整")
        expect(page.locator("#adjustment-status")).to_have_text("已批复")
        expect(page.locator("#adjusted-on")).to_be_visible()
        s.shot("adjustment-approved")
        s.sign_out()

        # The declaration now runs on the adjusted targets; the self-evaluation says so.
        s.sign_in("filler")
        page.goto(f"{base}/declarations/{pk}/")
        expect(page.locator("#adjusted-line")).to_have_text(LINE)
        expect(page.locator("#official-form, .form-scroll").first).to_contain_text(">35")
        s.shot("declaration-adjusted")
        page.goto(f"{base}/evaluation/declarations/{pk}/self-evaluation/")
        expect(page.locator(".adjusted-line").first).to_have_text(LINE)
        s.shot("self-evaluation-adjusted-line")
        s.sign_out()

        # The public page shows the adjustment and its date.
        page.goto(f"{base}/public/{pk}/")
        expect(page.locator(".public-adjustment")).to_contain_text(
            re.compile(r"绩效目标已于 \d{4}-\d{2}-\d{2} 调整")
        )
        expect(page.locator(".public-adjustment")).to_contain_text(">40 → >35")
        s.shot("public-adjusted")
    finally:
        context.close()
    assert not problems, problems
