"""No one client without an account can occupy the server: rate and size limits, pages everywhere."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from jixiao.domain.limits import LIMITS

from .conftest import signed_in

pytestmark = pytest.mark.django_db

MONITOR = {
    "kind": "monitoring",
    "year": 2024,
    "project": {"name": "项目"},
    "cutoff_month": 7,
    "indicators": [],
}


@pytest.fixture
def limited(settings: Any) -> None:
    settings.RATELIMIT_ENABLE = True
    settings.ANON_COMPUTE_RATE = "5/m"
    settings.ANON_READ_RATE = "8/m"
    cache.clear()


def test_an_anonymous_client_is_slowed_down_and_others_are_not(limited: None, users: dict[str, Any]) -> None:
    abuser, other = Client(REMOTE_ADDR="10.1.1.1"), Client(REMOTE_ADDR="10.2.2.2")
    body = json.dumps(MONITOR)
    statuses = [
        abuser.post("/api/evaluation/monitor", body, content_type="application/json").status_code
        for _ in range(8)
    ]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429] * 3
    refused = abuser.post("/api/evaluation/monitor", body, content_type="application/json")
    assert refused.json()["code"] == "JX-H429" and refused["Retry-After"]
    assert other.post("/api/evaluation/monitor", body, content_type="application/json").status_code == 200
    # Signed-in users are not counted with the anonymous.
    member = signed_in(users["filler_a"])
    assert member.post("/api/evaluation/monitor", body, content_type="application/json").status_code == 200
    reads = [abuser.get("/api/public/declarations").status_code for _ in range(10)]
    assert reads.count(429) == 2 and abuser.get("/public/").status_code == 429


def test_behind_a_proxy_clients_are_told_apart_by_the_forwarded_address(limited: None, settings: Any) -> None:
    settings.TRUSTED_PROXIES = 1
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(8):
        proxy.get("/api/public/declarations", HTTP_X_FORWARDED_FOR="192.168.5.5")
    assert proxy.get("/api/public/declarations", HTTP_X_FORWARDED_FOR="192.168.5.5").status_code == 429
    assert proxy.get("/api/public/declarations", HTTP_X_FORWARDED_FOR="192.168.5.6").status_code == 200


def test_a_large_anonymous_body_is_refused_before_any_work(limited: None) -> None:
    big = json.dumps([MONITOR] * 10_000)
    assert len(big) > LIMITS.max_anonymous_body_bytes
    response = Client().post("/api/evaluation/monitor", big, content_type="application/json")
    assert response.status_code == 413 and response.json()["code"] == "JX-H413"


def test_too_many_documents_in_one_request_are_refused_not_cut(users: dict[str, Any]) -> None:
    body = json.dumps([MONITOR] * (LIMITS.max_documents + 1))
    response = signed_in(users["filler_a"]).post(
        "/api/evaluation/monitor", body, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "JX-E753"


def test_a_monitoring_report_over_the_indicator_limit_is_refused(users: dict[str, Any]) -> None:
    row = {"level1": "产出指标", "level2": "数量指标", "name": "指标", "target": {"text": ">=1件"}}
    doc = MONITOR | {"indicators": [row] * (LIMITS.max_indicators + 1)}
    response = signed_in(users["filler_a"]).post(
        "/api/evaluation/monitor", json.dumps(doc), content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "JX-E750"


def test_the_public_api_answers_in_pages(make_declaration: Any) -> None:
    for n in range(25):
        make_declaration("unit_a", status="published", name=f"公开项目{n:02d}")
    first = Client().get("/api/public/declarations").json()
    assert first["count"] == 25 and len(first["items"]) == 20
    rest = Client().get("/api/public/declarations", {"offset": 20}).json()
    names = [d["project"]["name"] for d in first["items"] + rest["items"]]
    assert sorted(names) == [f"公开项目{n:02d}" for n in range(25)]
    assert Client().get("/api/public/declarations", {"limit": 101}).status_code == 422


@pytest.mark.parametrize(
    "url", ["/api/organisations/", "/api/evaluation/self-evaluations", "/api/declarations/"]
)
def test_every_list_of_the_api_is_paged(users: dict[str, Any], url: str) -> None:
    body = signed_in(users["admin"]).get(url, {"limit": 2}).json()
    assert set(body) == {"items", "count"} and len(body["items"]) <= 2
    assert signed_in(users["admin"]).get(url, {"limit": 501}).status_code == 422


def test_exports_beyond_the_render_slots_are_refused_not_queued(
    users: dict[str, Any], make_declaration: Any
) -> None:
    """While every render slot is taken, another export answers 503 with Retry-After at once."""
    import jixiao.services.export as export

    obj = make_declaration("unit_a")
    client = signed_in(users["filler_a"])
    assert client.get(f"/declarations/{obj.pk}/export.xlsx").status_code == 200
    held = [export._RENDER_SLOTS.acquire(timeout=1) for _ in range(LIMITS.max_concurrent_renders)]
    try:
        busy = client.get(f"/declarations/{obj.pk}/export.xlsx")
        assert busy.status_code == 503 and busy["Retry-After"] and "JX-E760" in busy.content.decode()
    finally:
        for _ in held:
            export._RENDER_SLOTS.release()
    assert client.get(f"/declarations/{obj.pk}/export.xlsx").status_code == 200
