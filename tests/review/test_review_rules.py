"""Each rule on small hand-written cases: what fires, on what, and what stays quiet."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

import pytest
from review_helpers import IT_SYSTEM, ROAD, TRAINING, make

from jixiao.domain.model import Declaration, Funding, Indicator
from jixiao.domain.targets import try_parse_target
from jixiao.review import RULES, review

GOOD_GOAL = "2022年完成道路养护120万平方米，修补坑塘不少于3000处，道路优良率达到90%。"


def codes(decl: Declaration, profile: str = "shanghai-2022") -> list[str]:
    return [f.code for f in review([decl], profile=profile).declarations[0].findings]


def with_rows(*rows: tuple[str, str, str, str], base: Declaration = ROAD) -> Declaration:
    out = copy.deepcopy(base)
    out.indicators.extend(Indicator(a, b, c, try_parse_target(d)) for a, b, c, d in rows)
    return out


def with_funding(**amounts: str | None) -> Declaration:
    out = copy.deepcopy(ROAD)
    values = {k: (None if v is None else Decimal(v)) for k, v in amounts.items()}
    out.funding = Funding(**values)
    return out


def test_every_rule_has_a_code_family_messages_and_a_basis() -> None:
    for code, r in RULES.items():
        assert code.startswith("JX-") and r.code == code
        assert r.title_zh and r.title_en and r.message_zh and r.message_en and r.basis
        assert r.severity in ("error", "warning", "info")
    families = {r.family for r in RULES.values()}
    assert families == {"completeness", "funding", "quantification", "ambition", "relevance", "profile"}
    for family in families:
        assert sum(r.family == family for r in RULES.values()) >= 2, family


@pytest.mark.parametrize(
    ("funding", "expected"),
    [
        # 年度 = 拨款 + 结转 + 其他 (domain-rules.md §6)
        (
            {
                "total": "100",
                "total_fiscal": "100",
                "annual": "100",
                "annual_appropriation": "60",
                "annual_carryover": "30",
            },
            ["JX-F03"],
        ),
        (
            {
                "total": "100",
                "total_fiscal": "100",
                "annual": "100",
                "annual_appropriation": "60",
                "annual_carryover": "30",
                "annual_other": "10",
            },
            [],
        ),
        # 总额 = 财政 + 其他
        (
            {
                "total": "100",
                "total_fiscal": "80",
                "total_other": "10",
                "annual": "90",
                "annual_appropriation": "90",
            },
            ["JX-F05"],
        ),
        # 年度 ≤ 总额
        ({"total": "100", "total_fiscal": "100", "annual": "120", "annual_appropriation": "120"}, ["JX-F06"]),
        # positive amounts
        (
            {"total": "0", "total_fiscal": "0", "annual": "0", "annual_appropriation": "0"},
            ["JX-F02", "JX-F02"],
        ),
        (
            {
                "total": "100",
                "total_fiscal": "100",
                "annual": "100",
                "annual_appropriation": "110",
                "annual_carryover": "-10",
            },
            ["JX-F02"],
        ),
        # missing amounts, missing breakdown
        ({}, ["JX-F01", "JX-F01"]),
        ({"total": "100", "total_fiscal": "100", "annual": "100"}, ["JX-F04"]),
        # a multi-year total above this year's amount is normal
        ({"total": "300", "total_fiscal": "300", "annual": "100", "annual_appropriation": "100"}, []),
    ],
)
def test_funding_sums(funding: dict[str, str], expected: list[str]) -> None:
    assert sorted(c for c in codes(with_funding(**funding)) if c.startswith("JX-F")) == expected


@pytest.mark.parametrize(
    ("start", "end", "year", "expected"),
    [
        (date(2022, 1, 1), date(2022, 12, 31), 2022, []),
        (date(2021, 7, 1), date(2023, 6, 30), 2022, []),  # a 阶段性 project spanning the year
        (date(2022, 12, 31), date(2022, 1, 1), 2022, ["JX-F07"]),  # start after end
        (date(2023, 1, 1), date(2023, 12, 31), 2022, ["JX-F08"]),  # outside the budget year
        (date(2020, 1, 1), date(2021, 12, 31), 2022, ["JX-F08"]),
    ],
)
def test_planned_dates(start: date, end: date, year: int, expected: list[str]) -> None:
    decl = copy.deepcopy(ROAD)
    decl.project.start_date, decl.project.end_date, decl.year = start, end, year
    assert [c for c in codes(decl) if c.startswith("JX-F")] == expected


def test_missing_dates_and_header_fields() -> None:
    decl = copy.deepcopy(ROAD)
    decl.project.start_date = None
    decl.project.name = " "
    decl.project.implementing_unit = None
    decl.year = None
    assert set(codes(decl)) == {"JX-F09", "JX-C01", "JX-C03"}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (("产出指标", "质量指标", "设施完好率", "提升"), "JX-Q01"),
        (("产出指标", "质量指标", "巡查区域", "全覆盖"), "JX-Q01"),
        (("效益指标", "社会效益指标", "群众获得感", "显著提升"), "JX-Q02"),
        (("效益指标", "社会效益指标", "投诉率", "降低"), "JX-Q02"),
        (("产出指标", "时效指标", "整改及时性", "及时"), "JX-Q03"),
        (("产出指标", "时效指标", "资料报送", "按时完成"), "JX-Q03"),
        (("产出指标", "质量指标", "抽检合格率", "20个"), "JX-Q04"),
        (("产出指标", "数量指标", "宣传活动次数", ">=80%"), "JX-Q04"),
        (("产出指标", "数量指标", "覆盖街镇", ">=11"), "JX-Q05"),
        (("效益指标", "可持续影响指标", "管理制度", "建立健全"), "JX-Q06"),
        (("产出指标", "数量指标", "培训完成率", "=100%"), "JX-Q07"),
        (("产出指标", "时效指标", "工单办结及时率", "3个工作日内"), "JX-Q08"),
        (("产出指标", "质量指标", "数据准确率", ">=0%"), "JX-A02"),
        (("产出指标", "数量指标", "资金拨付率", "=100%"), "JX-A03"),
        (("效益指标", "社会效益指标", "工单办结率", ">=95%"), "JX-R05"),
        (("产出指标", "数量指标", "道路养护面积", ">=100万平方米"), "JX-R06"),  # ROAD already has this name
        (("产出指标", "数量指标", "测评次数", "<<5"), "JX-C07"),
        (("产出指标", "数量指标", "", "=5个"), "JX-C06"),
        (("产出指标", "成本指标", "单位成本", "<=5元/件"), "JX-C08"),  # shanghai-2022 has no 成本 under 产出
    ],
)
def test_indicator_rules(row: tuple[str, str, str, str], expected: str) -> None:
    assert codes(with_rows(row)) == [expected]


@pytest.mark.parametrize(
    ("row", "quiet"),
    [
        (("产出指标", "质量指标", "设施完好率", ">=95%"), "a measurable rate"),
        (("产出指标", "时效指标", "整改时限", "3个工作日内完成"), "a time limit"),
        (("效益指标", "社会效益指标", "投诉率", "较上年降低5%"), "a direction with a size"),
        (("产出指标", "数量指标", "培训人数", "35人"), "a count with its unit"),
        (("满意度指标", "服务对象满意度指标", "居民满意度", ">=85%"), "satisfaction above the floor"),
        (("满意度指标", "服务对象满意度指标", "居民满意度", ">=85分"), "satisfaction as a score"),
        (("产出指标", "质量指标", "路面状况指数", ">=85"), "an index has no unit"),
        (("效益指标", "社会效益指标", "安全生产", "零事故"), "a zero target names what is counted"),
        (("效益指标", "社会效益指标", "安全生产", "无安全事故"), "nothing may happen"),
    ],
)
def test_well_written_rows_stay_quiet(row: tuple[str, str, str, str], quiet: str) -> None:
    assert codes(with_rows(row)) == [], quiet


def test_required_categories_and_too_few_rows() -> None:
    decl = copy.deepcopy(ROAD)
    decl.indicators = [i for i in decl.indicators if i.level1 == "满意度指标"]
    decl.goals.overall, decl.goals.annual = "长期保持道路良好状况。", "2022年养护道路120万平方米。"
    # … and the 120万平方米 the goal states is measured by no row left (JX-R04).
    assert sorted(codes(decl)) == ["JX-C05", "JX-C05", "JX-C09", "JX-R04"]
    decl.indicators = []
    assert sorted(codes(decl)) == ["JX-C05", "JX-C05"]


def test_goal_rules() -> None:
    decl = copy.deepcopy(ROAD)
    decl.goals.annual = decl.goals.overall
    assert codes(decl) == ["JX-R01"]
    decl.goals.annual = "经过五年努力，累计改造道路200公里。"
    assert codes(decl) == ["JX-R02"]
    decl.goals.annual = "今年以来，我们完成了养护任务，提高了道路质量，取得了良好效果。"
    assert set(codes(decl)) == {"JX-R03", "JX-Q09"}
    decl.goals.annual = GOOD_GOAL + "同时提升群众参与度。"
    assert codes(decl) == ["JX-R04"]
    decl.goals.annual = GOOD_GOAL + "实现跨越式发展。"
    assert codes(decl) == ["JX-A05"]
    decl.goals.annual = "全年道路养护工作包括日常巡查、坑塘修补和标线维护等。"
    assert codes(decl) == ["JX-R10"]
    # Quantities make it more than a work list; the 巡查 and 标线 kilometres have no row, the
    # 3000 处 of 坑塘 do (坑塘修补数量 >=3000处).
    decl.goals.annual = "全年道路养护工作包括日常巡查3000公里、坑塘修补3000处和标线维护20公里。"
    found = review([decl]).declarations[0].findings
    assert [f.code for f in found] == ["JX-R04", "JX-R04"]
    assert [f.args["word"] for f in found] == ["包括日常巡查3000公里", "标线维护20公里"]
    decl.goals.annual = ""
    assert codes(decl) == ["JX-C04"]


def test_a_goal_with_numbered_items_but_no_quantity_is_still_vague() -> None:
    decl = copy.deepcopy(ROAD)
    decl.goals.annual = "1、进一步提升道路品质；2、有效改善出行环境。"
    assert codes(decl) == ["JX-Q09"]


def _unit_batch(satisfaction: list[str], unit: str = "某区某局") -> list[Declaration]:
    out = []
    for n, value in enumerate(satisfaction):
        d = copy.deepcopy([ROAD, TRAINING, IT_SYSTEM][n % 3])
        d.project.name = f"项目{n}"
        d.project.implementing_unit = unit
        d.goals.annual = f"{d.goals.annual}（项目{n}）"
        for ind in d.indicators:
            if ind.level1 == "满意度指标":
                ind.target = try_parse_target(value)
        out.append(d)
    return out


def test_a_satisfaction_target_far_below_the_units_norm() -> None:
    report = review(_unit_batch([">=90%", ">=90%", ">=95%", ">=75%"]))
    flagged = [(n, f.code) for n, dr in enumerate(report.declarations) for f in dr.findings]
    assert flagged == [(3, "JX-A01"), (3, "JX-A04")]


def test_too_few_peers_means_no_norm() -> None:
    report = review(_unit_batch([">=90%", ">=90%", ">=75%"]))
    assert [f.code for dr in report.declarations for f in dr.findings] == ["JX-A04"]


def test_units_are_compared_only_with_themselves() -> None:
    batch = _unit_batch([">=90%", ">=90%", ">=90%"], unit="甲单位") + _unit_batch(
        [">=70%"] * 4, unit="乙单位"
    )
    report = review(batch)
    assert {f.code for dr in report.declarations for f in dr.findings} == {"JX-A04"}


def test_boilerplate_and_copied_declarations() -> None:
    batch = _unit_batch([">=90%"] * 4)
    for d in batch:
        d.indicators.append(Indicator("效益指标", "可持续影响指标", "长效机制", try_parse_target(">=1项")))
    report = review(batch)
    assert [sorted(f.code for f in dr.findings) for dr in report.declarations] == [["JX-R07"]] * 4
    twin = copy.deepcopy(batch[0])
    report = review([*batch[:2], twin], config={"rules": {"JX-R07": {"enabled": False}}})
    assert [sorted(f.code for f in dr.findings) for dr in report.declarations] == [["JX-R08"], [], ["JX-R08"]]
    other = copy.deepcopy(batch[3])  # a road project too: its goal's 优良率 is measured
    other.project.name = "另一个项目"
    other.goals.annual = batch[0].goals.annual
    report = review([batch[0], other], config={"rules": {"JX-R07": {"enabled": False}}})
    assert [[f.code for f in dr.findings] for dr in report.declarations] == [["JX-R09"], ["JX-R09"]]


def test_cost_rules_under_the_2025_profile() -> None:
    decl = with_rows(("成本指标", "经济成本指标", "单位面积养护成本", "合理"))
    assert codes(decl, "shanghai-2025") == ["JX-P02", "JX-Q06"]
    decl = with_rows(("成本指标", "经济成本指标", "单位面积养护成本", "<=7.2元/平方米"))
    assert codes(decl, "shanghai-2025") == []
    # The classic framework's 产出/成本指标 row also counts as a cost indicator, but sits in the wrong place.
    decl = with_rows(("产出指标", "成本指标", "单位面积养护成本", "<=7.2元/平方米"))
    report = review([decl], profile="national-2021")
    [finding] = report.declarations[0].findings
    assert finding.code == "JX-C08" and "一级指标" in (finding.suggestion_zh or "")


def test_an_evaluation_contract_does_not_own_the_work_it_evaluates() -> None:
    decl = make(
        "12345热线满意度测评",
        [
            ("产出指标", "数量指标", "测评样本量", ">=6000个"),
            ("产出指标", "质量指标", "工单办结率", "=100%"),
            ("效益指标", "社会效益指标", "问题整改完成率提升", ">=5个百分点"),
            ("满意度指标", "服务对象满意度指标", "承办单位满意度", ">=90%"),
        ],
        overall="每月对热线工单开展满意度测评。",
        annual="2022年完成测评样本6000个。",
    )
    assert codes(decl) == ["JX-A06"]


def test_make_helper_builds_consistent_declarations() -> None:
    d = make("x", [("产出指标", "数量指标", "件数", "=1件")], overall="a", annual="b", amount="10")
    assert d.funding.annual == d.funding.total == Decimal(10)
