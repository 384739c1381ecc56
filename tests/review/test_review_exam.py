"""The exam: for each rule, a well-written form and the same form with the one defect the rule exists for.

The rule must fire on the defective form; on the well-written one nothing at warning or above may
fire (tests/review/test_review_negative.py keeps the stricter "nothing at all" for the five forms).
A rule added to the registry without an entry here fails ``test_every_rule_sits_the_exam``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from review_helpers import CAMERAS, COST_ROWS, IT_SYSTEM, MEALS, ROAD, TRAINING, WELL_FORMED, Row, make

from jixiao.domain.model import Declaration, Indicator
from jixiao.domain.targets import try_parse_target
from jixiao.review import RULES, review
from jixiao.review.peers import PeerBenchmarks, PeerBuilder

D = Decimal


def _with_cost(decl: Declaration) -> Declaration:
    out = copy.deepcopy(decl)
    l1, l2, name, target = COST_ROWS[decl.project.name]
    out.indicators.insert(0, Indicator(l1, l2, name, try_parse_target(target)))
    return out


def _row(decl: Declaration, name: str) -> Indicator:
    return next(i for i in decl.indicators if i.name == name)


def target(name: str, value: str) -> Callable[[Declaration], None]:
    """Set the target of row ``name``."""

    def change(d: Declaration) -> None:
        _row(d, name).target = try_parse_target(value)

    return change


def rename(name: str, new: str, value: str | None = None) -> Callable[[Declaration], None]:
    """Rename row ``name`` (and set its target)."""

    def change(d: Declaration) -> None:
        row = _row(d, name)
        row.name = new
        if value is not None:
            row.target = try_parse_target(value)

    return change


def move(name: str, level1: str, level2: str) -> Callable[[Declaration], None]:
    """File row ``name`` under another category."""

    def change(d: Declaration) -> None:
        row = _row(d, name)
        row.level1, row.level2 = level1, level2

    return change


def add(*new: Row) -> Callable[[Declaration], None]:
    """Add rows (一级, 二级, 三级, 目标值)."""

    def change(d: Declaration) -> None:
        d.indicators.extend(Indicator(a, b, c, try_parse_target(t)) for a, b, c, t in new)

    return change


def drop(*names: str) -> Callable[[Declaration], None]:
    """Remove rows by name."""

    def change(d: Declaration) -> None:
        d.indicators = [i for i in d.indicators if i.name not in names]

    return change


def annual(text: str, append: bool = False) -> Callable[[Declaration], None]:
    """Set (or extend) the 年度总目标."""

    def change(d: Declaration) -> None:
        d.goals.annual = (d.goals.annual or "") + text if append else text

    return change


def setattr_path(path: str, value: object) -> Callable[[Declaration], None]:
    """Set an attribute such as ``project.name`` or ``funding.annual_other``."""

    def change(d: Declaration) -> None:
        obj: object = d
        *parents, last = path.split(".")
        for p in parents:
            obj = getattr(obj, p)
        setattr(obj, last, value)

    return change


def _same_unit(decls: list[Declaration]) -> list[Declaration]:
    out = []
    for n, decl in enumerate(decls):
        d = copy.deepcopy(decl)
        d.project.name = f"{decl.project.name}（{n + 1}标段）"
        d.project.implementing_unit = "上海市某区建设管理委员会"
        out.append(d)
    return out


def _next_year(decl: Declaration, funds: str) -> Declaration:
    d = copy.deepcopy(decl)
    d.year = 2023
    d.project.start_date, d.project.end_date = date(2023, 1, 1), date(2023, 12, 31)
    money = D(funds)
    d.funding.total = d.funding.total_fiscal = d.funding.annual = d.funding.annual_appropriation = money
    d.goals.annual = (d.goals.annual or "").replace("2022", "2023")
    return d


_SHARED_SENTENCE = "加强项目管理，确保项目资金使用规范、安全、有效。"


def _peers_last_actual() -> PeerBenchmarks:
    """ROAD's unit reported 88% 道路优良率 for 2021 in its self-evaluation."""
    builder = PeerBuilder()
    builder.add_actual("上海市某区建设管理委员会", 2021, "道路优良率", try_parse_target(">=85%"), "88%")
    return builder.build()


