"""Well-formed declarations of different kinds of project draw no warning and no error."""

from __future__ import annotations

import copy

import pytest
from review_helpers import COST_ROWS, WELL_FORMED

from jixiao.domain.model import Declaration, Indicator
from jixiao.domain.targets import try_parse_target
from jixiao.review import review


def _problems(decls: list[Declaration], profile: str) -> list[str]:
    report = review(decls, profile=profile)
    return [
        f"{dr.declaration.project.name}: {f.code} {f.message_zh}"
        for dr in report.declarations
        for f in dr.findings
        if f.severity != "info"
    ]


@pytest.mark.parametrize("decl", WELL_FORMED, ids=lambda d: d.project.name)
def test_a_well_formed_declaration_draws_nothing(decl: Declaration) -> None:
    report = review([decl], profile="shanghai-2022")
    assert report.declarations[0].findings == []
    assert report.declarations[0].grade == "优"
    assert report.declarations[0].score == 100


def test_well_formed_declarations_reviewed_together_draw_nothing() -> None:
    assert _problems(WELL_FORMED, "shanghai-2022") == []


def _with_cost(decl: Declaration) -> Declaration:
    out = copy.deepcopy(decl)
    l1, l2, name, target = COST_ROWS[decl.project.name]
    out.indicators.insert(0, Indicator(l1, l2, name, try_parse_target(target)))
    return out


@pytest.mark.parametrize("profile", ["national-2021", "shanghai-2025"])
def test_with_a_cost_indicator_they_pass_the_2021_and_2025_profiles(profile: str) -> None:
    assert _problems([_with_cost(d) for d in WELL_FORMED], profile) == []


@pytest.mark.parametrize("profile", ["national-2021", "shanghai-2025"])
def test_without_one_the_2021_and_2025_profiles_ask_for_it(profile: str) -> None:
    report = review(WELL_FORMED, profile=profile)
    assert [[f.code for f in dr.findings] for dr in report.declarations] == [["JX-P01"]] * len(WELL_FORMED)
    # An error caps the grade at 中 (returned for revision, 财预〔2015〕88号).
    assert {dr.grade for dr in report.declarations} == {"中"}
