"""Department forms written out by hand for the format tests (the demo centre's 2022 figures)."""

from __future__ import annotations

from decimal import Decimal

from jixiao.domain.department import (
    DepartmentDeclaration,
    DepartmentFunds,
    DepartmentSelfEvaluation,
    ProjectResult,
    RollupFigures,
)
from jixiao.domain.model import EvaluatedIndicator, Goals, Indicator
from jixiao.domain.targets import try_parse_target

D = Decimal
DEPARTMENT = "上海市青浦区城市运行管理中心"
ROWS = (
    ("履职效能", "重点工作履职情况", "12345热线工单按时办结率", ">=95%", "97.2%", None),
    ("履职效能", "产出数量", "城市网格巡查覆盖率", "=100%", "100%", None),
    (
        "管理效率",
        "预算管理",
        "部门预算执行率",
        ">=90%",
        "87.7%",
        "两个项目合同结算延至次年，已督促按季度结算。",
    ),
    ("社会效应", "社会效益指标", "城市运行重大安全事故", "零事故", "0起", None),
    ("可持续发展", "制度建设", "城市运行管理制度体系", "建立健全", "达成年度指标", None),
    ("服务对象满意度", "服务对象满意度指标", "市民对城市运行管理的满意度", ">=90%", "93%", None),
)
FUNDS = DepartmentFunds(
    total=D("12345678.90"),
    appropriation=D("12000000.00"),
    carryover=D("345678.90"),
    other=D("0.00"),
    basic=D("8650000.00"),
    project=D("3695678.90"),
)
GOALS = Goals(
    overall="建成“一网统管”城市运行体系，城市运行问题发现及时、处置高效。",
    annual="完成网格巡查全覆盖，热线工单按时办结率不低于95%，部门预算执行率不低于90%。",
)


def declaration() -> DepartmentDeclaration:
    """Return the centre's 2022 department-wide targets."""
    return DepartmentDeclaration(
        year=2022,
        department=DEPARTMENT,
        duties="统筹全区城市运行综合管理，承担12345市民服务热线和城市网格化管理的组织协调、监督考核。",
        funds=FUNDS,
        goals=GOALS,
        indicators=[Indicator(a, b, c, try_parse_target(t)) for a, b, c, t, _, _ in ROWS],
    )


def self_evaluation() -> DepartmentSelfEvaluation:
    """Return its self-evaluation with the roll-up of the hand-worked test (76.98, 中)."""
    return DepartmentSelfEvaluation(
        year=2022,
        department=DEPARTMENT,
        funds=FUNDS,
        goals=Goals(annual=GOALS.annual),
        outcome="网格巡查全覆盖，热线工单按时办结率97.2%；两个项目合同结算延至次年。",
        indicators=[
            EvaluatedIndicator(a, b, c, try_parse_target(t), actual=act, deviation_note=note)
            for a, b, c, t, act, note in ROWS
        ],
        projects=[
            ProjectResult(
                "城运案件托底处置费",
                "上海市青浦区城市运行管理中心（本级）",
                D("250000.00"),
                D("215457.60"),
                D("98.62"),
                "优",
                5,
                5,
            ),
            ProjectResult(
                "12345热线运维费",
                "上海市青浦区城市运行管理中心（本级）",
                D("20000.00"),
                D("9034.00"),
                D("70.00"),
                "中",
                4,
                2,
            ),
            ProjectResult(
                "网格化巡查服务费",
                "上海市青浦区城市运行管理中心（本级）",
                D("100000.00"),
                D("100000.00"),
                D("85.00"),
                "良",
                6,
                5,
            ),
            ProjectResult(
                "城市运行宣传费",
                "上海市青浦区城市运行管理中心（本级）",
                D("50000.00"),
                None,
                None,
                None,
                0,
                0,
            ),
        ],
        rollup=RollupFigures(
            budget=D("370000.00"),
            executed=D("324491.60"),
            execution_rate=D("87.70"),
            good_share=D("66.67"),
            met_share=D("80.00"),
            score=D("76.98"),
            grade="中",
        ),
    )
