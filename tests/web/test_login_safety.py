"""Sign-in lockout on every path, by user and address; the secret key; API tokens that can end."""

from __future__ import annotations

import os
import random
import string
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jixiao.db.accounts.models import ApiToken, User

from .conftest import PASSWORD, signed_in

pytestmark = pytest.mark.django_db

LIMIT = 5


@pytest.fixture(autouse=True)
def _lockout(settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = LIMIT


def _page(client: Client, username: str, password: str) -> int:
    return client.post("/login/", {"username": username, "password": password}).status_code


def _admin(client: Client, username: str, password: str) -> int:
    return client.post("/admin/login/", {"username": username, "password": password}).status_code


def _api(client: Client, username: str, password: str) -> int:
    body = {"username": username, "password": password}
    return client.post("/api/auth/token", body, content_type="application/json").status_code


PATHS = {"page": _page, "admin": _admin, "api": _api}


@pytest.mark.parametrize("lock_on", sorted(PATHS))
@pytest.mark.parametrize("try_on", sorted(PATHS))
def test_a_lockout_on_any_sign_in_path_holds_on_every_other(
    users: dict[str, Any], lock_on: str, try_on: str
) -> None:
    users["admin"].is_staff = True
    users["admin"].save()
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(LIMIT):
        PATHS[lock_on](client, "admin", "wrong")
    # The right password no longer signs in, on any path, and further guesses are not even checked.
    assert PATHS[try_on](client, "admin", PASSWORD) == 429
    assert "_auth_user_id" not in client.session


def test_admin_sign_in_failures_count_towards_the_lockout(users: dict[str, Any]) -> None:
    users["admin"].is_staff = True
    users["admin"].save()
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(20):
        _admin(client, "admin", "wrong")
    assert _admin(client, "admin", PASSWORD) == 429
    assert _page(client, "admin", PASSWORD) == 429


def test_a_stranger_cannot_lock_a_colleague_out_from_another_machine(users: dict[str, Any]) -> None:
    attacker = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(LIMIT + 3):
        _api(attacker, "finance", "guess")
    assert _api(attacker, "finance", PASSWORD) == 429
    colleague = Client(REMOTE_ADDR="10.0.0.21")
    assert _page(colleague, "finance", PASSWORD) == 302
    assert _api(colleague, "finance", PASSWORD) == 200


def test_five_api_failures_for_finance_do_not_lock_finance_out_elsewhere(users: dict[str, Any]) -> None:
    attacker = Client(REMOTE_ADDR="10.9.9.10")
    answers = [_api(attacker, "finance", f"guess-{n}") for n in range(LIMIT)]
    assert answers == [401] * (LIMIT - 1) + [429]  # the LIMIT-th failure locks this address's pair
    assert _api(attacker, "finance", PASSWORD) == 429
    assert _api(Client(REMOTE_ADDR="10.0.0.22"), "finance", PASSWORD) == 200


def test_unknown_names_add_a_bounded_number_of_rows(users: dict[str, Any]) -> None:
    """1,000 failures with random names and user agents from one address leave at most LIMIT rows.

    The bound: names no account has share one bucket per address; axes keeps one row per user agent
    within a bucket, and stops recording once the bucket reaches LIMIT failures (the address is
    locked). Without it each name (and each user agent) added a row: 1,000 here.
    """
    from axes.models import AccessAttempt

    rng = random.Random(11)
    client = Client(REMOTE_ADDR="10.5.5.5")
    statuses = Counter()
    for n in range(1000):
        name = "".join(rng.choices(string.ascii_lowercase + string.digits, k=12))
        response = client.post(
            "/api/auth/token",
            {"username": name, "password": "x"},
            content_type="application/json",
            headers={"User-Agent": f"agent-{n}"},
        )
        statuses[response.status_code] += 1
    assert statuses == Counter({401: LIMIT - 1, 429: 1001 - LIMIT})
    assert AccessAttempt.objects.count() <= LIMIT
    # Another address is untouched; this address is refused for every name, real ones included, so
    # that the lockout does not reveal which names exist.
    assert _api(Client(REMOTE_ADDR="10.5.5.6"), "finance", PASSWORD) == 200
    assert _api(client, "finance", PASSWORD) == 429
    assert _api(client, "no-such-user", PASSWORD) == 429


def test_failures_older_than_the_cool_off_are_deleted(users: dict[str, Any], settings: Any) -> None:
    from axes.models import AccessAttempt

    for n in range(20):
        _api(Client(REMOTE_ADDR=f"10.6.0.{n}"), f"nobody{n}", "x")
    assert AccessAttempt.objects.count() == 20  # one bucket per address
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    _api(Client(REMOTE_ADDR="10.6.1.1"), "filler_a", "wrong")
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["filler_a"]


def test_the_lockout_ends_after_the_cool_off(users: dict[str, Any], settings: Any) -> None:
    from axes.models import AccessAttempt

    client = Client(REMOTE_ADDR="10.0.0.8")
    for _ in range(LIMIT):
        _page(client, "filler_a", "wrong")
    assert _page(client, "filler_a", PASSWORD) == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert _page(client, "filler_a", PASSWORD) == 302


def test_the_locked_page_says_why_in_the_users_language(users: dict[str, Any]) -> None:
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(LIMIT):
        _page(client, "filler_a", "wrong")
    page = client.post("/login/", {"username": "filler_a", "password": PASSWORD})
    assert page.status_code == 429 and "登录失败次数过多" in page.content.decode()
    api = client.post(
        "/api/auth/token", {"username": "filler_a", "password": PASSWORD}, content_type="application/json"
    )
    assert api.status_code == 429 and api.json()["code"] == "JX-E429"


# --- the secret key --------------------------------------------------------------------------


def _start(env_overrides: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "jixiao.web.settings"
    return subprocess.run(
        [sys.executable, "-c", "import jixiao.web.wsgi"], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_server_refuses_to_start_without_a_secret_key(tmp_path: Any) -> None:
    db = {"JIXIAO_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "JIXIAO_STATIC_ROOT": str(tmp_path)}
    refused = _start(db)
    assert refused.returncode != 0 and "JX-E790" in refused.stderr
    assert _start({**db, "JIXIAO_SECRET_KEY": "a-real-random-key-0123456789abcdef"}).returncode == 0
    assert _start({**db, "JIXIAO_DEMO": "1"}).returncode == 0
    assert _start({**db, "JIXIAO_DEBUG": "1"}).returncode == 0


# --- API tokens --------------------------------------------------------------------------------


def _token(username: str) -> dict[str, Any]:
    response = Client().post(
        "/api/auth/token", {"username": username, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200
    return dict(response.json())


def _works(token: str) -> bool:
    status = Client().get("/api/declarations/", headers={"Authorization": f"Bearer {token}"}).status_code
    assert status in (200, 401)
    return status == 200


def test_the_owner_revokes_a_token_through_the_api(users: dict[str, Any]) -> None:
    first, second = _token("filler_a"), _token("filler_a")
    other = _token("filler_b")
    auth = {"Authorization": f"Bearer {first['token']}"}
    listed = Client().get("/api/auth/tokens", headers=auth).json()
    assert {t["id"] for t in listed} == {first["id"], second["id"]}
    assert "token" not in listed[0]
    # Another user's token cannot be revoked (nor seen).
    assert Client().delete(f"/api/auth/tokens/{other['id']}", headers=auth).status_code == 404
    assert _works(other["token"])
    assert Client().delete(f"/api/auth/tokens/{second['id']}", headers=auth).status_code == 204
    assert not _works(second["token"]) and _works(first["token"])
    assert Client().post("/api/auth/logout", headers=auth).status_code == 204
    assert not _works(first["token"])


def test_the_owner_revokes_a_token_on_the_account_page(users: dict[str, Any]) -> None:
    raw = _token("filler_a")
    client = signed_in(users["filler_a"])
    assert raw["token"][:8] in client.get("/account/").content.decode()
    assert client.post("/account/", {"revoke": str(raw["id"])}).status_code == 302
    assert not _works(raw["token"])


def test_a_token_expires(users: dict[str, Any]) -> None:
    raw = _token("filler_a")
    assert _works(raw["token"])
    ApiToken.objects.filter(pk=raw["id"]).update(expires=timezone.now() - timedelta(seconds=1))
    assert not _works(raw["token"])


def test_a_tokens_last_use_is_kept_to_the_minute_without_a_write_per_request(users: dict[str, Any]) -> None:
    raw = _token("filler_a")
    assert ApiToken.objects.get(pk=raw["id"]).last_used is None
    assert _works(raw["token"])
    first = ApiToken.objects.get(pk=raw["id"]).last_used
    assert first is not None
    # Within the minute the account page shows, a second request reads the token and writes nothing.
    with CaptureQueriesContext(connection) as captured:
        assert _works(raw["token"])
    assert not [q for q in captured.captured_queries if q["sql"].startswith("UPDATE")]
    assert ApiToken.objects.get(pk=raw["id"]).last_used == first
    # A use more than a minute after the last one recorded is recorded.
    ApiToken.objects.filter(pk=raw["id"]).update(last_used=first - timedelta(minutes=2))
    assert _works(raw["token"])
    assert ApiToken.objects.get(pk=raw["id"]).last_used > first - timedelta(minutes=1)


def test_signing_out_ends_every_token(users: dict[str, Any]) -> None:
    raw = _token("filler_a")
    client = Client()
    assert _page(client, "filler_a", PASSWORD) == 302
    client.post("/logout/")
    assert not _works(raw["token"])


def test_a_password_change_ends_every_token(users: dict[str, Any]) -> None:
    raw = _token("filler_a")
    user = User.objects.get(username="filler_a")
    user.set_password("another-password-77")
    user.save()
    assert not _works(raw["token"])


# --- the admin's two former 500s ----------------------------------------------------------------


def test_the_admin_does_not_issue_tokens_and_reads_history_ids_safely(
    users: dict[str, Any], make_declaration: Any
) -> None:
    admin = users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = signed_in(admin)
    _token("filler_a")
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    assert client.post("/admin/accounts/apitoken/add/", {"user": admin.pk, "name": "x"}).status_code == 403
    assert ApiToken.objects.count() == 1
    obj = make_declaration("unit_a")
    for bad in ("abc", "1%20or%201", "9" * 30):
        assert client.get(f"/admin/declarations/declaration/{obj.pk}/history/{bad}/").status_code == 404
        assert client.get(f"/admin/declarations/declaration/{bad}/history/1/").status_code == 404
