"""A bulk export in the browser: started from the declarations list, it runs as a job in the demo's
worker; the page's progress bar (htmx polling) follows it to the result, a zip of official forms."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "jixiao-demo-2022"  # jixiao.services.demo.DEMO_PASSWORD


def test_an_export_of_the_filtered_list_runs_as_a_job_and_its_zip_downloads(
    jixiao_server: Any, chromium: Any, shots: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    server = jixiao_server
    context = chromium.new_context(
        viewport={"width": 1400, "height": 900},
        locale="zh-CN",
        reduced_motion="reduce",
        accept_downloads=True,
    )
    page = context.new_page()
    page.goto(server.url + "/login/")
    page.get_by_label("用户名").fill("filler")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录", exact=True).click()
    page.goto(server.url + "/declarations/")
    listed = page.locator("#declaration-table tbody tr").count()
    page.locator("#job-fmt").select_option("zip-xlsx")
    page.screenshot(path=str(shots / "export-job-01-list.png"), full_page=True)
    with page.expect_navigation():
        page.locator("#job-export").click()
    assert "/jobs/" in page.url, server.log_tail()
    expect(page.locator("#job-progress")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("批量导出")
    # The demo's worker (started beside the server) does the job; the page polls until it is done.
    # A bound for the worker, not a speed assertion.
    expect(page.locator("#job-state")).to_have_text("已完成", timeout=90_000)
    expect(page.locator("#job-progress")).to_have_attribute("aria-valuenow", "100")
    total = int(page.locator("#job-count").inner_text().split("/")[1])
    assert total >= listed > 0  # every declaration the filter finds, not only the first page
    expect(page.locator("#job-result")).to_contain_text(f"已导出 {total} 份申报表")
    page.locator("#job-panel details summary").click()
    expect(page.locator("#job-log")).to_contain_text("导出")
    page.screenshot(path=str(shots / "export-job-02-done.png"), full_page=True)
    with page.expect_download() as download_info:
        page.locator("#job-download").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".zip")
    saved = tmp_path / "export.zip"
    download.save_as(saved)
    names = zipfile.ZipFile(io.BytesIO(saved.read_bytes())).namelist()
    assert len(names) == total and len(set(names)) == total and all(n.endswith(".xlsx") for n in names)
    # The job is the filler's: another unit's filler, signed in elsewhere, does not see it.
    other = chromium.new_context(locale="zh-CN")
    second = other.new_page()
    second.goto(server.url + "/login/")
    second.get_by_label("用户名").fill("filler2")
    second.get_by_label("密码").fill(DEMO_PASSWORD)
    with second.expect_navigation():
        second.get_by_role("button", name="登录", exact=True).click()
    response = second.goto(page.url)
    assert response is not None and response.status == 404
    other.close()
    context.close()
