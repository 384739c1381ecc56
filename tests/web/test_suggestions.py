"""The editor's indicator names and the name search: the user's scope only, counted exactly, and
kept only until the declarations change.

The kept names follow the data version, which PostgreSQL replaces at commit: the test that looks
at them commits (``transaction=True``).
"""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.db.declarations.models import Indicator
from jixiao.services.library import editor_names

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_search_counts_every_use_not_a_sample(users: Any, make_declaration: Any) -> None:
    obj = make_declaration("unit_a")
    # 2,500 uses of one name: a count made from the first 2,000 rows found would stop at 2,000.
    Indicator.objects.bulk_create(
        Indicator(
            declaration=obj, position=100 + n, level1="效益指标", level2="社会效益指标", name="垃圾分类知晓率"
        )
        for n in range(2500)
    )
    results = signed_in(users["filler_a"]).get("/declarations/suggest/", {"q": "知晓率"}).json()["results"]
    [used] = [r for r in results if r["source"] == "declarations"]
    assert (used["name"], used["count"]) == ("垃圾分类知晓率", 2500)
    # Another unit's rows are not counted for a unit outside the scope.
    other = signed_in(users["filler_b"]).get("/declarations/suggest/", {"q": "知晓率"}).json()["results"]
    assert [r for r in other if r["source"] == "declarations"] == []


@pytest.mark.django_db(transaction=True)
def test_the_editor_names_follow_a_new_declaration_at_once(users: Any, make_declaration: Any) -> None:
    make_declaration("unit_a")
    before = editor_names(users["filler_a"])
    assert "处置案件数量" in before and "河道保洁覆盖率" not in before
    assert editor_names(users["filler_a"]) == before  # kept: the same answer again
    make_declaration(
        "unit_a", name="河道保洁项目", indicators=[("产出指标", "质量指标", "河道保洁覆盖率", ">=95%")]
    )
    assert "河道保洁覆盖率" in editor_names(users["filler_a"])
    # Kept per scope: the other department's filler does not see the first unit's names.
    assert "河道保洁覆盖率" not in editor_names(users["filler_b"])
    assert "河道保洁覆盖率" in editor_names(users["admin"])
    page = signed_in(users["filler_a"]).get("/declarations/new/").content.decode()
    assert '<option value="河道保洁覆盖率">' in page
