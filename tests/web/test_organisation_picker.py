"""The organisation filter at a province's size: every organisation while they are few; beyond
ORGANISATIONS_LISTED, the tree around the choice and a search by name, each saying what it left out."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.db.accounts.models import Organisation
from jixiao.services import scope as scope_module
from jixiao.services.scope import organisation_choices

from .conftest import signed_in

pytestmark = pytest.mark.django_db

_OPTION = re.compile(r'<option value="(\d+)" (selected)?>((?:&nbsp;|\xa0)*)([^<]*)</option>')


def _tree(departments: int, units: int) -> dict[str, Organisation]:
    """A bureau, ``departments`` departments and ``units`` units under each (名称 unique)."""
    bureau = Organisation.objects.create(name="某省财政厅", kind="bureau")
    out = {"bureau": bureau}
    for d in range(departments):
        dept = Organisation.objects.create(name=f"第{d:02d}部门", kind="department", parent=bureau)
        out[f"d{d}"] = dept
        for u in range(units):
            out[f"d{d}u{u}"] = Organisation.objects.create(
                name=f"第{d:02d}部门所属单位{u:02d}", kind="unit", parent=dept
            )
    return out


def _options(page: str) -> list[tuple[int, bool, int, str]]:
    """Return the listed organisations: (key, selected, depth, name)."""
    return [
        (int(pk), bool(sel), pad.replace("&nbsp;", "\xa0").count("\xa0") // 2, name)
        for pk, sel, pad, name in _OPTION.findall(page)
    ]


@pytest.mark.parametrize(
    ("selected", "term", "expected", "matched"),
    [
        # Nothing chosen: the bureau and its departments.
        (None, "", ["bureau", "d0", "d1", "d2"], None),
        # A department chosen: the bureau, the departments, the chosen one's units.
        ("d1", "", ["bureau", "d0", "d1", "d1u0", "d1u1", "d1u2", "d1u3", "d2"], None),
        # A unit chosen: the departments, its own department's units (its children: none).
        ("d2u3", "", ["bureau", "d0", "d1", "d2", "d2u0", "d2u1", "d2u2", "d2u3"], None),
        # By name: every organisation whose name holds the term, in tree order.
        (None, "单位03", ["d0u3", "d1u3", "d2u3"], 3),
        (None, "第01部门", ["d1", "d1u0", "d1u1", "d1u2", "d1u3"], 5),
        # The chosen one stays listed beside the matches.
        ("d0u0", "单位03", ["d0u0", "d0u3", "d1u3", "d2u3"], 3),
        (None, "没有这个名字", [], 0),
    ],
)
def test_a_large_tree_lists_what_is_around_the_choice(
    selected: str | None, term: str, expected: list[str], matched: int | None
) -> None:
    tree = _tree(3, 4)
    key = {o.pk: k for k, o in tree.items()}
    choices = organisation_choices(
        Organisation.objects.all(), tree[selected].pk if selected else None, term, listed=10
    )
    assert [key[pk] for pk, _name, _depth in choices.options] == expected
    assert choices.total == 16 and choices.matched == matched and not choices.complete
    depths = {key[pk]: depth for pk, _name, depth in choices.options}
    if "bureau" in depths:
        assert depths["bureau"] == 0 and all(depths[k] == 1 for k in depths if re.fullmatch(r"d\d", k))


def test_a_small_scope_is_listed_whole_in_tree_order() -> None:
    tree = _tree(2, 2)
    choices = organisation_choices(Organisation.objects.filter(path__startswith=tree["d1"].path))
    assert choices.complete and choices.matched is None
    assert [(name, depth) for _pk, name, depth in choices.options] == [
        ("第01部门", 0),
        ("第01部门所属单位00", 1),
        ("第01部门所属单位01", 1),
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    shape=st.lists(st.integers(0, 6), min_size=1, max_size=6),
    listed=st.integers(1, 12),
    pick=st.integers(0, 60),
    term=st.sampled_from(["", "单位0", "部门", "05", "单位01", "无此名"]),
)
def test_the_choices_hold_their_promises(shape: list[int], listed: int, pick: int, term: str) -> None:
    """Against a plain reading of the tree: at most ``listed`` rows (the chosen one always among
    them), tree order, every match counted, and "complete" only when nothing is left out."""
    for kind in ("unit", "department", "bureau"):  # children first: a parent is protected
        Organisation.objects.filter(kind=kind).delete()
    bureau = Organisation.objects.create(name="某省财政厅", kind="bureau")
    for d, units in enumerate(shape):
        dept = Organisation.objects.create(name=f"第{d:02d}部门", kind="department", parent=bureau)
        for u in range(units):
            Organisation.objects.create(name=f"第{d:02d}部门所属单位{u:02d}", kind="unit", parent=dept)
    every = list(Organisation.objects.order_by("path"))
    chosen = every[pick % len(every)]
    choices = organisation_choices(Organisation.objects.all(), chosen.pk, term, listed=listed)
    keys = [pk for pk, _name, _depth in choices.options]
    paths = {o.pk: o.path for o in every}
    assert chosen.pk in keys and len(keys) <= max(listed, 1) and len(set(keys)) == len(keys)
    tree_order = sorted(keys, key=lambda k: [int(n) for n in paths[k].strip("/").split("/")])
    assert keys == tree_order
    assert choices.total == len(every)
    assert choices.complete == (len(keys) == len(every))
    if term:
        assert choices.matched == sum(term in o.name for o in every)
        assert all(term in name for pk, name, _d in choices.options if pk != chosen.pk)
    elif len(every) <= listed:
        assert keys == [o.pk for o in every]
    else:
        # The tree opened along the line to the choice: the top, its children, and the children
        # of each organisation on the line (cut at ``listed``, the choice kept).
        line = {int(k) for k in chosen.path.strip("/").split("/")}
        opened = {
            o.pk for o in every if o.parent_id is None or o.parent_id in line or o.parent_id == bureau.pk
        }
        assert set(keys) <= opened | {chosen.pk}
        assert len(keys) == min(len(opened), listed) or chosen.pk not in opened


def test_the_list_page_finds_an_organisation_by_name(users: Any, monkeypatch: Any) -> None:
    tree = _tree(3, 4)
    monkeypatch.setattr(scope_module, "ORGANISATIONS_LISTED", 10)
    client = signed_in(users["admin"])
    page = client.get("/declarations/").content.decode()
    total = Organisation.objects.count()
    assert f"共 {total} 个组织，列出所选组织的上下级" in page and 'name="org_q"' in page
    assert len(_options(page)) <= 10
    # Typed into the search box: the options come again (htmx) with the names that hold it.
    part = client.get("/organisations/options/", {"org_q": "单位02"}).content.decode()
    assert [name for _pk, _sel, _d, name in _options(part)] == [f"第{d:02d}部门所属单位02" for d in range(3)]
    assert "名称含「单位02」的组织 3 个，列出 3 个" in part
    # The list filtered by one of them keeps it chosen, searched or not.
    unit = tree["d1u2"]
    chosen = client.get("/declarations/", {"organisation": unit.pk}).content.decode()
    assert (unit.pk, True) in {(pk, sel) for pk, sel, _d, _n in _options(chosen)}
    client.cookies["django_language"] = "en"
    english = client.get("/organisations/options/", {"org_q": "单位02"})
    assert '3 organisations named with "单位02", 3 listed' in html.unescape(english.content.decode())


def test_a_unit_sees_its_own_few_organisations_without_a_search_box(users: Any) -> None:
    page = signed_in(users["filler_a"]).get("/declarations/").content.decode()
    assert [name for _pk, _sel, _d, name in _options(page)] == ["城运中心本级"]
    assert 'name="org_q"' not in page and "org-caption" not in page


def test_the_options_need_a_sign_in() -> None:
    response = Client().get("/organisations/options/", {"org_q": "单位"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_public_list_finds_a_unit_by_name(make_declaration: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(scope_module, "ORGANISATIONS_LISTED", 1)
    make_declaration("unit_a", status="published", name="公开项目一")
    make_declaration("unit_b", status="published", name="公开项目二")
    make_declaration("unit_a2", status="draft", name="草稿项目")
    page = Client().get("/public/").content.decode()
    assert "共 2 个单位，列出 1 个；其余请按名称查找" in page and 'name="org_q"' in page
    part = Client().get("/public/organisations/", {"org_q": "环卫"}).content.decode()
    assert [name for _pk, _sel, _d, name in _options(part)] == ["环卫所"]
    assert "名称含「环卫」的单位 1 个，列出 1 个" in part
    # A unit with nothing published is not offered, even by name.
    assert _options(Client().get("/public/organisations/", {"org_q": "城运分中心"}).content.decode()) == []


@pytest.mark.parametrize("typed", ["\x00", "城\x00运", "城" * 5000, "%", "_"])
def test_any_typed_name_is_answered_never_a_server_error(users: Any, typed: str) -> None:
    client = signed_in(users["admin"])
    for url in ("/organisations/options/", "/public/organisations/", "/declarations/"):
        assert client.get(url, {"org_q": typed}).status_code == 200, url
