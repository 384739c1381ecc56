"""The seed forms as a careful 绩效科 reviewer reads them, written down first, then checked.

Each entry is (rule code, what it points at: the indicator's 三级 name, or the field path). The
engine must find exactly these on the seven 2022 青浦区城市运行管理中心 forms under the
``shanghai-2022`` profile: nothing missing, nothing extra. Why each is flagged:

Every form
  C02  主管部门 is blank (only 实施单位 is filled in).                               info
  F04  年度资金申请总额 has no 当年财政拨款/上年结转/其他 breakdown, so §6's sum cannot be checked.  info
  R07  "长效管理机制健全性 | 建立健全" is the same row in all 7 forms: boilerplate.
  Q06  … and 建立健全 is a qualitative value with no graded levels.                   info

1 城市管理精细化办公室经费
  Q07 ×3  数量指标 written as 建设完成率 =100%; the annual goal states the quantities
          (至少100个 美丽街区, 100个 美丽家园, 50个 美丽乡村): suggest ">=100个" etc. (three-year totals).
  R02     the 年度总目标 states a three-year result (经过三年努力 … 累计建成).
  Q02     城市精细化推进程度 | 提升: a direction with no baseline or size.
  Q06     “绿色青浦”美丽空间体系 | 形成: qualitative, no levels.
2 城运案件托底处置费
  Q05     案件处置类别 >40 has no unit (类).
  Q07     处置案件完成率 =100% under 数量指标: how many cases?
  Q02 ×2  降低案件投诉率 | 降低; 推动社会稳定性 | 提升.
3 城运平台相关系统维护费
  Q01     数据完整实时性 | 提升 under 质量指标 (产出): not measurable.
  Q03     系统升级及维护完成及时性 | 及时: no time limit.
  Q02 ×2  推进案件处置时效 | 提升; 信息化水平 | 提高.
  R10     年度总目标 lists the work ("包括日常维护系统、三网融合系统和硬件的维护"), no result.   info
4 城运业务宣传费
  Q07     宣传品制作完成率 =100%: how many items?
  Q03     宣传品发放及时性 | 及时.
  Q02     “一网统管”热线工作知晓度 | 提升.
  Q09     年度总目标: "提高…知晓度", no number.
  R10     … and it is a work list (包括工作手册、视频制作、墙板展板…等等).                 info
  R04     项目总目标 promises 参与度; no indicator measures it.
5 区城运中心城运督查服务
  R01     年度总目标 = 项目总目标, word for word.
  Q09     … and it is vague (进一步加大…), no number.
  A03 ×2  第三方人员到位率 =100% (数量) and 人员到位及时性 (时效) measure inputs, not outputs.
  Q01 ×2  案件先行发现率 | 显著提升 and 网格巡查区域 | 全覆盖 under 质量指标.
  Q03 ×2  案件发现及时性 | 及时; 人员到位及时性 | 及时.
  Q02 ×2  城运管理水平 | 显著提升; 街面巡查力度 | 加大.
6 区城运中心城运平台等辅助服务
  A01     市民满意度 >=70%, where the unit's other six forms ask 90–95%.
  A04     … and 70% is below the region's 80% floor: a target that cannot fail.        warning
  Q07     派单完成率 =100% under 数量指标.
  Q08     热线平台信息员热线工单派单及时率 | 当天派单: a rate whose value is a time limit.   info
  R05     热线工单按时办结率 >=95% is an output filed under 效益指标.
  Q02 ×2  城市管理水平 | 不断提升; 工单处置时效 | 提高.
  Q06     助推区级专项工作 | 有效落实.
  Q09     年度总目标: 进一步提高…比上年增长, never how much.
  R04     年度总目标 promises 实际解决率 比上年增长; no indicator measures it.
  R12 ×2  … and promises 热线工单按时办结率 and 市民满意率 比上年增长, but their rows (>=95%, >=70%)
          state no baseline and no increase: the checklist's A5 example word for word
          ("none states last year's baseline").                                      info
  A05     "推进青浦城市管理水平实现跨越式发展" on a 335万元 staffing budget.             info
7 热线工单回访测评费
  Q07     工单回访完成率 =100%: how many call-backs?
  A06     工单办结率 =100% (质量指标) is the 承办单位's work, not the call-back contract's.  info
  R03     年度总目标 is last year's summary (今年以来 … 掌握了 … 稳步上升).
  Q09     … with no number.
  Q02 ×2  工单处置能力和服务水平 | 提升; 热线办理工作质量和效率 | 提升.

Under ``national-2021`` and ``shanghai-2025`` every form also lacks a 成本指标 (P01).
"""

