"""Hand-written declarations for the review tests (built explicitly, no factories of random data)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from jixiao.domain.model import Declaration, Funding, Goals, Indicator, Project
from jixiao.domain.targets import try_parse_target

Row = tuple[str, str, str, str]


def make(
    name: str,
    rows: list[Row],
    *,
    overall: str,
    annual: str,
    amount: str = "500000",
    unit: str = "上海市某区建设管理委员会",
    department: str = "上海市某区人民政府",
    year: int = 2022,
    start: date | None = None,
    end: date | None = None,
    funding: Funding | None = None,
) -> Declaration:
    """Return a declaration of ``rows`` (一级, 二级, 三级, 目标值) with consistent funding and dates."""
    money = Decimal(amount)
    return Declaration(
        year=year,
        project=Project(
            name=name,
            category="经常性项目",
            competent_department=department,
            implementing_unit=unit,
            start_date=start or date(year, 1, 1),
            end_date=end or date(year, 12, 31),
        ),
        funding=funding or Funding(total=money, total_fiscal=money, annual=money, annual_appropriation=money),
        goals=Goals(overall=overall, annual=annual),
        indicators=[Indicator(l1, l2, n, try_parse_target(t)) for l1, l2, n, t in rows],
    )


ROAD = make(
    "区管城市道路日常养护",
    [
        ("产出指标", "数量指标", "道路养护面积", ">=120万平方米"),
        ("产出指标", "数量指标", "坑塘修补数量", ">=3000处"),
        ("产出指标", "质量指标", "道路技术状况指数", ">=85分"),
        ("产出指标", "时效指标", "坑塘修补时限", "24小时内完成"),
        ("效益指标", "社会效益指标", "道路优良率", ">=90%"),
        ("效益指标", "可持续影响指标", "道路平均使用年限延长", ">=2年"),
        ("满意度指标", "服务对象满意度指标", "市民出行满意度", ">=90%"),
    ],
    overall="对区管城市道路实施日常养护，保持道路技术状况指数不低于85分，道路优良率保持在90%以上。",
    annual="2022年完成区管城市道路120万平方米的日常养护，修补坑塘不少于3000处，坑塘24小时内修复，道路优良率达到90%。",
    amount="8600000",
)

TRAINING = make(
    "社区工作者职业能力培训",
    [
        ("产出指标", "数量指标", "培训人次", ">=1200人次"),
        ("产出指标", "数量指标", "培训班期数", ">=12期"),
        ("产出指标", "质量指标", "培训考核合格率", ">=95%"),
        ("产出指标", "时效指标", "培训完成时间", "11月底前"),
        ("效益指标", "社会效益指标", "参训人员持证上岗率", ">=90%"),
        ("满意度指标", "服务对象满意度指标", "参训人员满意度", ">=92%"),
    ],
    overall="提升社区工作者的职业能力，实现社区工作者持证上岗率达到90%以上。",
    annual="2022年举办培训班12期、培训1200人次，考核合格率不低于95%，11月底前完成全部培训。",
    amount="960000",
    unit="上海市某区民政局",
)

IT_SYSTEM = make(
    "区政务服务一网通办平台运维",
    [
        ("产出指标", "数量指标", "运维保障系统数量", "=6个"),
        ("产出指标", "数量指标", "巡检次数", ">=52次"),
        ("产出指标", "质量指标", "系统可用率", ">=99.5%"),
        ("产出指标", "时效指标", "重大故障恢复时间", "4小时内"),
        ("效益指标", "社会效益指标", "网上办件占比", ">=85%"),
        ("满意度指标", "服务对象满意度指标", "办事群众满意度", ">=95%"),
    ],
    overall="保障一网通办平台6个业务系统稳定运行，系统可用率不低于99.5%，网上办件占比达到85%。",
    annual="2022年对6个业务系统开展每周巡检，全年巡检52次，重大故障4小时内恢复，系统可用率不低于99.5%。",
    amount="2300000",
    unit="上海市某区行政服务中心",
)

MEALS = make(
    "老年人助餐服务补贴",
    [
        ("产出指标", "数量指标", "受益老年人数", ">=5000人"),
        ("产出指标", "数量指标", "社区助餐点数量", "=40个"),
        ("产出指标", "质量指标", "食品安全抽检合格率", "=100%"),
        ("产出指标", "时效指标", "补贴资金拨付时限", "15个工作日内"),
        ("效益指标", "社会效益指标", "助餐服务街镇覆盖率", ">=90%"),
        ("满意度指标", "服务对象满意度指标", "就餐老年人满意度", ">=90%"),
    ],
    overall="建成覆盖全区的社区助餐服务网络，助餐服务街镇覆盖率达到90%以上。",
    annual="2022年支持40个社区助餐点运营，惠及老年人不少于5000人，补贴资金在申请后15个工作日内拨付。",
    amount="3600000",
    unit="上海市某区民政局",
)

CAMERAS = make(
    "执法记录仪购置",
    [
        ("产出指标", "数量指标", "购置执法记录仪数量", "=200台"),
        ("产出指标", "质量指标", "设备验收合格率", "=100%"),
        ("产出指标", "时效指标", "采购完成时间", "6月底前"),
        ("效益指标", "社会效益指标", "执法全过程记录覆盖率", ">=95%"),
        ("效益指标", "可持续影响指标", "设备使用年限", ">=5年"),
        ("满意度指标", "服务对象满意度指标", "一线执法人员满意度", ">=90%"),
    ],
    overall="为一线执法队员配齐执法记录仪，执法全过程记录覆盖率达到95%以上。",
    annual="2022年6月底前完成200台执法记录仪的采购和验收，验收合格率100%。",
    amount="700000",
    unit="上海市某区城市管理行政执法局",
)

COST_ROWS: dict[str, Row] = {
    "区管城市道路日常养护": ("成本指标", "经济成本指标", "单位面积养护成本", "<=7.2元/平方米"),
    "社区工作者职业能力培训": ("成本指标", "经济成本指标", "人均培训成本", "<=800元/人次"),
    "区政务服务一网通办平台运维": ("成本指标", "经济成本指标", "单系统年运维成本", "<=40万元"),
    "老年人助餐服务补贴": ("成本指标", "经济成本指标", "每餐补贴标准", "<=5元/餐"),
    "执法记录仪购置": ("成本指标", "经济成本指标", "单台购置成本", "<=3500元/台"),
}

WELL_FORMED = [ROAD, TRAINING, IT_SYSTEM, MEALS, CAMERAS]
