"""The keyed catalogues: each entry under its own key, in the order listed, no key twice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.domain.department import DEPARTMENT_FRAMEWORKS
from jixiao.domain.framework import FRAMEWORKS
from jixiao.domain.keyed import by_key
from jixiao.domain.vocabulary import REGIONS
from jixiao.evaluation.config import SCORING_OPTIONS
from jixiao.review.profiles import PROFILES


@dataclass(frozen=True)
class _Entry:
    key: str
    n: int


@given(st.lists(st.text(min_size=1, max_size=5), unique=True))
def test_each_entry_stands_under_its_key_in_the_order_listed(keys: list[str]) -> None:
    entries = [_Entry(k, n) for n, k in enumerate(keys)]
    keyed = by_key(*entries)
    assert list(keyed) == keys
    assert all(keyed[e.key] is e for e in entries)


def test_a_key_listed_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="'a' listed twice"):
        by_key(_Entry("a", 1), _Entry("b", 2), _Entry("a", 3))


@pytest.mark.parametrize("catalogue", [FRAMEWORKS, DEPARTMENT_FRAMEWORKS, REGIONS, SCORING_OPTIONS, PROFILES])
def test_the_catalogues_are_keyed_by_their_entries(catalogue: dict[str, Any]) -> None:
    assert catalogue
    assert all(entry.key == key for key, entry in catalogue.items())
