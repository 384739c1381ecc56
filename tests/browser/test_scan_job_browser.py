"""A scan of two pages in the browser: the upload goes to the job page, whose progress bar counts the
pages the demo's worker reads, then on to the import preview of the forms read."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pypdfium2
import pytest

from jixiao.formats import read_path
from jixiao.formats.render.pdf import render_pdf

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DEMO_PASSWORD = "jixiao-demo-2022"  # jixiao.services.demo.DEMO_PASSWORD


def _two_page_scan(seed: Path, folder: Path) -> Path:
    """The seed's second and third forms rendered, rasterised at 150 dpi, saved as an image-only PDF."""
    pdf = pypdfium2.PdfDocument(render_pdf(read_path(seed)[1:3]))
    try:
        pages = [pdf[n].render(scale=150 / 72).to_pil().convert("RGB") for n in range(len(pdf))]
    finally:
        pdf.close()
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=150)
    path = folder / "扫描件.pdf"
    path.write_bytes(out.getvalue())
    return path


def test_a_long_scan_is_read_by_a_job_then_previewed(
    jixiao_server: Any, chromium: Any, shots: Path, seed_file: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    scan = _two_page_scan(seed_file, tmp_path)
    context = chromium.new_context(
        viewport={"width": 1400, "height": 900}, locale="zh-CN", reduced_motion="reduce"
    )
    page = context.new_page()
    page.goto(jixiao_server.url + "/login/")
    page.get_by_label("用户名").fill("filler2")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录", exact=True).click()
    page.goto(jixiao_server.url + "/declarations/import/")
    page.locator("#f-file").set_input_files(str(scan))
    with page.expect_navigation():
        page.get_by_role("button", name="预览").click()
    assert "/jobs/" in page.url, jixiao_server.log_tail()
    job_url = page.url
    expect(page.locator("h1")).to_contain_text("扫描件识别")
    expect(page.locator("#job-progress")).to_be_visible()
    page.screenshot(path=str(shots / "scan-job-01-progress.png"), full_page=True)
    # The demo's worker reads the two pages (seconds each); when the poll sees the job done, htmx
    # goes on to the preview. A bound for the worker, not a speed assertion.
    page.wait_for_url("**/declarations/import/*/", timeout=300_000)
    expect(page.locator("body")).to_contain_text("城运案件托底处置费")
    page.screenshot(path=str(shots / "scan-job-02-preview.png"), full_page=True)
    page.go_back()  # the job's page, fetched again: it shows what was read and stays there
    assert page.url == job_url
    expect(page.locator("#job-result")).to_contain_text("已识别 2 页")
    expect(page.locator("#job-preview")).to_be_visible()
    page.screenshot(path=str(shots / "scan-job-03-done.png"), full_page=True)
    context.close()