from __future__ import annotations

import pytest

from jixiao.domain.model import Declaration
from jixiao.review import review

EVERY_FORM = {
    ("JX-C02", "project.competent_department"),
    ("JX-F04", "funding.annual_appropriation"),
    ("JX-R07", "长效管理机制健全性"),
    ("JX-Q06", "长效管理机制健全性"),
}

EXPECTED: dict[str, set[tuple[str, str]]] = {
    "城市管理精细化办公室经费": {
        ("JX-Q07", "示范性“美丽街区”建设完成率"),
        ("JX-Q07", "示范性“美丽家园”建设完成率"),
        ("JX-Q07", "示范性“美丽乡村”建设完成率"),
        ("JX-R02", "goals.annual"),
        ("JX-Q02", "城市精细化推进程度"),
        ("JX-Q06", "“绿色青浦”美丽空间体系"),
    },
    "城运案件托底处置费": {
        ("JX-Q05", "案件处置类别"),
        ("JX-Q07", "处置案件完成率"),
        ("JX-Q02", "降低案件投诉率"),
        ("JX-Q02", "推动社会稳定性"),
    },
    "城运平台相关系统维护费": {
        ("JX-Q01", "数据完整实时性"),
        ("JX-Q03", "系统升级及维护完成及时性"),
        ("JX-Q02", "推进案件处置时效"),
        ("JX-Q02", "信息化水平"),
        ("JX-R10", "goals.annual"),
    },
    "城运业务宣传费": {
        ("JX-Q07", "宣传品制作完成率"),
        ("JX-Q03", "宣传品发放及时性"),
        ("JX-Q02", "“一网统管”热线工作知晓度"),
        ("JX-Q09", "goals.annual"),
        ("JX-R10", "goals.annual"),
        ("JX-R04", "goals.overall"),
    },
    "区城运中心城运督查服务": {
        ("JX-R01", "goals.annual"),
        ("JX-Q09", "goals.annual"),
        ("JX-A03", "第三方人员到位率"),
        ("JX-A03", "人员到位及时性"),
        ("JX-Q01", "案件先行发现率"),
        ("JX-Q01", "网格巡查区域"),
        ("JX-Q03", "案件发现及时性"),
        ("JX-Q03", "人员到位及时性"),
        ("JX-Q02", "城运管理水平"),
        ("JX-Q02", "街面巡查力度"),
    },
    "区城运中心城运平台等辅助服务": {
        ("JX-A01", "市民满意度"),
        ("JX-A04", "市民满意度"),
        ("JX-Q07", "派单完成率"),
        ("JX-Q08", "热线平台信息员热线工单派单及时率"),
        ("JX-R05", "热线工单按时办结率"),
        ("JX-Q02", "城市管理水平"),
        ("JX-Q02", "工单处置时效"),
        ("JX-Q06", "助推区级专项工作"),
        ("JX-Q09", "goals.annual"),
        ("JX-R04", "goals.annual"),
        ("JX-R12", "热线工单按时办结率"),
        ("JX-R12", "市民满意度"),
        ("JX-A05", "goals.overall"),
    },
    "热线工单回访测评费": {
        ("JX-Q07", "工单回访完成率"),
        ("JX-A06", "工单办结率"),
        ("JX-R03", "goals.annual"),
        ("JX-Q09", "goals.annual"),
        ("JX-Q02", "工单处置能力和服务水平"),
        ("JX-Q02", "热线办理工作质量和效率"),
    },
}


