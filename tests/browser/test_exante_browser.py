"""事前绩效评估 in a real browser, in the demo: the new 2023 project of 6,500,000 元 cannot be
submitted while its sheet lacks the four 筹资合规性 items; the filler rates them, the sheet shows its
total and conclusion, and the submission goes through. Screenshots in ``test-output/browser/``
(prefixed ``exante-``); waits are on elements and navigations, never on time.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from test_declaration_lifecycle import Steps, watched_page

pytestmark = pytest.mark.browser

PROJECT = "青浦区城市运行智能感知设备新建项目"


class ExAnte(Steps):
    """Steps with screenshots named ``exante-NN-…``."""

    def shot(self, name: str) -> None:
        """Save the whole page as ``exante-NN-name.png``."""
        self.n += 1
        self.page.screenshot(path=str(self.shots / f"exante-{self.n:02d}-{name}.png"), full_page=True)


def test_an_ex_ante_sheet_blocks_the_submission_until_filled(
    jixiao_server: Any, chromium: Any, shots: Path
) -> None:
    from playwright.sync_api import expect

    context, page, problems = watched_page(chromium)
    s = ExAnte(page, jixiao_server, shots)
    base = jixiao_server.url
    try:
        s.sign_in("filler")
        page.goto(f"{base}/declarations/?q={PROJECT}")
        href = page.locator("a[href^='/declarations/']", has_text=PROJECT).first.get_attribute("href")
        pk = int(re.search(r"/declarations/(\d+)/", href or "").group(1))  # type: ignore[union-attr]
        page.goto(f"{base}/declarations/{pk}/")
        expect(page.locator("#exante-card-missing")).to_contain_text("4")
        # Submitting is refused with the catalogue code and the items still to rate.
        s.act(pk, "submit", comment="请单位负责人审核")
        expect(page.locator(".alert-danger, .alert-error").first).to_contain_text("事前绩效评估")
        expect(page.locator("#status")).to_have_text("草稿")
        s.shot("submit-refused")

        with page.expect_navigation():
            page.locator("#exante-link").click()
        expect(page.locator("#exante-missing")).to_contain_text("4")
        for n, grade in enumerate(["优", "良", "良", "优"]):
            row = page.locator("tr.exante-item[data-key^='funding.']").nth(n)
            row.get_by_label(grade, exact=True).check()
        page.locator("tr.exante-item[data-key='funding.other'] input[aria-label='说明']").fill(
            "区级配套资金文件已到位"
        )
        with page.expect_navigation():
            page.locator("#save-exante").click()
        # 69.00 before (7 优, 7 良, 2 中) + 5 + 4 + 4 + 5 = 87.00 → 予以支持
        expect(page.locator("#exante-total")).to_have_text("87.00")
        expect(page.locator("#exante-conclusion")).to_have_text("予以支持")
        s.shot("sheet-complete")

        s.act(pk, "submit", comment="请单位负责人审核")
        expect(page.locator("#status")).to_have_text("已提交单位负责人")
        expect(page.locator("#exante-card-conclusion")).to_have_text("予以支持")
        s.shot("submitted")
    finally:
        context.close()
    assert not problems, problems
