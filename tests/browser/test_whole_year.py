"""The whole year in a real browser, as the people of ``jixiao demo`` live it.

The filler declares a project (the live check turns 大幅提升 amber, not green, until it is written as
a relative target), the unit head, the department and finance review it and finance publishes it; in
July the filler reports 1–7月 monitoring, which shows a red light (the budget far behind the
time-proportional plan, domain-rules.md §4) and goes through the same workflow; after the year the
self-evaluation has a missed target, and submitting it is refused with the list of what is missing
until its 偏差原因分析 is written (domain-rules.md §5.3); reviewed, it is published with confirmation
and appears on the public page. Every step leaves a screenshot in ``test-output/browser/``
(prefixed ``year-``). Waits are on elements and navigations, never on time.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from test_declaration_lifecycle import Steps, watched_page

pytestmark = pytest.mark.browser

PROJECT = "青浦区城市网格巡查专项（全年流程测试）"
INDICATORS = [  # level1, level2, 三级指标, target
    ("产出指标", "数量指标", "网格巡查频次", "每日巡查2次"),
    ("产出指标", "质量指标", "巡查问题按期处置率", "大幅提升"),  # rewritten below
    ("效益指标", "社会效益指标", "城市运行安全事故", "零事故"),
    ("满意度指标", "服务对象满意度指标", "市民满意度", ">=90%"),
]
RELATIVE = "较上年提高5个百分点"


class Year(Steps):
    """Steps with screenshots named ``year-NN-…`` and the evaluation pages' workflow card."""

    def shot(self, name: str) -> None:
        """Save the whole page as ``year-NN-name.png``."""
        self.n += 1
        self.page.screenshot(path=str(self.shots / f"year-{self.n:02d}-{name}.png"), full_page=True)

    def step(self, url: str, action: str, *, comment: str = "") -> None:
        """Take a workflow step from the 流程 card of a self-evaluation or monitoring page."""
        page = self.page
        page.goto(self.base + url)
        form = page.locator(f"#workflow form.action-form[data-action='{action}']")
        if comment:
            form.locator("[name=comment]").fill(comment)
        confirm = form.locator("[name=confirm]")
        if confirm.count():
            confirm.check()
        with page.expect_navigation():
            form.get_by_role("button").click()