def _peers_other_units() -> PeerBenchmarks:
    """Five other units' 道路优良率 (85, 88, 90, 92, 95: p10 = 85 + 0.4 × 3 = 86.2), four of them
    writing the same goal sentence."""
    builder = PeerBuilder()
    for n, value in enumerate((85, 88, 90, 92, 95)):
        unit = f"某县第{n + 1}建设局"
        builder.add_target(unit, "道路优良率", try_parse_target(f">={value}%"))
        if n < 4:
            builder.add_goal(unit, _SHARED_SENTENCE)
    return builder.build()


@dataclass(frozen=True)
class Case:
    """One exam question: the rule, what the defect is, the clean forms, and how to plant it."""

    code: str
    defect: str
    base: Declaration
    plant: Callable[[Declaration], None]
    profile: str = "shanghai-2022"
    # Batch rules: the forms reviewed with it (the clean batch, and the defective batch builder).
    batch: Callable[[], tuple[list[Declaration], list[Declaration]]] | None = None
    others: list[Declaration] = field(default_factory=list)
    # Peer rules: the peers' data the review is given (other units' targets, last year's actuals).
    peers: PeerBenchmarks | None = None


def _batch_boilerplate() -> tuple[list[Declaration], list[Declaration]]:
    clean = copy.deepcopy(WELL_FORMED)
    for d in clean:
        d.project.implementing_unit = "上海市某区建设管理委员会"
    bad = copy.deepcopy(clean)
    for d in bad:
        add(("产出指标", "质量指标", "养护质量检查合格率", ">=95%"))(d)
    return clean, bad


def _batch_duplicate() -> tuple[list[Declaration], list[Declaration]]:
    return [ROAD, TRAINING], [ROAD, copy.deepcopy(ROAD), TRAINING]


def _batch_shared_goal() -> tuple[list[Declaration], list[Declaration]]:
    meals = copy.deepcopy(MEALS)
    meals.goals.annual = TRAINING.goals.annual  # same unit (民政局), another project's goal
    return [TRAINING, MEALS], [TRAINING, meals]


def _batch_satisfaction() -> tuple[list[Declaration], list[Declaration]]:
    clean = _same_unit(WELL_FORMED)  # satisfaction 90, 92, 95, 90, 90 in one unit
    bad = copy.deepcopy(clean)
    target("一线执法人员满意度", ">=80%")(bad[4])  # the upper median is 90: 10 points below
    return clean, bad


def _batch_copied() -> tuple[list[Declaration], list[Declaration]]:
    later = _next_year(ROAD, "10750000")  # +25% on 8,600,000
    for ind in later.indicators:
        if ind.name == "道路养护面积":
            ind.target = try_parse_target(">=150万平方米")
        if ind.name == "坑塘修补数量":
            ind.target = try_parse_target(">=3750处")
        if ind.name == "道路技术状况指数":
            ind.target = try_parse_target(">=86分")
    later.goals.annual = "2023年完成区管城市道路150万平方米的日常养护，修补坑塘不少于3750处，坑塘24小时内修复，道路优良率达到90%。"
    copied = _next_year(ROAD, "10750000")  # every row last year's
    return [ROAD, later], [ROAD, copied]


def _batch_not_scaled() -> tuple[list[Declaration], list[Declaration]]:
    clean, _ = _batch_copied()
    bad = _next_year(ROAD, "12040000")  # +40%, the same 120万平方米 and 3000处
    target("道路技术状况指数", ">=88分")(bad)
    target("道路优良率", ">=92%")(bad)
    bad.goals.annual = (bad.goals.annual or "").replace("90%", "92%")
    return clean, [ROAD, bad]


def _nothing(d: Declaration) -> None:
    return None


def _period_2021(d: Declaration) -> None:
    d.project.start_date, d.project.end_date = date(2021, 1, 1), date(2021, 12, 31)


TRAIN_COST = _with_cost(TRAINING)

