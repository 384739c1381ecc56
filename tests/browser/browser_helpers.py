"""Steps several browser tests take the same way."""

from __future__ import annotations

from typing import Any

# The demo accounts' password (jixiao.services.demo.DEMO_PASSWORD).
DEMO_PASSWORD = "jixiao-demo-2022"


def sign_in(page: Any, base: str, username: str) -> None:
    """Sign ``username`` in on the sign-in page, as a person does (Chinese labels)."""
    page.goto(base + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录", exact=True).click()
