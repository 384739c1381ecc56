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


@pytest.mark.parametrize(
    ("profile", "severity", "status", "cites", "grades"),
    [
        # 101号 is issued for reference and trial: a warning citing it; 100 − 3 = 97 is still 优.
        ("national-2021", "warning", "official", "财预〔2021〕101号", {"优"}),
        # Shanghai's 2025 指引 says every project should set one: an error, at best 中 (88号).
        ("shanghai-2025", "error", "provincial", "上海市市级部门项目支出核心绩效目标", {"中"}),
    ],
)
def test_without_one_the_2021_and_2025_profiles_ask_for_it(
    profile: str, severity: str, status: str, cites: str, grades: set[str]
) -> None:
    report = review(WELL_FORMED, profile=profile)
    assert [[f.code for f in dr.findings] for dr in report.declarations] == [["JX-P01"]] * len(WELL_FORMED)
    findings = [f for dr in report.declarations for f in dr.findings]
    assert {f.severity for f in findings} == {severity}
    assert {f.source.status for f in findings} == {status}
    assert all(cites in f.basis for f in findings)
    assert {dr.grade for dr in report.declarations} == grades
    # The national guideline is a recommendation, and the message says so; Shanghai's requires it.
    message = findings[0].message_zh
    assert ("建议" in message) == (profile == "national-2021")
    assert ("要求" in message) == (profile == "shanghai-2025")