CASES: list[Case] = [
    # --- completeness
    Case("JX-C01", "no project name", ROAD, setattr_path("project.name", "")),
    Case("JX-C02", "no 主管部门", ROAD, setattr_path("project.competent_department", None)),
    Case("JX-C03", "no 实施单位", ROAD, setattr_path("project.implementing_unit", None)),
    Case("JX-C04", "no 年度总目标", ROAD, annual("")),
    Case("JX-C05", "no 效益 row", ROAD, drop("道路优良率", "道路平均使用年限延长")),
    Case("JX-C06", "an empty name", ROAD, rename("坑塘修补数量", "")),
    Case("JX-C07", "an unreadable target", ROAD, target("坑塘修补数量", ">=")),
    Case("JX-C08", "a 二级 outside the framework", ROAD, move("坑塘修补数量", "产出指标", "产量指标")),
    Case(
        "JX-C09",
        "two rows only",
        ROAD,
        drop("坑塘修补数量", "道路技术状况指数", "坑塘修补时限", "道路平均使用年限延长", "道路优良率"),
    ),
    # --- funding and dates
    Case("JX-F01", "no 项目资金总额", ROAD, setattr_path("funding.total", None)),
    Case("JX-F02", "a negative amount", ROAD, setattr_path("funding.annual_other", D(-1))),
    Case(
        "JX-F03",
        "annual parts that do not add up",
        ROAD,
        setattr_path("funding.annual_appropriation", D(8500000)),
    ),
    Case(
        "JX-F04",
        "no breakdown of the annual amount",
        ROAD,
        setattr_path("funding.annual_appropriation", None),
    ),
    Case("JX-F05", "total parts that do not add up", ROAD, setattr_path("funding.total_fiscal", D(8000000))),
    Case("JX-F06", "annual above the total", ROAD, setattr_path("funding.annual", D(9000000))),
    Case("JX-F07", "start after end", ROAD, setattr_path("project.start_date", date(2023, 1, 1))),
    Case("JX-F08", "a period outside the year", ROAD, _period_2021),
    Case("JX-F09", "no planned end", ROAD, setattr_path("project.end_date", None)),
    Case("JX-F10", "a deadline in the next year", CAMERAS, target("采购完成时间", "2023年6月底前")),
    # --- framework profile
    Case("JX-P01", "no cost row (2025)", _with_cost(ROAD), drop("单位面积养护成本"), profile="shanghai-2025"),
    Case(
        "JX-P02", "a cost not in money", TRAIN_COST, target("人均培训成本", "较低"), profile="shanghai-2025"
    ),
    Case(
        "JX-P03",
        "a unit cost per nothing",
        TRAIN_COST,
        rename("人均培训成本", "培训单位成本", "<=800元"),
        "shanghai-2025",
    ),
    # --- quantification
    Case("JX-Q01", "an output not measurable", ROAD, target("坑塘修补数量", "大幅增加")),
    Case("JX-Q02", "a direction only", ROAD, target("道路优良率", "提升")),
    Case("JX-Q03", "及时 as a time limit", ROAD, target("坑塘修补时限", "及时")),
    Case("JX-Q04", "a rate in 个", ROAD, target("道路优良率", ">=90个")),
    Case("JX-Q05", "no unit", ROAD, target("坑塘修补数量", ">=3000")),
    Case("JX-Q06", "qualitative without levels", ROAD, target("道路平均使用年限延长", "有效落实")),
    Case(
        "JX-Q07", "a quantity as a completion rate", ROAD, rename("坑塘修补数量", "坑塘修补完成率", "=100%")
    ),
    Case("JX-Q08", "a rate whose value is a time limit", ROAD, rename("坑塘修补时限", "坑塘修补及时率")),
    Case("JX-Q09", "a vague annual goal", ROAD, annual("进一步提升道路养护水平，有效改善市民出行环境。")),
    Case("JX-Q10", "a coverage rate above 100%", MEALS, target("助餐服务街镇覆盖率", ">=110%")),
    Case("JX-Q11", "a generic task completion", ROAD, add(("产出指标", "质量指标", "任务完成率", "=100%"))),
    Case(
        "JX-Q12",
        "a rate without its base",
        IT_SYSTEM,
        add(("产出指标", "质量指标", "故障整改完成率", "=100%")),
    ),
    # --- relevance
    Case("JX-R01", "the annual goal copies the overall", ROAD, annual(ROAD.goals.overall or "")),
    Case(
        "JX-R02",
        "a multi-year annual goal",
        ROAD,
        annual("经过三年努力，累计完成道路养护360万平方米，道路优良率达到90%。"),
    ),
    Case(
        "JX-R03",
        "last year's summary",
        ROAD,
        annual("今年以来，完成了道路养护120万平方米，修补了坑塘3000处。"),
    ),
    Case("JX-R04", "a goal quantity no row measures", ROAD, annual("完成标线维护20公里。", append=True)),
    Case("JX-R05", "a count filed as a benefit", TRAINING, move("培训人次", "效益指标", "社会效益指标")),
    Case("JX-R06", "the same row twice", ROAD, add(("产出指标", "数量指标", "坑塘修补数量", ">=3000处"))),
    Case("JX-R07", "boilerplate across the unit", ROAD, _nothing, batch=_batch_boilerplate),
    Case("JX-R08", "the same project twice", ROAD, _nothing, batch=_batch_duplicate),
    Case("JX-R09", "another project's goal", MEALS, _nothing, batch=_batch_shared_goal),
    Case("JX-R10", "a work list", ROAD, annual("全年道路养护工作包括日常巡查、坑塘修补和标线维护等。")),
    Case("JX-R11", "a row asking less than the goal", ROAD, target("坑塘修补数量", ">=2000处")),
    Case(
        "JX-R12",
        "a promised increase without a baseline",
        ROAD,
        annual("道路优良率比上年提高。", append=True),
    ),
    Case(
        "JX-R13",
        "an outcome filed as an output",
        MEALS,
        add(("产出指标", "质量指标", "老年人营养状况改善率", ">=60%")),
    ),
    Case("JX-R14", "a count under 质量指标", TRAINING, move("培训人次", "产出指标", "质量指标")),
    Case("JX-R15", "a training project counting no trainees", TRAINING, drop("培训人次", "培训班期数")),
    Case("JX-R16", "every row copied from last year", ROAD, _nothing, batch=_batch_copied),
    # --- ambition
    Case("JX-A01", "satisfaction below the unit's norm", ROAD, _nothing, batch=_batch_satisfaction),
    Case("JX-A02", "a target that cannot fail", ROAD, target("道路优良率", ">=0%")),
    Case("JX-A03", "an input as an output", ROAD, add(("产出指标", "数量指标", "养护人员到位率", "=100%"))),
    Case("JX-A04", "satisfaction under the floor", ROAD, target("市民出行满意度", ">=70%")),
    Case("JX-A05", "a sweeping goal", ROAD, annual("推动道路养护实现跨越式发展。", append=True)),
    Case(
        "JX-A06",
        "an evaluation contract claiming the work it evaluates",
        make(
            "区管道路养护质量第三方评估",
            [
                ("产出指标", "数量指标", "评估路段数量", ">=120条"),
                ("产出指标", "质量指标", "评估报告验收通过率", "=100%"),
                ("产出指标", "时效指标", "评估报告提交时间", "12月底前"),
                ("效益指标", "社会效益指标", "养护问题发现数量增长", ">=10%"),
                ("满意度指标", "服务对象满意度指标", "委托单位满意度", ">=90%"),
            ],
            overall="对区管道路养护质量开展第三方评估，为养护考核提供依据。",
            annual="2022年完成120条路段的养护质量评估，12月底前提交评估报告。",
            amount="400000",
        ),
        add(("产出指标", "质量指标", "病害整改办结率", "=100%")),
    ),
    Case("JX-A07", "a slipped 万 in the area", ROAD, target("道路养护面积", ">=120平方米")),
    Case("JX-A08", "40% more money for the same outputs", ROAD, _nothing, batch=_batch_not_scaled),
    # --- fed by peer data (ROAD's 道路优良率 is >=90%: the peers are set so that the clean form passes)
    Case(
        "JX-A09",
        "a rate below the unit's own actual of last year (88%)",
        ROAD,
        target("道路优良率", ">=85%"),
        peers=_peers_last_actual(),
    ),
    Case(
        "JX-A10",
        "a rate below five other units' 10th percentile (86.2%)",
        ROAD,
        target("道路优良率", ">=80%"),
        peers=_peers_other_units(),
    ),
    Case(
        "JX-R17",
        "a goal sentence four other units wrote",
        ROAD,
        annual(_SHARED_SENTENCE, append=True),
        peers=_peers_other_units(),
    ),
]

