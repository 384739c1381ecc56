"""评价结果应用 (pure): a suggestion per project from the region's rules, sums per unit and department,
and last year's result per indicator. Every number is worked out by hand in the comment beside it."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from eval_helpers import doc, ind

from jixiao.domain.provenance import jixiao_own
from jixiao.evaluation.config import CONSEQUENCES, REGION_RULES, Consequence, with_options
from jixiao.evaluation.results import (
    build_report,
    format_report_text,
    met,
    missing_result,
    previous_results,
    project_result,
    suggest,
)
from jixiao.evaluation.scoring import evaluate

D = Decimal
RULES = REGION_RULES["national"]


@pytest.mark.parametrize(
    ("grade", "rate", "missed", "suggestion", "fired"),
    [
        # 差 alone: 压减或取消 (50), nothing else fires.
        ("差", "95", 0, "poor", ["poor"]),
        # 差 with 45 % and 3 misses: 差 (50) beats execution (40) and misses (20).
        ("差", "45", 3, "poor", ["poor", "low_execution", "missed"]),
        # 良, 55 %, one miss: execution below 60 (40) > missed (20) > 良 (10).
        ("良", "55", 1, "low_execution", ["low_execution", "missed", "good"]),
        # 60.00 % is not below 60: 良 with nothing missed → 维持.
        ("良", "60", 0, "good", ["good"]),
        # 59.99 % is below 60.
        ("优", "59.99", 0, "low_execution", ["low_execution", "excellent"]),
        # 优 with one miss: fix the miss (20) before 优先保障 (5).
        ("优", "95", 1, "missed", ["missed", "excellent"]),
        ("优", "100", 0, "excellent", ["excellent"]),
        ("中", "85", 2, "fair", ["fair", "missed"]),
    ],
)
def test_the_strongest_rule_is_the_suggestion(
    grade: str, rate: str, missed: int, suggestion: str, fired: list[str]
) -> None:
    best, reasons = suggest(grade, D(rate), missed, CONSEQUENCES)
    assert best is not None and best.key == suggestion
    assert [r.key for r in reasons] == fired


def test_rules_are_configurable_per_region() -> None:
    # A region that stops funding anything under 50 % executed, whatever its grade.
    stop = Consequence("stop", 99, "停止安排", "stop", jixiao_own("某地做法"), rate_below=D(50))
    region = replace(RULES, key="own", consequences=(stop, *CONSEQUENCES))
    assert suggest("优", D("49.99"), 0, region.consequences)[0] == stop
    # 50 % is not under 50 but still under 60: the default 核减 rule takes over.
    assert suggest("优", D("50"), 0, region.consequences)[0].key == "low_execution"  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="no condition"):
        Consequence("x", 1, "x", "x", jixiao_own("x"))
    with pytest.raises(ValueError, match="unknown grade"):
        Consequence("x", 1, "x", "x", jixiao_own("x"), grades=("好",))


def _scored(executed: str = "45", actual: str = "50人次"):  # type: ignore[no-untyped-def]
    d = doc(
        [
            ind("产出指标", ">=100人次", actual, "50", note="工程延期", name="培训人次"),
            ind("效益指标", "=100%", "100%", "30", name="覆盖率"),
            ind("满意度指标", ">=90%", "95%", "10", name="满意度"),
        ],
        executed=executed,
    )
    return d, evaluate(d, RULES)


def test_a_project_row_carries_grade_execution_misses_notes_and_the_suggestion() -> None:
    # 4.50 (45 % of 10) + 50 × 50/100 = 25 + 30 + 10 = 69.50 → 中; 45 % < 60 → 核减 (40) over 中 (30).
    d, ev = _scored()
    row = project_result(d, ev, RULES, department="城运中心", unit="本级")
    assert (row.total, row.grade, row.rate) == (D("69.50"), "中", D("45.00"))
    assert [i.name for i in row.missed] == ["培训人次"]
    assert row.missed_text() == "培训人次：目标 >=100人次，实际 50人次"
    assert row.notes_text() == "培训人次：工程延期"
    assert row.suggestion_text() == "核减预算，审视资金安排"
    assert row.reasons_text() == "预算执行率低于 60%；等级为中；未完成指标 1 项及以上"
    assert row.suggestion_text("en") == "cut the budget and review the allocation"


def test_a_far_exceeded_row_is_met_and_its_deduction_shown() -> None:
    # 140 ≥ 130 % of 100: met (the target was set too low); with the deduction on it loses 2 points.
    rules = with_options("national", {"over_achievement_deduction": "deduct"})
    d, ev = _scored(executed="100", actual="140人次")
    ev = evaluate(d, rules)
    assert met(ev.indicators[0]) is True
    row = project_result(d, ev, rules, department="A", unit="a")
    assert row.missed == [] and row.indicators[0].over
    assert row.indicators[0].deduction and row.indicators[0].deduction.startswith("偏离扣 2.00 分")
    # 10 + 48 + 30 + 10 = 98.00 → 优, nothing missed → 优先保障
    assert (row.total, row.suggestion_text()) == (D("98.00"), "优先保障")


def test_the_report_adds_up_per_unit_and_department() -> None:
    d1, ev1 = _scored()  # 69.50 中, 45 of 100 executed, one miss
    d2, ev2 = _scored(executed="100", actual="100人次")  # 100.00 优, 100 of 100
    rows = [
        project_result(d1, ev1, RULES, department="城运中心", unit="本级"),
        project_result(
            replace(d2, project=replace(d2.project, name="乙项目")),
            ev2,
            RULES,
            department="城运中心",
            unit="本级",
        ),
        missing_result(department="城运中心", unit="分中心", project="丙项目", year=2022),
        project_result(d2, ev2, RULES, department="绿化市容局", unit="环卫所"),
    ]
    report = build_report(2022, rows, RULES)
    assert [d.name for d in report.departments] == ["城运中心", "绿化市容局"]
    city = report.departments[0]
    assert [u.name for u in city.units] == ["分中心", "本级"]
    # 本级: average (69.50 + 100) / 2 = 84.75; execution (45 + 100) / (100 + 100) = 72.50 %; 1 miss.
    own = city.units[1].totals
    assert (own.count, own.evaluated, own.average, own.rate, own.missed) == (2, 2, D("84.75"), D("72.50"), 1)
    assert own.grades == {"优": 1, "良": 0, "中": 1, "差": 0}
    # The department counts the unevaluated project but leaves it out of the averages.
    assert (city.totals.count, city.totals.evaluated, city.totals.average) == (3, 2, D("84.75"))
    assert report.totals.count == 4 and report.totals.average == D("89.83")  # (69.5 + 100 + 100) / 3
    missing = city.units[0].projects[0]
    assert missing.suggestion_text() == "尚无可计分的自评表：先完成绩效自评"
    data = report.to_dict()
    # projects sorted by name within the unit: 乙项目 (U+4E59) before 测试项目 (U+6D4B)
    assert [p["suggestion"] for p in data["departments"][0]["units"][1]["projects"]] == [
        "excellent",
        "low_execution",
    ]
    assert {r["rule"] for r in data["rules"]} == {c.key for c in CONSEQUENCES}
    text = format_report_text(report)
    assert "测试项目  69.50 中  45.00%  → 核减预算，审视资金安排" in text
    assert "× 培训人次  目标 >=100人次，实际 50人次" in text


def test_last_years_result_per_indicator() -> None:
    d, ev = _scored()
    previous = previous_results(d, ev)
    assert previous["培训人次"].met is False and previous["培训人次"].actual == "50人次"
    assert previous["覆盖率"].met is True and previous["覆盖率"].target == "=100%"
