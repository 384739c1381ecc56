"""A large import in the browser: confirmed, it runs as a job in the demo's worker, and the page's
progress bar (htmx polling) follows it to the result."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "jixiao-demo-2022"  # jixiao.services.demo.DEMO_PASSWORD


@pytest.fixture(scope="module")
def _large_imports() -> Iterator[None]:
    """Make the seed's seven forms a large import for the server started after this fixture."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JIXIAO_IMPORT_JOB_MIN", "2")
        yield


@pytest.fixture(scope="module")
def server(_large_imports: None, jixiao_server: Any) -> Any:
    return jixiao_server


def test_an_import_runs_as_a_job_with_a_progress_bar(
    server: Any, chromium: Any, shots: Path, seed_file: Path
) -> None:
    from playwright.sync_api import expect

    assert os.environ.get("JIXIAO_IMPORT_JOB_MIN") == "2"
    context = chromium.new_context(
        viewport={"width": 1400, "height": 900}, locale="zh-CN", reduced_motion="reduce"
    )
    page = context.new_page()
    page.goto(server.url + "/login/")
    page.get_by_label("用户名").fill("filler2")  # a unit without the seed's forms: all seven are new
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录", exact=True).click()
    page.goto(server.url + "/declarations/import/")
    page.locator("#f-file").set_input_files(str(seed_file))
    with page.expect_navigation():
        page.get_by_role("button", name="预览").click()
    with page.expect_navigation():
        page.locator("#confirm-import").click()
    assert "/jobs/" in page.url, server.log_tail()
    expect(page.locator("#job-progress")).to_be_visible()
    page.screenshot(path=str(shots / "job-01-progress.png"), full_page=True)
    # The demo's worker (started beside the server) does the job; the page polls until it is done.
    # A bound for the worker, not a speed assertion.
    expect(page.locator("#job-state")).to_have_text("已完成", timeout=60_000)
    expect(page.locator("#job-progress")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("#job-count")).to_have_text("7 / 7")
    expect(page.locator("#job-result")).to_contain_text("导入 7 份申报表")
    page.locator("#job-panel details summary").click()
    expect(page.locator("#job-log")).to_contain_text("新建 7")  # the reader's half of each line
    page.screenshot(path=str(shots / "job-02-done.png"), full_page=True)
    context.close()
