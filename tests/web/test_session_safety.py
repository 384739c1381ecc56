"""Sessions outside DEBUG: the idle timeout, cookies only over HTTPS and not readable by scripts, HSTS."""

from __future__ import annotations

import importlib.util
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings

from jixiao.web import settings as settings_module
from jixiao.web.middleware import LAST_SEEN

from .conftest import PASSWORD, signed_in

pytestmark = pytest.mark.django_db


def _idle_for(client: Client, seconds: int) -> None:
    """Make the client's session look as if its last request was ``seconds`` ago."""
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds
    session.save()


@pytest.mark.parametrize(
    ("idle", "signed_out"),
    [(30 * 60 + 5, True), (30 * 60 - 60, False), (3 * 3600, True)],
    ids=["just-over", "just-under", "hours"],
)
def test_an_idle_session_is_signed_out_with_a_message(
    users: dict[str, Any], idle: int, signed_out: bool
) -> None:
    assert django_settings.SESSION_IDLE_SECONDS == 30 * 60  # the default
    client = signed_in(users["filler_a"])
    assert client.get("/").status_code == 200
    _idle_for(client, idle)
    response = client.get("/declarations/")
    if not signed_out:
        assert response.status_code == 200
        return
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=/declarations/")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "30 分钟未操作，已自动退出" in page
    # Signed out for good: the next request is a plain redirect to the sign-in page.
    assert client.get("/declarations/").status_code == 302


def test_each_request_restarts_the_idle_time(users: dict[str, Any]) -> None:
    client = signed_in(users["filler_a"])
    client.get("/")
    _idle_for(client, 20 * 60)
    assert client.get("/").status_code == 200  # 20 minutes: still signed in, the clock restarts
    assert int(time.time()) - client.session[LAST_SEEN] < 60


def test_a_request_soon_after_the_last_one_does_not_write_the_session(users: dict[str, Any]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(users["filler_a"])
    client.get("/")
    seen = client.session[LAST_SEEN]
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert client.session[LAST_SEEN] == seen
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    # Once the stored time is older than the touch interval, the next request moves it on.
    _idle_for(client, django_settings.SESSION_TOUCH_SECONDS + 1)
    client.get("/")
    assert int(time.time()) - client.session[LAST_SEEN] < 5


def test_the_idle_timeout_is_configurable(users: dict[str, Any], settings: Any) -> None:
    settings.SESSION_IDLE_SECONDS = 5 * 60
    client = signed_in(users["filler_a"])
    client.get("/")
    _idle_for(client, 6 * 60)
    response = client.get("/", follow=True)
    assert "5 分钟未操作" in response.content.decode()


def test_an_idle_api_session_gets_a_json_401(users: dict[str, Any]) -> None:
    client = signed_in(users["filler_a"])
    assert client.get("/api/declarations/").status_code == 200
    _idle_for(client, 31 * 60)
    response = client.get("/api/declarations/")
    assert response.status_code == 401 and response.json()["code"] == "JX-E713"


# --- cookies and HSTS as the settings module computes them from the environment ----------------

SECURITY_SETTINGS = {
    # name: Django's default where the module leaves it unset
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "CSRF_COOKIE_SAMESITE": "Lax",
    "SECURE_HSTS_SECONDS": 0,
    "SECURE_PROXY_SSL_HEADER": None,
}


def _settings_under(env: dict[str, str], tmp_path: Path, monkeypatch: Any) -> dict[str, Any]:
    """Import a fresh copy of jixiao.web.settings under ``env`` and return its security settings."""
    for key in list(os.environ):
        if key.startswith("JIXIAO_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("JIXIAO_DATABASE_URL", f"sqlite:///{tmp_path / 'unused.sqlite3'}")
    monkeypatch.setenv("JIXIAO_STATIC_ROOT", str(tmp_path / "static"))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    spec = importlib.util.spec_from_file_location("jixiao_settings_probe", settings_module.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {name: getattr(module, name, default) for name, default in SECURITY_SETTINGS.items()}


def _sign_in_over_https(client: Client) -> Any:
    headers = {"X-Forwarded-Proto": "https"}
    client.get("/login/", headers=headers)
    return client.post("/login/", {"username": "filler_a", "password": PASSWORD}, headers=headers)


PRODUCTION = {"JIXIAO_SECRET_KEY": "a-real-random-key-0123456789abcdef"}


def test_outside_debug_cookies_are_secure_and_hsts_is_sent(
    users: dict[str, Any], tmp_path: Path, monkeypatch: Any
) -> None:
    values = _settings_under(PRODUCTION, tmp_path, monkeypatch)
    with override_settings(**values):
        client = Client()
        response = _sign_in_over_https(client)
        assert response.status_code == 302
        assert response["Strict-Transport-Security"].startswith("max-age=31536000")
        session = response.cookies[django_settings.SESSION_COOKIE_NAME]
        assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
        csrf = client.cookies[django_settings.CSRF_COOKIE_NAME]
        assert csrf["secure"] and csrf["samesite"] == "Lax"


@pytest.mark.parametrize(
    "env",
    [{"JIXIAO_DEBUG": "1"}, {"JIXIAO_DEMO": "1"}, {**PRODUCTION, "JIXIAO_SECURE_COOKIES": "0"}],
    ids=["debug", "demo", "opted-out"],
)
def test_debug_and_the_demo_run_over_plain_http(
    users: dict[str, Any], tmp_path: Path, monkeypatch: Any, env: dict[str, str]
) -> None:
    values = _settings_under(env, tmp_path, monkeypatch)
    with override_settings(**values):
        response = _sign_in_over_https(Client())
        assert response.status_code == 302
        assert "Strict-Transport-Security" not in response
        session = response.cookies[django_settings.SESSION_COOKIE_NAME]
        assert not session["secure"] and session["httponly"]


def test_the_hsts_age_is_configurable(users: dict[str, Any], tmp_path: Path, monkeypatch: Any) -> None:
    values = _settings_under({**PRODUCTION, "JIXIAO_HSTS_SECONDS": "600"}, tmp_path, monkeypatch)
    with override_settings(**values):
        assert _sign_in_over_https(Client())["Strict-Transport-Security"].startswith("max-age=600")
