"""One declaration's life in a real browser: drafted, checked live, submitted, reviewed, approved, published.

The browser scenario, played by the demo users of ``jixiao demo``
through the pages a person uses, in Chinese: the filler drafts a declaration with three indicators
(one with a target the grammar rejects, fixed after the live check says why) and submits it to the
unit head, who sends it to the department (the workflow of services.workflow: a filler's submission
goes to the unit head, DESIGN.md "Lifecycle and people"); the department reviewer grades it 优 and the
finance reviewer approves it (财预〔2015〕88号: 优 passes, domain-rules.md §3.2) and publishes it;
signed out, anyone finds it on the public page. Every step leaves a screenshot in
``test-output/browser/``. Waits are on elements and navigations, never on time.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

# The demo accounts' password (jixiao.services.demo.DEMO_PASSWORD; `jixiao demo` prints it).
DEMO_PASSWORD = "jixiao-demo-2022"
PROJECT = "青浦区城市网格巡查专项（浏览器测试）"
# The bad target: an operator with no number, which the grammar rejects ("运算符后缺少数值").
BAD_TARGET = "不低于"
GOOD_TARGET = "不低于95%"
INDICATORS = [  # level1, level2, 三级指标, target typed first
    ("产出指标", "数量指标", "网格巡查覆盖街镇数", "=11个"),
    ("产出指标", "时效指标", "巡查发现问题按时处置率", BAD_TARGET),
    ("满意度指标", "服务对象满意度指标", "市民对网格巡查工作满意度", ">=90%"),
]


def watched_page(chromium: Any, *, timeout_ms: int = 20_000, **options: Any) -> tuple[Any, Any, list[str]]:
    """Return a new context and page (desktop size, Chinese) and the problems the page records.

    Reduced motion: Bootstrap then skips its transitions, so screenshots show settled states.

    Any server error, any missing static file and any script error on any page is a failure of a
    scenario: the walks assert the list is empty at the end.
    """
    context = chromium.new_context(
        viewport={"width": 1400, "height": 900}, locale="zh-CN", reduced_motion="reduce", **options
    )
    context.set_default_timeout(timeout_ms)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.request.method} {r.url}")
            if r.status >= 500 or (r.status >= 400 and "/static/" in r.url)
            else None
        ),
    )
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    return context, page, problems


class Steps:
    """The page, the server, and numbered screenshots of each step."""

    def __init__(self, page: Any, server: Any, shots: Path) -> None:
        self.page = page
        self.base = server.url
        self.shots = shots
        self.n = 0

    def shot(self, name: str) -> None:
        """Save the whole page as ``NN-name.png``."""
        self.n += 1
        self.page.screenshot(path=str(self.shots / f"{self.n:02d}-{name}.png"), full_page=True)

    def settle_charts(self) -> None:
        """Wait until the dashboard's ECharts charts are drawn in full (not mid-animation)."""
        page = self.page
        page.wait_for_function(
            "() => [...document.querySelectorAll('.chart')].every(el => el.hasAttribute('_echarts_instance_'))"
        )
        # Redraw without animation and wait for ECharts' 'finished' event on every chart.
        page.evaluate("""() => document.querySelectorAll('.chart').forEach(el => {
            const chart = echarts.getInstanceByDom(el);
            el.dataset.settled = '0';
            chart.on('finished', () => { el.dataset.settled = '1'; });
            chart.setOption({animation: false});
        })""")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.chart')].every(el => el.dataset.settled === '1')"
        )

    def sign_in(self, username: str) -> None:
        """Sign in on the sign-in page and land on the dashboard."""
        from playwright.sync_api import expect

        page = self.page
        page.goto(self.base + "/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="登录", exact=True).click()
        expect(page).to_have_url(self.base + "/")
        expect(page.get_by_role("button", name="退出")).to_be_visible()

    def sign_out(self) -> None:
        """Sign out through the navigation bar's button."""
        from playwright.sync_api import expect

        with self.page.expect_navigation():
            self.page.get_by_role("button", name="退出").click()
        expect(self.page.get_by_label("用户名")).to_be_visible()

    def act(self, pk: int, action: str, *, grade: str = "", comment: str = "") -> None:
        """Open the declaration page and take a workflow action from its 流程 card."""
        page = self.page
        page.goto(f"{self.base}/declarations/{pk}/")
        form = page.locator(f"form.action-form[data-action='{action}']")
        if grade:
            form.get_by_label(grade, exact=True).check()
        if comment:
            form.locator("[name=comment]").fill(comment)
        confirm = form.locator("[name=confirm]")
        if confirm.count():  # 提交 and 公开 ask for confirmation
            confirm.check()
        with page.expect_navigation():
            form.get_by_role("button").click()


def test_declaration_from_draft_to_public_page(jixiao_server: Any, chromium: Any, shots: Path) -> None:
    """A filler's new declaration goes through the whole workflow and appears on the public page."""
    from playwright.sync_api import expect

    context, page, problems = watched_page(chromium, timeout_ms=15_000)
    # A failed load is reported with its URL by the response handler above (a missing /favicon.ico is
    # not a failure of the scenario); other console errors are.
    page.on(
        "console",
        lambda m: (
            problems.append(f"console {m.type}: {m.text}")
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    s = Steps(page, jixiao_server, shots)
    try:
        # 1. The filler signs in and sees the dashboard.
        s.sign_in("filler")
        expect(page.locator("#stat-total")).to_be_visible()
        s.settle_charts()
        s.shot("filler-dashboard")

        # 2. The editor: project fields, funding, goals, three indicator rows.
        page.get_by_role("link", name="新建申报表").click()
        expect(page.get_by_role("heading", name="新建申报表")).to_be_visible()
        page.get_by_label("年度", exact=True).fill("2024")
        page.get_by_label("项目名称", exact=True).fill(PROJECT)
        page.get_by_label("项目类别", exact=True).fill("经常性项目")
        page.get_by_label("计划开始日期").fill("2024-01-01")
        page.get_by_label("计划完成日期").fill("2024-12-31")
        page.get_by_label("项目资金总额").fill("1,200,000")
        page.get_by_label("其中：财政资金").fill("1,200,000")
        page.get_by_label("年度资金申请总额").fill("1,200,000")
        page.get_by_label("其中：当年财政拨款").fill("1,200,000")
        page.get_by_label("项目总目标").fill("对全区11个街镇开展网格化巡查，及时发现并处置城市运行问题。")
        page.get_by_label("年度总目标").fill("2024年完成11个街镇网格巡查全覆盖，问题按时处置率不低于95%。")
        rows = page.locator("#indicator-rows tr.ind-row")
        for n, (level1, level2, name, target) in enumerate(INDICATORS):
            page.get_by_role("button", name="添加指标").click()
            expect(rows).to_have_count(n + 1)
            row = rows.nth(n)
            row.get_by_label("一级指标").select_option(level1)
            row.get_by_label("二级指标").select_option(level2)
            row.get_by_label("三级指标").fill(name)
            row.get_by_label("指标目标值").fill(target)
            # The live check says how the target reads (or why it cannot) before anything is saved.
            check = row.locator(".target-check")
            if target == BAD_TARGET:
                expect(row.get_by_label("指标目标值")).to_have_class(re.compile(r"\bis-invalid\b"))
                expect(check).to_contain_text("无法识别")
            else:
                expect(row.get_by_label("指标目标值")).to_have_class(re.compile(r"\bis-valid\b"))
        s.shot("editor-target-rejected")

        # 3. The filler fixes the rejected target; the check now explains how it reads.
        bad_row = rows.nth(1)
        bad_row.get_by_label("指标目标值").fill(GOOD_TARGET)
        expect(bad_row.get_by_label("指标目标值")).to_have_class(re.compile(r"\bis-valid\b"))
        expect(bad_row.locator(".target-check")).to_contain_text("95")
        s.shot("editor-target-fixed")

        # 4. Save as a draft: the editor reopens on the saved declaration.
        with page.expect_navigation():
            page.get_by_role("button", name="保存草稿").click()
        expect(page).to_have_url(re.compile(r"/declarations/\d+/edit/$"))
        expect(page.get_by_role("alert").filter(has_text="保存成功")).to_be_visible()
        expect(rows).to_have_count(3)
        pk = int(re.search(r"/declarations/(\d+)/", page.url).group(1))  # type: ignore[union-attr]
        s.shot("draft-saved")

        # 5. The declaration page, laid out like the official form; the filler submits it.
        page.goto(f"{jixiao_server.url}/declarations/{pk}/")
        form = page.locator("#official-form")
        expect(form.locator("#f-project-name")).to_have_text(PROJECT)
        expect(form.locator(".indicator-name")).to_have_text([i[2] for i in INDICATORS])
        expect(form).to_contain_text(GOOD_TARGET)
        expect(page.locator("#status")).to_have_text("草稿")
        s.shot("draft-page")
        s.act(pk, "submit", comment="请单位负责人审核")
        expect(page.locator("#status")).to_have_text("已提交单位负责人")
        s.shot("submitted-by-filler")
        s.sign_out()

        # 6. The unit head sends it to the department.
        s.sign_in("unithead")
        s.act(pk, "forward", comment="单位审核通过，报送主管部门")
        expect(page.locator("#status")).to_have_text("主管部门审核中")
        s.shot("forwarded-by-unit-head")
        s.sign_out()

        # 7. The department reviewer grades it 优: it goes on to finance.
        s.sign_in("deptreviewer")
        page.goto(f"{jixiao_server.url}/declarations/{pk}/")
        expect(page.locator("form.action-form[data-action='dept_review']")).to_be_visible()
        s.shot("department-review-form")
        s.act(pk, "dept_review", grade="优", comment="目标明确，指标可衡量，同意报送财政")
        expect(page.locator("#status")).to_have_text("财政审核中")
        expect(page.locator("#grade")).to_contain_text("优")
        s.shot("graded-by-department")
        s.sign_out()

        # 8. Finance approves it, then publishes it.
        s.sign_in("finance")
        s.act(pk, "finance_review", grade="优", comment="同意批复")
        expect(page.locator("#status")).to_have_text("已批复")
        s.shot("approved-by-finance")
        s.act(pk, "publish", comment="随部门预算公开")
        expect(page.locator("#status")).to_have_text("已公开")
        transitions = page.locator("#transitions li")
        expect(transitions).to_have_count(5)
        s.shot("published")
        s.sign_out()

        # 9. Signed out, the public page lists it and shows the published form.
        page.goto(jixiao_server.url + "/public/")
        link = page.locator("#public-table").get_by_role("link", name=PROJECT)
        expect(link).to_be_visible()
        s.shot("public-list")
        with page.expect_navigation():
            link.click()
        expect(page.locator("#f-project-name")).to_have_text(PROJECT)
        expect(page.locator("#official-form .indicator-name")).to_have_text([i[2] for i in INDICATORS])
        expect(page.get_by_role("button", name="退出")).to_have_count(0)
        s.shot("public-declaration")

        # 10. The same document, signed out, from the public API as canonical JSON.
        response = page.request.get(f"{jixiao_server.url}/api/public/declarations?year=2024")
        assert response.status == 200
        body = response.json()  # a page: {"items": [...], "count": n}
        published = [d for d in body["items"] if d["project"]["name"] == PROJECT]
        assert len(published) == 1
        assert [i["target"]["text"] for i in published[0]["indicators"]] == ["=11个", GOOD_TARGET, ">=90%"]
    except Exception as exc:
        s.shot("failure")
        raise AssertionError(
            f"browser scenario failed after screenshot {s.n}; problems: {problems}\n"
            f"server log:\n{jixiao_server.log_tail()}"
        ) from exc
    finally:
        context.close()
    assert problems == [], "server errors, missing assets or script errors:\n" + "\n".join(problems)
