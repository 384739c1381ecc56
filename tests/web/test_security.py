"""Escaping, password hashing, CSRF and upload limits (sign-in lockout: test_login_safety)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from jixiao.db.accounts.models import User

from .conftest import PASSWORD, signed_in

SCRIPT = "<script>alert('x')</script>"


def test_templates_escape_indicator_names_and_goals(users: dict[str, Any], make_declaration: Any) -> None:
    obj = make_declaration(
        "unit_a",
        status="draft",
        name=f"项目{SCRIPT}",
        goal=f"目标{SCRIPT}",
        indicators=[("产出指标", "数量指标", f"指标{SCRIPT}", f"{SCRIPT}")],
    )
    client = signed_in(users["filler_a"])
    pages = [
        f"/declarations/{obj.pk}/",
        f"/declarations/{obj.pk}/edit/",
        f"/declarations/{obj.pk}/history/",
        "/declarations/",
        "/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
    detail = client.get(f"/declarations/{obj.pk}/").content.decode()
    assert "指标&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in detail
    assert "目标&lt;script&gt;" in detail


def test_the_public_page_escapes_too(make_declaration: Any) -> None:
    obj = make_declaration(
        "unit_a",
        status="published",
        goal=f"目标{SCRIPT}",
        indicators=[("产出指标", "数量指标", f"指标{SCRIPT}", ">=1个")],
    )
    client = Client()
    for url in (f"/public/{obj.pk}/", "/public/"):
        assert "<script>alert" not in client.get(url).content.decode()


def test_passwords_are_hashed_with_pbkdf2(users: dict[str, Any]) -> None:
    stored = User.objects.get(username="filler_a").password
    assert stored.startswith("pbkdf2_sha256$") and PASSWORD not in stored


def test_posts_without_the_csrf_token_are_refused(users: dict[str, Any], make_declaration: Any) -> None:
    obj = make_declaration("unit_a")
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["filler_a"])
    response = client.post(f"/declarations/{obj.pk}/action/", {"action": "submit"})
    assert response.status_code == 403
    obj.refresh_from_db()
    assert obj.status == "draft"


@pytest.mark.parametrize("size", [2048, 10_000])
def test_uploads_over_the_limit_get_a_clear_message(users: dict[str, Any], settings: Any, size: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_UPLOAD_BYTES = 1024
    client = signed_in(users["filler_a"])
    upload = SimpleUploadedFile("big.txt", "项".encode() * (size // 3))
    response = client.post("/declarations/import/", {"file": upload})
    assert response.status_code == 400
    assert "文件过大" in response.content.decode()


def test_the_content_security_policy_forbids_inline_script(users: dict[str, Any]) -> None:
    response = signed_in(users["filler_a"]).get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_nul_characters_never_reach_the_database(users: dict[str, Any], make_declaration: Any) -> None:
    """PostgreSQL text cannot hold NUL: every way in strips it instead of failing with a 500."""
    from jixiao.formats.json import to_dict

    from .conftest import make_document

    client = signed_in(users["filler_a"])
    assert client.get("/declarations/", {"q": "城\x00运", "status": "dr\x00aft"}).status_code == 200
    doc = to_dict(make_document("名\x00称", goal="目\x00标"))
    created = client.post("/api/declarations/", {"document": doc}, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["project_name"] == "名称"
    assert Client().post("/login/", {"username": "a\x00b", "password": "x\x00"}).status_code == 400
    obj = make_declaration("unit_a")
    response = client.post(
        f"/declarations/{obj.pk}/edit/",
        {
            "version": obj.version,
            "project_name": "新\x00名",
            "ind_level1": ["产出指标"],
            "ind_level2": ["数量指标"],
            "ind_name": ["指\x00标"],
            "ind_target": [">=1个"],
        },
    )
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.project_name == "新名"