_IDS = [c.code for c in CASES]


def _forms(case: Case) -> tuple[list[Declaration], list[Declaration], int]:
    """Return (clean forms, defective forms, index of the defective form the rule must flag)."""
    if case.batch is not None:
        clean, bad = case.batch()
        changed = next((n for n, d in enumerate(bad) if n >= len(clean) or d is not clean[n]), len(bad) - 1)
        return clean, bad, changed
    defective = copy.deepcopy(case.base)
    case.plant(defective)
    return [case.base], [defective], 0


@pytest.mark.parametrize("case", CASES, ids=_IDS)
def test_the_rule_fires_on_the_defective_form(case: Case) -> None:
    _, bad, n = _forms(case)
    report = review(bad, profile=case.profile, peers=case.peers)
    codes = [f.code for dr in report.declarations for f in dr.findings]
    assert case.code in codes, f"{case.code} should catch {case.defect}"
    assert case.code in [f.code for f in report.declarations[n].findings] or case.batch is not None


@pytest.mark.parametrize("case", CASES, ids=_IDS)
def test_nothing_at_warning_or_above_fires_on_the_clean_form(case: Case) -> None:
    clean, _, _ = _forms(case)
    report = review(clean, profile=case.profile, peers=case.peers)
    loud = [(f.code, f.message_zh) for dr in report.declarations for f in dr.findings if f.severity != "info"]
    assert loud == []


