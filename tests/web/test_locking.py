"""Optimistic locking: two people saving the same declaration never silently lose an update."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.db.declarations.models import Declaration
from jixiao.domain.errors import ConflictError
from jixiao.services.declarations import save_declaration

from .conftest import make_document, signed_in


def _form(obj: Declaration, name: str, version: int) -> dict[str, Any]:
    return {
        "version": str(version),
        "year": "2023",
        "project_name": name,
        "category": "经常性项目",
        "nature": "",
        "competent_department": "",
        "implementing_unit": "城运中心",
        "start_date": "",
        "end_date": "",
        "total": "",
        "total_fiscal": "",
        "total_other": "",
        "annual": "480,000",
        "annual_appropriation": "",
        "annual_carryover": "",
        "annual_other": "",
        "goals_overall": "总目标",
        "goals_annual": "年度目标",
        "ind_level1": ["产出指标"],
        "ind_level2": ["数量指标"],
        "ind_name": ["处置案件数量"],
        "ind_target": [">=500件"],
    }


def test_the_second_save_from_a_stale_version_is_refused(
    users: dict[str, Any], make_declaration: Any
) -> None:
    obj = make_declaration("unit_a")
    save_declaration(users["filler_a"], obj.pk, make_document("第一个人的名称"), obj.version)
    with pytest.raises(ConflictError) as info:
        save_declaration(users["head_a"], obj.pk, make_document("第二个人的名称"), obj.version)
    assert info.value.code == "JX-E730"
    obj.refresh_from_db()
    assert obj.project_name == "第一个人的名称"
    assert obj.version == 2


def test_the_editor_shows_the_conflict_and_keeps_the_input(
    users: dict[str, Any], make_declaration: Any
) -> None:
    obj = make_declaration("unit_a")
    alice, bob = signed_in(users["filler_a"]), signed_in(users["head_a"])
    assert alice.get(f"/declarations/{obj.pk}/edit/").status_code == 200
    assert bob.get(f"/declarations/{obj.pk}/edit/").status_code == 200
    first = alice.post(f"/declarations/{obj.pk}/edit/", _form(obj, "甲保存的名称", 1))
    assert first.status_code == 302
    second = bob.post(f"/declarations/{obj.pk}/edit/", _form(obj, "乙输入的名称", 1))
    assert second.status_code == 409
    page = second.content.decode()
    assert "保存冲突" in page
    assert 'value="乙输入的名称"' in page  # the user's input is still in the form
    obj.refresh_from_db()
    assert obj.project_name == "甲保存的名称"
    # Having looked at the latest content, the second user saves from the current version.
    again = bob.post(f"/declarations/{obj.pk}/edit/", _form(obj, "乙输入的名称", obj.version))
    assert again.status_code == 302
    obj.refresh_from_db()
    assert obj.project_name == "乙输入的名称" and obj.version == 3


def test_the_api_answers_409_to_a_stale_version(users: dict[str, Any], make_declaration: Any) -> None:
    from jixiao.formats.json import to_dict

    obj = make_declaration("unit_a")
    client = signed_in(users["filler_a"])
    body = {"version": 1, "document": to_dict(make_document("接口保存"))}
    assert client.put(f"/api/declarations/{obj.pk}", body, content_type="application/json").status_code == 200
    stale = client.put(
        f"/api/declarations/{obj.pk}",
        body | {"document": to_dict(make_document("过时"))},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "JX-E730" and stale.json()["current_version"] == 2
    obj.refresh_from_db()
    assert obj.project_name == "接口保存"
