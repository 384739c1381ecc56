"""评价结果应用 in a real browser, on the demo: finance opens the year's results, downloads the Excel and
the PDF for the budget meeting; a continuing project's 2023 declaration shows 2022's result beside
each indicator.

The demo's seven 2022 projects are self-evaluated by ``jixiao demo`` (services/evaluation_demo.py):
the sixth, 区城运中心城运平台等辅助服务, spent 45 % of its money and missed most targets, so it is 差 and
the suggestion is 压减或取消预算; 城运案件托底处置费 missed 案件处置类别 (>40, actual 37.6). The Excel is
opened with openpyxl and its rows asserted; the PDF's pages are rendered to PNG with pdftoppm into
``test-output/browser/results/`` to be looked at. Waits are on elements and downloads, never on time.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from test_declaration_lifecycle import watched_page

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "jixiao-demo-2022"
POOR = "区城运中心城运平台等辅助服务"
CONTINUING = "城运案件托底处置费"


def test_finance_results_report_excel_pdf_and_last_years_result(jixiao_server: Any, chromium: Any) -> None:
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    shots = Path(__file__).resolve().parents[2] / "test-output" / "browser" / "results"
    shots.mkdir(parents=True, exist_ok=True)
    for old in [*shots.glob("*.png"), *shots.glob("*.pdf"), *shots.glob("*.xlsx")]:
        old.unlink()
    context, page, problems = watched_page(chromium, accept_downloads=True)
    base = jixiao_server.url

    def sign_in(username: str) -> None:
        page.goto(base + "/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="登录", exact=True).click()

    # 1. finance opens the results report from the menu: the latest year with results, 2022
    sign_in("finance")
    with page.expect_navigation():
        page.locator("#nav-results").click()
    expect(page.locator("#results-title")).to_have_text("2022 绩效评价结果应用")
    summary = page.locator("#results-summary")
    expect(summary).to_contain_text("上海市青浦区城市运行管理中心")
    poor = page.locator(f"#results-projects tr[data-project='{POOR}']")
    expect(poor.locator(".suggestion")).to_have_text("压减或取消预算")
    expect(poor).to_contain_text("差")
    expect(poor).to_contain_text("45.00%")
    expect(poor).to_contain_text("等级为差；预算执行率低于 60%；未完成指标 1 项及以上")
    continuing = page.locator(f"#results-projects tr[data-project='{CONTINUING}']")
    expect(continuing).to_contain_text("案件处置类别：目标 >40，实际 37.6")
    expect(continuing.locator(".suggestion")).to_have_text("按未完成指标整改，完善下年度目标")
    expect(page.locator("#results-projects tr.suggest-excellent").first).to_contain_text("优先保障")
    page.screenshot(path=str(shots / "01-results-page.png"), full_page=True)

    # 2. the Excel for the budget meeting: one row per project, opened with openpyxl
    with page.expect_download() as download:
        page.locator("#results-xlsx").click()
    xlsx = shots / "results-2022.xlsx"
    download.value.save_as(xlsx)
    assert download.value.suggested_filename == "2022-绩效评价结果应用.xlsx"
    ws = load_workbook(xlsx)["评价结果应用"]
    header = [c.value for c in ws[3]]
    assert header[:6] == ["主管部门", "单位", "项目名称", "自评得分", "等级", "预算执行率"]
    rows = {r[2]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    assert len(rows) == 7
    assert rows[POOR][4] == "差" and rows[POOR][5] == 0.45 and rows[POOR][10] == "压减或取消预算"
    assert rows[CONTINUING][8] == "案件处置类别：目标 >40，实际 37.6"
    assert sum(1 for r in rows.values() if r[4] == "优") == 6

    # 3. the PDF: downloaded, each page rendered to PNG to be looked at
    with page.expect_download() as download:
        page.locator("#results-pdf").click()
    pdf = shots / "results-2022.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(shots / "02-results-pdf")], check=True)
    pngs = sorted(shots.glob("02-results-pdf*.png"))
    assert pngs, "pdftoppm rendered no page"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "2022年度绩效评价结果应用" in text.replace(" ", "")
    assert "压减或取消预算" in text.replace(" ", "")

    # 4. English: the language switch, the same report with every label in English
    with page.expect_navigation():
        page.locator("#lang-form button[value='en']").click()
    expect(page.locator("#results-title")).to_contain_text("Evaluation results applied to the budget")
    expect(poor.locator(".suggestion")).to_have_text("reduce or stop the budget")
    expect(poor).to_contain_text("grade Poor; execution rate below 60%")
    page.screenshot(path=str(shots / "03-results-page-en.png"), full_page=True)
    with page.expect_navigation():
        page.locator("#lang-form button[value='zh-hans']").click()

    # 5. the unit's 2023 declaration of the same project shows 2022's result beside each indicator
    context.clear_cookies()  # a different person on the same machine
    sign_in("filler")
    page.goto(base + "/declarations/?year=2023")
    with page.expect_navigation():
        page.get_by_role("link", name=CONTINUING, exact=True).click()
    expect(page.locator("#last-year-note")).to_contain_text("2022")
    missed = page.locator(".last-year[data-met='no']")
    expect(missed.first).to_contain_text("2022 上年：目标值 >40，实际 37.6 · 未达成")
    expect(page.locator(".last-year[data-met='yes']").first).to_contain_text("· 已达成")
    page.screenshot(path=str(shots / "04-declaration-last-year.png"), full_page=True)
    with page.expect_navigation():
        page.locator("#edit-link").click()
    expect(page.locator(".last-year[data-met='no']").first).to_contain_text("实际 37.6 · 未达成")
    page.screenshot(path=str(shots / "05-editor-last-year.png"), full_page=True)

    assert not problems, problems
    context.close()