def _found(decls: list[Declaration], profile: str) -> dict[str, list[tuple[str, str]]]:
    report = review(decls, profile=profile)
    return {
        dr.declaration.project.name: [
            (f.code, f.evidence.indicator or f.evidence.field or "") for f in dr.findings
        ]
        for dr in report.declarations
    }


@pytest.mark.parametrize("project", list(EXPECTED))
def test_the_engine_finds_exactly_what_the_reviewer_wrote_down(
    seed_declarations: list[Declaration], project: str
) -> None:
    found = _found(seed_declarations, "shanghai-2022")[project]
    assert len(found) == len(set(found)), "one finding per rule and row"
    assert set(found) == EXPECTED[project] | EVERY_FORM


@pytest.mark.parametrize("profile", ["national-2021", "shanghai-2025"])
def test_cost_indicators_are_required_from_2021_nationally_and_2025_in_shanghai(
    seed_declarations: list[Declaration], profile: str
) -> None:
    found = _found(seed_declarations, profile)
    for project, expected in EXPECTED.items():
        assert set(found[project]) == expected | EVERY_FORM | {("JX-P01", "indicators")}


def test_completion_rates_get_the_quantity_the_goal_text_states(seed_declarations: list[Declaration]) -> None:
    report = review(seed_declarations)
    first = report.declarations[0]
    suggestions = {f.evidence.indicator: f.suggestion_zh or "" for f in first.findings if f.code == "JX-Q07"}
    assert "示范性“美丽街区”建设数量 >=100个" in suggestions["示范性“美丽街区”建设完成率"]
    assert "示范性“美丽家园”建设数量 >=100个" in suggestions["示范性“美丽家园”建设完成率"]
    assert "示范性“美丽乡村”建设数量 >=50个" in suggestions["示范性“美丽乡村”建设完成率"]
    assert all("累计" in s for s in suggestions.values())  # the goal's figures are three-year totals


def test_the_low_satisfaction_target_is_compared_with_the_units_norm(
    seed_declarations: list[Declaration],
) -> None:
    report = review(seed_declarations)
    sixth = report.declarations[5]
    [finding] = [f for f in sixth.findings if f.code == "JX-A01"]
    assert finding.evidence.target == ">=70%"
    assert "90%" in finding.message_zh and "20" in finding.message_zh
    assert ">=90%" in (finding.suggestion_zh or "")


def test_the_unit_cost_suggestion_divides_the_funds_by_the_one_count(
    seed_declarations: list[Declaration],
) -> None:
    report = review(seed_declarations, profile="shanghai-2025")
    sixth = report.declarations[5]
    [finding] = [f for f in sixth.findings if f.code == "JX-P01"]
    assert "信息员人均成本 <=95,731元/人" in (finding.suggestion_zh or "")  # 3,350,600 ÷ 35


def test_seed_grades_follow_the_deduction_table(seed_declarations: list[Declaration]) -> None:
    report = review(seed_declarations)
    grades = [(dr.grade, float(dr.score)) for dr in report.declarations]
    # 5 (督查服务) has the most problems: returned for revision (中) like 6 (满意度 70%, 解决率 …).
    assert [g for g, _ in grades] == ["良", "良", "良", "良", "中", "中", "良"]
    assert grades[4][1] < grades[5][1] < min(s for g, s in grades if g == "良")
    # Every finding names something that exists in its form.
    for dr in report.declarations:
        names = {i.name for i in dr.declaration.indicators}
        for f in dr.findings:
            if f.evidence.indicator is not None:
                assert f.evidence.indicator in names
                assert dr.declaration.indicators[f.evidence.index or 0].name == f.evidence.indicator
