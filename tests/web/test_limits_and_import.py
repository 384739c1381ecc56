"""One set of limits for every way in, never a silent cut; years bounded; an import confirmed once."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client

from jixiao.db.declarations.models import Declaration, PendingImport
from jixiao.domain.limits import LIMITS
from jixiao.formats.json import dumps, to_dict

from .conftest import make_document, signed_in

pytestmark = pytest.mark.django_db

ROWS = ("产出指标", "数量指标")


def _rows(n: int) -> list[tuple[str, str, str, str]]:
    return [(*ROWS, f"指标{i}", ">=1件") for i in range(n)]


def _editor_post(obj: Declaration, *, rows: int | None = None, **fields: str) -> dict[str, Any]:
    doc = obj.document
    n = len(doc["indicators"]) if rows is None else rows
    post: dict[str, Any] = {
        "version": str(obj.version),
        "year": str(doc["year"]),
        "project_name": doc["project"]["name"],
        "goals_overall": doc["goals"]["overall"] or "",
        "goals_annual": doc["goals"]["annual"] or "",
        "ind_level1": [ROWS[0]] * n,
        "ind_level2": [ROWS[1]] * n,
        "ind_name": [f"指标{i}" for i in range(n)],
        "ind_target": [">=1件"] * n,
    }
    return post | fields


def test_the_editor_keeps_250_indicators_and_long_goals(users: dict[str, Any], make_declaration: Any) -> None:
    obj = make_declaration("unit_a", indicators=_rows(250))
    goal = "目" * 4999
    client = signed_in(users["filler_a"])
    response = client.post(f"/declarations/{obj.pk}/edit/", _editor_post(obj, goals_overall=goal))
    assert response.status_code == 302
    obj.refresh_from_db()
    assert len(obj.document["indicators"]) == 250
    assert obj.document["goals"]["overall"] == goal


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("project_name", "名" * 560, "项目名称过长：560 个字符，上限 300 个"),
        ("goals_overall", "目" * 6000, "总体目标过长：6000 个字符，上限 5000 个"),
        ("year", "2147483648", "年度应为 2000–2100 之间的整数"),
        ("year", "0", "年度应为 2000–2100 之间的整数"),
    ],
)
def test_the_editor_refuses_over_the_limit_and_says_so(
    users: dict[str, Any], make_declaration: Any, field: str, value: str, message: str
) -> None:
    obj = make_declaration("unit_a")
    before = dict(obj.document)
    client = signed_in(users["filler_a"])
    response = client.post(f"/declarations/{obj.pk}/edit/", _editor_post(obj, **{field: value}))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "保存成功" not in page
    assert value in page  # what the user typed is kept, whole, for them to shorten
    obj.refresh_from_db()
    assert obj.document == before


def test_the_editor_refuses_too_many_indicators(users: dict[str, Any], make_declaration: Any) -> None:
    obj = make_declaration("unit_a")
    client = signed_in(users["filler_a"])
    response = client.post(f"/declarations/{obj.pk}/edit/", _editor_post(obj, rows=LIMITS.max_indicators + 1))
    assert response.status_code == 400
    assert f"上限 {LIMITS.max_indicators} 个" in response.content.decode()
    assert "上限" in client.get(f"/declarations/{obj.pk}/edit/").content.decode()


def _api_doc(**changes: Any) -> dict[str, Any]:
    doc = to_dict(make_document())
    for key, value in changes.items():
        target = doc
        *path, last = key.split(".")
        for part in path:
            target = target[part]
        target[last] = value
    return doc


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"project.name": "名" * 1200}, "JX-E751"),
        ({"goals.overall": "目" * 6000}, "JX-E751"),
        ({"year": 2147483648}, "JX-E752"),
        ({"year": -1}, "JX-E752"),
        ({"year": 0}, "JX-E752"),
    ],
)
def test_the_api_refuses_what_the_editor_refuses(
    users: dict[str, Any], make_declaration: Any, change: dict[str, Any], code: str
) -> None:
    client = signed_in(users["filler_a"])
    created = client.post(
        "/api/declarations/", {"document": _api_doc(**change)}, content_type="application/json"
    )
    assert created.status_code == 400 and created.json()["code"] == code
    obj = make_declaration("unit_a")
    saved = client.put(
        f"/api/declarations/{obj.pk}",
        {"document": _api_doc(**change), "version": obj.version},
        content_type="application/json",
    )
    assert saved.status_code == 400 and saved.json()["code"] == code
    assert Declaration.objects.count() == 1


def test_the_api_refuses_too_many_indicators(users: dict[str, Any]) -> None:
    doc = to_dict(make_document(indicators=_rows(LIMITS.max_indicators + 1)))
    response = signed_in(users["filler_a"]).post(
        "/api/declarations/", {"document": doc}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "JX-E750"


@pytest.mark.parametrize(
    "doc",
    [make_document("名" * 741), make_document(year=2147483648), make_document(indicators=_rows(501))],
    ids=["long name", "huge year", "too many indicators"],
)
def test_an_import_over_the_limits_is_refused_at_the_preview(users: dict[str, Any], doc: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(users["filler_a"])
    response = client.post(
        "/declarations/import/", {"file": SimpleUploadedFile("x.json", dumps([doc]).encode())}
    )
    assert response.status_code == 400
    assert not PendingImport.objects.exists() and not Declaration.objects.exists()


# --- confirming an import --------------------------------------------------------------------------


def _pending(client: Client, n: int = 7) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    docs = [make_document(f"项目{i}") for i in range(n)]
    response = client.post(
        "/declarations/import/", {"file": SimpleUploadedFile("x.json", dumps(docs).encode())}
    )
    assert response.status_code == 302
    return str(response["Location"])


def test_confirming_twice_imports_once(users: dict[str, Any]) -> None:
    client = signed_in(users["filler_a"])
    url = _pending(client)
    assert client.post(url).status_code == 302
    again = client.post(url, follow=True)
    assert "已导入" in again.content.decode()
    assert Declaration.objects.count() == 7


def test_a_crash_before_the_review_leaves_the_import_to_do_once(
    users: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import jixiao.services.imports as imports

    client = signed_in(users["filler_a"])
    url = _pending(client)

    def crash(objs: Any) -> None:
        raise SystemExit("worker killed")

    monkeypatch.setattr(imports, "review_objects", crash)
    with pytest.raises(SystemExit):
        client.post(url)
    # Nothing half-done: no declaration without its review, the import still waiting.
    assert Declaration.objects.count() == 0 and PendingImport.objects.count() == 1
    monkeypatch.undo()
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert Declaration.objects.count() == 7
    assert Declaration.objects.exclude(review_grade="").count() == 7


@pytest.mark.django_db(transaction=True)
def test_five_concurrent_confirmations_import_one_set(users: dict[str, Any]) -> None:
    from jixiao.services.imports import confirm_import

    client = signed_in(users["filler_a"])
    pk = int(_pending(client).rstrip("/").split("/")[-1])
    barrier = threading.Barrier(5)
    outcomes: list[Any] = []

    def confirm() -> None:
        try:
            barrier.wait()
            for _ in range(20):
                try:
                    objs = confirm_import(users["filler_a"], pk)
                except OperationalError:  # SQLite's in-memory test database: "table is locked"
                    time.sleep(0.05)  # as a user would: try again, the import is still waiting
                    continue
                outcomes.append(len(objs) if objs is not None else None)
                return
            outcomes.append("still locked")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Declaration.objects.count() == 7
    assert outcomes.count(7) == 1
    if connection.vendor == "postgresql":
        assert sorted(outcomes, key=str) == sorted([7, None, None, None, None], key=str)
