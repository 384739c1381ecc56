"""The Django admin looks at workflow records but never rewrites, reverts or deletes them."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.db.declarations.models import Declaration, Transition

from .conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(users: dict[str, Any]) -> Any:
    admin = users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    return signed_in(admin)


def test_a_published_declaration_cannot_be_edited_in_the_admin(
    superuser: Any, make_declaration: Any, orgs: dict[str, Any]
) -> None:
    obj = make_declaration("unit_a", status="published")
    before = Declaration.objects.values().get(pk=obj.pk)
    url = f"/admin/declarations/declaration/{obj.pk}/change/"
    page = superuser.get(url)
    assert page.status_code == 200  # it may be looked at
    assert 'name="project_name"' not in page.content.decode()
    form = {
        "project_name": "改名",
        "year": "1999",
        "organisation": str(orgs["unit_b"].pk),
        "annual_amount": "1",
        "review_grade": "优",
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
    }
    superuser.post(url, form)
    assert Declaration.objects.values().get(pk=obj.pk) == before


def test_the_admin_neither_deletes_nor_reverts_nor_adds(superuser: Any, make_declaration: Any) -> None:
    obj = make_declaration("unit_a", status="published")
    Transition.objects.create(
        declaration=obj, action="publish", from_status="approved", to_status="published"
    )
    assert (
        superuser.post(f"/admin/declarations/declaration/{obj.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    bulk = {"action": "delete_selected", "_selected_action": [str(obj.pk)], "post": "yes"}
    superuser.post("/admin/declarations/declaration/", bulk)
    assert Declaration.objects.filter(pk=obj.pk).exists() and obj.transitions.count() == 1
    first = obj.history.order_by("history_id").first()
    revert = f"/admin/declarations/declaration/{obj.pk}/history/{first.history_id}/"
    assert superuser.get(revert).status_code == 200  # an old version may be looked at
    assert superuser.post(revert, {"project_name": "x"}).status_code == 403
    assert Declaration.objects.get(pk=obj.pk).status == "published"
    assert superuser.get("/admin/declarations/declaration/add/").status_code == 403


@pytest.mark.parametrize("model", ["selfevaluationrecord", "monitoringrecord"])
def test_evaluation_records_are_read_only_in_the_admin(superuser: Any, model: str) -> None:
    assert superuser.get(f"/admin/evaluation/{model}/").status_code == 200
    assert superuser.get(f"/admin/evaluation/{model}/add/").status_code == 403


def test_changes_to_users_and_organisations_are_in_the_history(
    superuser: Any, users: dict[str, Any], orgs: dict[str, Any]
) -> None:
    org = orgs["unit_a"]
    org.name = "城运中心本级（更名）"
    org._history_user = users["admin"]
    org.save()
    user = users["filler_a"]
    user.role = "unit_head"
    user._history_user = users["admin"]
    user.save()
    latest = user.history.order_by("-history_id")[:2]
    delta = latest[0].diff_against(latest[1])
    assert delta.changed_fields == ["role"] and latest[0].history_user == users["admin"]
    assert org.history.first().name == "城运中心本级（更名）"
    page = superuser.get(f"/admin/accounts/user/{user.pk}/history/").content.decode()
    assert "role" in page or "角色" in page
