"""A small selection's page read from the indexes that select it (services.queries.selected_rows)
is the page the list's order gives: same rows, same order, for every scope and filter."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import QuerySet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.db.declarations.models import Declaration
from jixiao.services.queries import SMALL_SELECTION, DeclarationFilter, apply_filter, selected_rows
from jixiao.services.scope import listed_declarations

pytestmark = pytest.mark.django_db

STATES = ("draft", "returned", "submitted", "dept_review", "finance_review", "approved", "published")


@pytest.fixture
def pool(make_declaration: Any) -> list[Declaration]:
    """Thirty declarations over three units, three years and every state; names that sort apart."""
    units = ("unit_a", "unit_a2", "unit_b")
    return [
        make_declaration(
            units[n % 3], status=STATES[n % 7], name=f"{'乙甲丙'[n % 3]}项目{29 - n:02d}", year=2022 + n % 3
        )
        for n in range(30)
    ]


def _page(qs: QuerySet[Declaration], offset: int) -> QuerySet[Declaration]:
    return qs.select_related("organisation")[offset : offset + 7]


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    who=st.sampled_from(("filler_a", "head_a", "dept_a", "finance", "admin", "filler_b")),
    year=st.sampled_from((None, 2022, 2024)),
    status=st.sampled_from((None, *STATES)),
    offset=st.integers(min_value=0, max_value=28),
    small=st.booleans(),
)
def test_a_small_selections_page_is_the_lists_page(
    pool: list[Declaration],
    users: dict[str, Any],
    who: str,
    year: int | None,
    status: str | None,
    offset: int,
    small: bool,
) -> None:
    qs = apply_filter(listed_declarations(users[who]), DeclarationFilter(year=year, status=status))
    expected = [(d.pk, d.organisation.name) for d in _page(qs, offset)]
    got = selected_rows(_page(qs, offset), 1 if small else SMALL_SELECTION + 1)
    assert [(d.pk, d.organisation.name) for d in got] == expected