def test_every_rule_sits_the_exam() -> None:
    missing = sorted(set(RULES) - set(_IDS))
    assert not missing, f"add a Case (clean form, the one defect) to CASES for {missing}"
    assert sorted(_IDS) == sorted(RULES)


@pytest.mark.parametrize(
    "code",
    # The five kinds a reviewer returned forms for, which the review used to let through.
    ["JX-R11", "JX-Q10", "JX-F10", "JX-A04", "JX-R05"],
)
def test_the_five_kinds_are_caught_at_warning_or_error(code: str) -> None:
    case = next(c for c in CASES if c.code == code)
    _, bad, _ = _forms(case)
    severities = {
        f.severity
        for dr in review(bad, profile=case.profile, peers=case.peers).declarations
        for f in dr.findings
        if f.code == code
    }
    assert severities and severities <= {"warning", "error"}


def test_an_output_count_filed_as_benefit_explains_the_reading() -> None:
    decl = copy.deepcopy(MEALS)
    add(
        ("效益指标", "社会效益指标", "助餐点建成数量", ">=40个"),
        ("效益指标", "社会效益指标", "助餐服务人次", ">=20万人次"),
    )(decl)
    found = [f for f in review([decl]).declarations[0].findings if f.code == "JX-R05"]
    assert [f.evidence.indicator for f in found] == ["助餐点建成数量", "助餐服务人次"]
    assert "以「数量」结尾，读作产出数量" in found[0].message_zh
    assert "以「人次」结尾" in found[1].message_zh
    assert "数量指标" in (found[0].suggestion_zh or "")


def test_the_claim_found_in_the_goal_is_quoted_with_the_target_to_set() -> None:
    decl = copy.deepcopy(ROAD)
    target("坑塘修补数量", ">=2000处")(decl)
    [finding] = [f for f in review([decl]).declarations[0].findings if f.code == "JX-R11"]
    assert "修补坑塘不少于3000处" in finding.message_zh
    assert "「>=3000处」" in (finding.suggestion_zh or "")


@pytest.mark.parametrize(
    ("row", "why"),
    [
        (("效益指标", "社会效益指标", "受益群众人数", ">=5000人"), "who benefits is a 社会效益 measure"),
        (("效益指标", "生态效益指标", "地表水水质合格率", ">=90%"), "the environment's state is an outcome"),
        (("效益指标", "社会效益指标", "城乡供水保障率", ">=98%"), "a supply guarantee is not a budget term"),
    ],
)
def test_readings_that_are_not_defects_stay_quiet(row: Row, why: str) -> None:
    decl = copy.deepcopy(MEALS)
    add(row)(decl)
    assert [f.code for f in review([decl]).declarations[0].findings if f.severity != "info"] == [], why


@pytest.mark.parametrize(
    ("annual_text", "row", "should"),
    [
        # 4 hours in the goal, 8 in the row: the row allows twice as long.
        ("重大故障4小时内恢复。", ("产出指标", "时效指标", "重大故障恢复时间", "8小时内"), "「4小时内」"),
        # a ceiling of 5% in the goal, 8% in the row.
        ("投诉率控制在5%以内。", ("效益指标", "社会效益指标", "投诉率", "<=8%"), "「<=5%」"),
        # 95% in the goal, 90% in the row.
        ("系统可用率不低于95%。", ("产出指标", "质量指标", "系统可用率", ">=90%"), "「>=95%」"),
    ],
)
def test_a_row_below_the_goal_is_told_the_value_the_goal_states(
    annual_text: str, row: Row, should: str
) -> None:
    decl = make(
        "区政务服务平台运维",
        [
            row,
            ("产出指标", "数量指标", "运维系统数量", "=6个"),
            ("满意度指标", "服务对象满意度指标", "用户满意度", ">=90%"),
        ],
        overall="保障平台稳定运行。",
        annual=annual_text,
    )
    [finding] = [f for f in review([decl]).declarations[0].findings if f.code == "JX-R11"]
    assert should in (finding.suggestion_zh or "")