def test_the_whole_year_from_declaration_to_the_public_self_evaluation(
    jixiao_server: Any, chromium: Any, shots: Path
) -> None:
    """Declare → review → publish → monitoring with a red light → self-evaluation blocked until its
    deviation note is written → reviewed → published → the public page."""
    from playwright.sync_api import expect

    context, page, problems = watched_page(chromium)
    s = Year(page, jixiao_server, shots)
    base = jixiao_server.url
    try:
        # 1. Declare: the editor, with 年度 and 主管部门 already filled in from the date and the tree.
        s.sign_in("filler")
        page.goto(base + "/declarations/new/")
        expect(page.get_by_label("主管部门")).not_to_have_value("")
        page.get_by_label("年度", exact=True).fill("2024")
        page.get_by_label("项目名称", exact=True).fill(PROJECT)
        page.get_by_label("项目类别", exact=True).fill("经常性项目")
        page.get_by_label("计划开始日期").fill("2024-01-01")
        page.get_by_label("计划完成日期").fill("2024-12-31")
        for label in ("项目资金总额", "其中：财政资金", "年度资金申请总额", "其中：当年财政拨款"):
            page.get_by_label(label).fill("1200000")
        # A negative amount is caught while typing, not after saving; a good one gets its separators.
        carryover = page.get_by_label("上年结转资金")
        carryover.fill("-5000")
        expect(carryover).to_have_class(re.compile(r"\bis-invalid\b"))
        expect(page.get_by_text("金额不能为负数")).to_be_visible()
        carryover.fill("")
        expect(carryover).not_to_have_class(re.compile(r"\bis-invalid\b"))
        page.get_by_label("项目资金总额").focus()
        page.get_by_label("项目总目标").focus()
        expect(page.get_by_label("项目资金总额")).to_have_value("1,200,000.00")
        page.get_by_label("项目总目标").fill("对全区11个街镇开展网格化巡查，及时发现并处置城市运行问题。")
        page.get_by_label("年度总目标").fill(
            "每日巡查2次，巡查问题按期处置率较上年提高5个百分点，全年零事故，市民满意度不低于90%。"
        )
        rows = page.locator("#indicator-rows tr.ind-row")
        for n, (level1, level2, name, target) in enumerate(INDICATORS):
            page.get_by_role("button", name="添加指标").click()
            row = rows.nth(n)
            row.get_by_label("一级指标").select_option(level1)
            row.get_by_label("二级指标").select_option(level2)
            row.get_by_label("三级指标").fill(name)
            row.get_by_label("指标目标值").fill(target)
        vague = rows.nth(1).get_by_label("指标目标值")
        # The live check runs the save's review: 大幅提升 is readable but not measurable, so amber.
        expect(vague).to_have_class(re.compile(r"\bis-warning\b"))
        expect(rows.nth(1).locator(".live-finding").first).to_contain_text("JX-Q01")
        expect(page.locator("#live-grade")).not_to_have_text("—")
        s.shot("editor-vague-target-amber")
        vague.fill(RELATIVE)
        expect(vague).not_to_have_class(re.compile(r"\bis-warning\b|\bis-invalid\b"))
        expect(rows.nth(1).locator(".target-check")).to_contain_text("相对型")
        expect(rows.nth(0).locator(".target-check")).to_contain_text("每日")
        s.shot("editor-relative-target")
        with page.expect_navigation():
            page.get_by_role("button", name="保存草稿").click()
        pk = int(re.search(r"/declarations/(\d+)/", page.url).group(1))  # type: ignore[union-attr]

        # 2. Review: submitted (with confirmation), forwarded, graded by department and finance, published.
        page.goto(f"{base}/declarations/{pk}/")
        expect(page.locator("#grade-panel")).to_be_visible()
        s.shot("declaration-grade-panel")
        s.act(pk, "submit", comment="请单位负责人审核")
        expect(page.locator("#status")).to_have_text("已提交单位负责人")
        s.sign_out()
        s.sign_in("unithead")
        s.act(pk, "forward", comment="报送主管部门")
        s.sign_out()
        s.sign_in("deptreviewer")
        s.act(pk, "dept_review", grade="优", comment="目标可衡量，同意")
        s.sign_out()
        s.sign_in("finance")
        s.act(pk, "finance_review", grade="优", comment="同意批复")
        s.act(pk, "publish", comment="随部门预算公开")
        expect(page.locator("#status")).to_have_text("已公开")
        s.shot("declaration-published")
        s.sign_out()

        # 3. Monitoring at 1–7月: 150,000 of 1,200,000 spent against a 7/12 plan is a red light.
        s.sign_in("filler")
        page.goto(f"{base}/evaluation/declarations/{pk}/monitoring/?month=7")
        page.locator("[name=budget_initial]").fill("1200000")
        page.locator("[name=budget_adjusted]").fill("1200000")
        page.locator("[name=budget_executed]").fill("150000")
        for n, (progress, likelihood) in enumerate(
            [
                ("每日巡查2次", "确定能"),
                ("较上年提高3个百分点", "有可能"),
                ("0起", "确定能"),
                ("88%", "有可能"),
            ]
        ):
            page.locator(f"[name=progress_{n}]").fill(progress)
            page.locator(f"[name=likelihood_{n}]").select_option(likelihood)
            page.locator(f"[name=forecast_{n}]").fill("预计全年完成")
            if likelihood == "有可能":
                page.locator(f"[name=reasons_{n}]").first.check()
                page.locator(f"[name=measures_{n}]").fill("增派巡查人员，按周督办")
        expect(page.locator("#live-budget-light .jx-red")).to_be_visible()
        s.shot("monitoring-red-light-while-typing")
        with page.expect_navigation():
            page.locator("#monitoring-form button").last.click()
        expect(page).to_have_url(re.compile(r"/monitoring/7/$"))
        expect(page.locator("#official-form")).to_contain_text("红灯")
        s.step(f"/evaluation/declarations/{pk}/monitoring/7/", "submit")
        expect(page.locator("#workflow-status")).to_have_text("单位审核中")
        s.shot("monitoring-submitted")
        s.sign_out()
        s.sign_in("unithead")
        s.step(f"/evaluation/declarations/{pk}/monitoring/7/", "forward")
        s.sign_out()
        s.sign_in("deptreviewer")
        s.step(f"/evaluation/declarations/{pk}/monitoring/7/", "dept_approve", comment="已督促整改")
        expect(page.locator("#workflow-status")).to_have_text("财政审核中")
        s.shot("monitoring-reviewed-by-department")
        s.sign_out()

        # 4. Self-evaluation: 满意度 88% misses >=90%; without a note it cannot be submitted.
        s.sign_in("filler")
        edit = f"{base}/evaluation/declarations/{pk}/self-evaluation/edit/"
        page.goto(edit)
        page.locator("[name=budget_initial]").fill("1200000")
        page.locator("[name=budget_adjusted]").fill("1200000")
        page.locator("[name=budget_executed]").fill("1,150,000")
        page.locator("[name=outcome]").fill("全年完成网格巡查，处置率较上年提高5个百分点，未发生安全事故。")
        for n, actual in enumerate(["每日巡查2次", "较上年提高5个百分点", "0起", "88%"]):
            page.locator(f"[name=actual_{n}]").fill(actual)
        expect(page.locator("#live-total")).not_to_have_text(re.compile("^总分 —$"))
        expect(page.locator("#live-indicators")).to_contain_text("须填写偏差原因")
        s.shot("self-evaluation-missed-target")
        with page.expect_navigation():
            page.locator("#save").click()
        s.step(f"/evaluation/declarations/{pk}/self-evaluation/", "submit")
        expect(page.get_by_role("alert").filter(has_text="不能提交")).to_contain_text("市民满意度")
        expect(page.locator("#workflow-problems")).to_contain_text("偏差原因分析")
        expect(page.locator("#workflow-status")).to_have_text("填报中")
        s.shot("self-evaluation-blocked")
        page.goto(edit)
        page.locator("[name=note_3]").fill("部分街镇巡查后反馈不及时，下年建立问题回访制度。")
        with page.expect_navigation():
            page.locator("#save").click()
        s.step(f"/evaluation/declarations/{pk}/self-evaluation/", "submit")
        expect(page.locator("#workflow-status")).to_have_text("单位审核中")
        expect(page.locator("#workflow-problems")).to_have_count(0)
        s.shot("self-evaluation-submitted")
        s.sign_out()

        # 5. Reviewed by the unit head, the department and finance; published with confirmation.
        s.sign_in("unithead")
        s.step(f"/evaluation/declarations/{pk}/self-evaluation/", "forward")
        s.sign_out()
        s.sign_in("deptreviewer")
        s.step(f"/evaluation/declarations/{pk}/self-evaluation/", "dept_approve", comment="同意")
        s.sign_out()
        s.sign_in("finance")
        s.step(f"/evaluation/declarations/{pk}/self-evaluation/", "finance_approve", comment="同意")
        page.goto(f"{base}/evaluation/declarations/{pk}/self-evaluation/")
        expect(page.locator("#confirm-publish")).to_be_visible()
        s.shot("self-evaluation-publish-confirmation")
        s.step(f"/evaluation/declarations/{pk}/self-evaluation/", "publish")
        expect(page.locator("#workflow-status")).to_have_text("已公开")
        expect(page.locator("#transitions li")).to_have_count(5)
        s.shot("self-evaluation-published")
        page.goto(base + "/evaluation/")
        s.shot("finance-dashboard")
        s.sign_out()

        # 6. Signed out, the public page lists the self-evaluation and shows it, with its note.
        page.goto(base + "/public/evaluations/")
        link = page.get_by_role("link", name=PROJECT)
        expect(link).to_be_visible()
        with page.expect_navigation():
            link.click()
        expect(page.locator("#official-form")).to_contain_text("下年建立问题回访制度")
        expect(page.get_by_role("button", name="退出")).to_have_count(0)
        s.shot("public-self-evaluation")
    except Exception as exc:
        s.shot("failure")
        raise AssertionError(
            f"whole-year scenario failed after screenshot {s.n}; problems: {problems}\n"
            f"server log:\n{jixiao_server.log_tail()}"
        ) from exc
    finally:
        context.close()
    assert problems == [], "server errors, missing assets or script errors:\n" + "\n".join(problems)
