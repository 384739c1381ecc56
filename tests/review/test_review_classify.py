"""The name classifier and the goal-claim reader, one case per row."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.review.claims import _claims_of, similarity
from jixiao.review.classify import read_name


@pytest.mark.parametrize(
    ("name", "kind", "cue"),
    [
        ("助餐点建成数量", "count", "数量"),
        ("服务人次", "count", "人次"),
        ("培训班期数", "count", "期数"),
        ("道路养护面积", "count", "面积"),
        ("受益老年人数", "count", "人数"),  # a suffix wins over an outcome word
        ("热线工单按时办结率", "completion", "办结率"),
        ("示范性“美丽街区”建设完成率", "completion", "完成率"),
        ("培训考核合格率", "quality", "合格率"),
        ("建设验收通过率", "quality", "通过率"),
        ("系统可用率", "quality", "可用率"),
        ("坑塘修补时限", "timeliness", "时限"),
        ("派单及时率", "timeliness", "及时率"),
        ("采购完成时间", "timeliness", "完成时间"),
        ("人均培训成本", "cost", "成本"),
        ("每餐补贴标准", "cost", "补贴标准"),
        ("第三方人员到位率", "input", "到位"),
        ("资金拨付率", "input", "拨付率"),
        ("降低案件投诉率", "outcome", "降低"),
        ("辖区空气质量优良天数增长", "outcome", "增长"),
        ("居民出行条件改善", "outcome", "改善"),
        ("市民满意度", "satisfaction", "满意度"),
    ],
)
def test_names_read_as_what_they_measure(name: str, kind: str, cue: str) -> None:
    reading = read_name(name)
    assert reading is not None and (reading.kind, reading.cue) == (kind, cue)


@pytest.mark.parametrize(
    "name", ["长效管理机制健全性", "城市精细化推进程度", "网上办件占比", "信息化水平", "道路优良率"]
)
def test_names_that_do_not_say_are_left_unread(name: str) -> None:
    assert read_name(name) is None


@pytest.mark.parametrize(
    ("text", "kind", "op", "value", "unit"),
    [
        ("修补坑塘不少于3000处", "quantity", ">=", Decimal(3000), "处"),
        ("完成道路养护120万平方米", "quantity", "=", Decimal(1200000), "平方米"),
        ("培训1200人次以上", "quantity", ">=", Decimal(1200), "人次"),
        ("考核合格率不低于95%", "rate", ">=", Decimal(95), "%"),
        ("投诉率控制在5%以内", "rate", "<=", Decimal(5), "%"),
        ("道路技术状况指数不低于85分", "rate", ">=", Decimal(85), "分"),
        ("重大故障4小时内恢复", "limit", "<=", Decimal(4), "小时"),
        ("补贴资金15个工作日内拨付", "limit", "<=", Decimal(15), "工作日"),
    ],
)
def test_goal_claims_are_read(text: str, kind: str, op: str, value: Decimal, unit: str) -> None:
    [claim] = _claims_of(text, "annual")
    assert (claim.kind, claim.op, claim.value, claim.unit) == (kind, op, value, unit)


def test_dates_changes_and_list_numbers() -> None:
    [date] = _claims_of("11月底前完成全部培训", "annual")
    assert (date.kind, date.month) == ("date", 11)
    changes = _claims_of("实际解决率、市民满意率比上年增长", "annual")
    assert [(c.kind, c.context) for c in changes] == [("change", "实际解决率"), ("change", "市民满意率")]
    # List numbering and years are not quantities; a count in a multi-year sentence is cumulative.
    assert _claims_of("1、加强管理;2、2022年完善制度", "annual") == ()
    [total] = _claims_of("经过三年努力,累计建成100个示范点", "annual")
    assert total.cumulative


def test_similarity_reads_a_clause_against_a_name() -> None:
    assert similarity("修补坑塘", "坑塘修补数量") > 0.5
    assert similarity("修补坑塘", "市民出行满意度") == 0
