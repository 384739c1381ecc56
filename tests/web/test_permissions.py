"""The permission matrix: role × action × whose document, one parametrize table.

"Whose" is the declaration's unit seen from the user: ``own`` (unit A, the unit of filler_a and
head_a, inside department A), ``sibling`` (unit A2, same department, another unit) and ``other``
(unit B under department B). Every action is tried in the state where it would be possible, so a
refusal means role or scope, never state.
"""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.domain.errors import NotAllowed, NotFound, WorkflowError
from jixiao.services.declarations import can_edit, get_visible
from jixiao.services.workflow import check

from .conftest import signed_in

WHOSE = {"own": "unit_a", "sibling": "unit_a2", "other": "unit_b"}
# The state each action is tried in.
STATE = {
    "view": "draft",
    "edit": "draft",
    "submit": "draft",
    "forward": "submitted",
    "dept_review": "dept_review",
    "finance_review": "finance_review",
    "publish": "approved",
}
ALL = {"own", "sibling", "other"}
# (user, action) → whose documents it is allowed on; anything not listed is refused.
ALLOWED: dict[tuple[str, str], set[str]] = {
    ("filler_a", "view"): {"own"},
    ("filler_a", "edit"): {"own"},
    ("filler_a", "submit"): {"own"},
    ("head_a", "view"): {"own"},
    ("head_a", "edit"): {"own"},
    ("head_a", "submit"): {"own"},
    ("head_a", "forward"): {"own"},
    ("dept_a", "view"): {"own", "sibling"},
    ("dept_a", "dept_review"): {"own", "sibling"},
    ("dept_b", "view"): {"other"},
    ("dept_b", "dept_review"): {"other"},
    ("finance", "view"): ALL,
    ("finance", "finance_review"): ALL,
    ("finance", "publish"): ALL,
    ("admin", "view"): ALL,
    ("admin", "edit"): ALL,
    ("admin", "dept_review"): ALL,
    ("admin", "finance_review"): ALL,
    ("admin", "publish"): ALL,
    ("filler_b", "view"): {"other"},
    ("filler_b", "edit"): {"other"},
    ("filler_b", "submit"): {"other"},
}
CASES = [
    (user, action, whose, whose in ALLOWED.get((user, action), set()))
    for user in ("filler_a", "head_a", "dept_a", "dept_b", "finance", "admin", "filler_b")
    for action in STATE
    for whose in ("own", "sibling", "other")
]


@pytest.mark.parametrize(
    ("user", "action", "whose", "allowed"),
    CASES,
    ids=[f"{u}-{a}-{w}-{'yes' if ok else 'no'}" for u, a, w, ok in CASES],
)
def test_permission_matrix(
    users: dict[str, Any], make_declaration: Any, user: str, action: str, whose: str, allowed: bool
) -> None:
    obj = make_declaration(WHOSE[whose], status=STATE[action])
    person = users[user]
    if action == "view":
        try:
            get_visible(person, obj.pk)
            result = True
        except NotFound:
            result = False
    elif action == "edit":
        try:
            result = can_edit(person, get_visible(person, obj.pk))
        except NotFound:
            result = False
    else:
        try:
            check(person, obj, action)
            result = True
        except NotAllowed:
            result = False
    assert result is allowed


@pytest.mark.parametrize(
    "status", ["submitted", "dept_review", "finance_review", "approved", "published", "rejected"]
)
def test_no_one_edits_a_declaration_in_the_workflow(
    users: dict[str, Any], make_declaration: Any, status: str
) -> None:
    obj = make_declaration("unit_a", status=status)
    for name in ("filler_a", "head_a", "admin"):
        assert not can_edit(users[name], obj)


@pytest.mark.parametrize(
    ("action", "status"),
    [("submit", "approved"), ("publish", "draft"), ("dept_review", "finance_review"), ("forward", "draft")],
)
def test_an_action_from_the_wrong_state_is_refused(
    users: dict[str, Any], make_declaration: Any, action: str, status: str
) -> None:
    obj = make_declaration("unit_a", status=status)
    with pytest.raises(WorkflowError) as info:
        check(users["admin"] if action != "submit" and action != "forward" else users["head_a"], obj, action)
    assert info.value.code == "JX-E703"


def test_pages_and_api_hide_other_units(users: dict[str, Any], make_declaration: Any) -> None:
    mine = make_declaration("unit_b", name="环卫所的项目")
    theirs = make_declaration("unit_a", name="城运中心的项目")
    client = signed_in(users["filler_b"])
    assert client.get(f"/declarations/{mine.pk}/").status_code == 200
    assert client.get(f"/declarations/{theirs.pk}/").status_code == 404
    assert client.get(f"/declarations/{theirs.pk}/export.json").status_code == 404
    assert client.get(f"/api/declarations/{theirs.pk}").status_code == 404
    listing = client.get("/declarations/").content.decode()
    assert "环卫所的项目" in listing and "城运中心的项目" not in listing
    api_names = [d["project_name"] for d in client.get("/api/declarations/").json()["items"]]
    assert api_names == ["环卫所的项目"]


def test_a_reviewer_cannot_post_to_the_editor(users: dict[str, Any], make_declaration: Any) -> None:
    obj = make_declaration("unit_a", status="dept_review", name="原名")
    client = signed_in(users["dept_a"])
    response = client.post(f"/declarations/{obj.pk}/edit/", {"project_name": "改名", "version": obj.version})
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.project_name == "原名"


def test_the_public_sees_published_declarations_only(make_declaration: Any) -> None:
    from django.test import Client

    published = make_declaration("unit_a", status="published", name="已公开项目")
    draft = make_declaration("unit_a", status="approved", name="未公开项目")
    client = Client()
    assert client.get(f"/public/{published.pk}/").status_code == 200
    assert client.get(f"/public/{draft.pk}/").status_code == 404
    assert client.get(f"/declarations/{published.pk}/").status_code == 302  # to the sign-in page
    names = [d["project"]["name"] for d in client.get("/api/public/declarations").json()["items"]]
    assert names == ["已公开项目"]
    assert client.get("/api/declarations/").status_code == 401
