"""The target-value grammar (DESIGN.md "Target-value grammar"), as tables and properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.domain.errors import JixiaoError, TargetError
from jixiao.domain.targets import BASELINES, compose_target, format_target, parse_target, try_parse_target

D = Decimal

NUMERIC = [
    # text, op, value, unit
    ("=100%", "=", D(100), "%"),
    (">=90%", ">=", D(90), "%"),
    (">=98%", ">=", D(98), "%"),
    (">=95%", ">=", D(95), "%"),
    (">=70%", ">=", D(70), "%"),
    (">40", ">", D(40), None),
    ("2个", "=", D(2), "个"),
    ("1个", "=", D(1), "个"),
    ("35人", "=", D(35), "人"),
    ("≥50个", ">=", D(50), "个"),
    ("≤90万元", "<=", D(90), "万元"),
    ("≧735人次", ">=", D(735), "人次"),
    ("═100%", "=", D(100), "%"),
    ("不低于95%", ">=", D(95), "%"),
    ("不少于3次", ">=", D(3), "次"),
    ("＞＝９０％", ">=", D(90), "%"),
    ("≦5%", "<=", D(5), "%"),
    ("＜3次", "<", D(3), "次"),
    (">= 90 %", ">=", D(90), "%"),
    ("95%以上", ">=", D(95), "%"),
    ("不超过2%", "<=", D(2), "%"),
    ("低于1%", "<", D(1), "%"),
    ("99.5%", "=", D("99.5"), "%"),
    ("＝0", "=", D(0), None),
]


@pytest.mark.parametrize(("text", "op", "value", "unit"), NUMERIC)
def test_numeric_targets_keep_operator_value_and_unit(
    text: str, op: str, value: Decimal, unit: str | None
) -> None:
    target = parse_target(text)
    assert (target.kind, target.op, target.value, target.unit) == ("numeric", op, value, unit)
    assert target.text == "".join(text.split())
    assert target.measurable


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("90%-95%", D(90), D(95), "%"),
        ("5~8个", D(5), D(8), "个"),
        ("5～8个", D(5), D(8), "个"),
        ("10至20天", D(10), D(20), "天"),
        ("1.5-2.5万元", D("1.5"), D("2.5"), "万元"),
    ],
)
def test_ranges_keep_both_bounds(text: str, low: Decimal, high: Decimal, unit: str) -> None:
    target = parse_target(text)
    assert (target.kind, target.low, target.high, target.unit) == ("range", low, high, unit)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("7天内完成", D(7), "天"),
        ("3个工作日内", D(3), "工作日"),
        ("24小时内", D(24), "小时"),
        ("当天派单", D(1), "天"),
        ("当天回访", D(1), "天"),
        ("30分钟内响应", D(30), "分钟"),
        ("2个月内", D(2), "月"),
    ],
)
def test_time_limits_are_reverse_deadlines(text: str, value: Decimal, unit: str) -> None:
    target = parse_target(text)
    assert (target.kind, target.op, target.value, target.unit) == ("deadline", "<=", value, unit)
    assert target.reverse


@pytest.mark.parametrize(
    ("text", "year", "month", "day"),
    [
        ("6月底前", None, 6, None),
        ("2022年12月31日前", 2022, 12, 31),
        ("年底完成", None, 12, 31),
        ("年底前完成", None, 12, 31),
        ("10月31日前", None, 10, 31),
        ("2023年12月31前完成", 2023, 12, 31),  # 日 left out, as people type it
    ],
)
def test_dated_deadlines_fall_in_the_budget_year(
    text: str, year: int | None, month: int, day: int | None
) -> None:
    target = parse_target(text)
    assert (target.kind, target.year, target.month, target.day) == ("deadline", year, month, day)


@pytest.mark.parametrize(
    ("text", "direction"),
    [
        ("提升", "up"),
        ("显著提升", "up"),
        ("有所提升", "up"),
        ("逐步提高", "up"),
        ("明显改善", "up"),
        ("提高", "up"),
        ("不断提升", "up"),
        ("加大", "up"),
        ("降低", "down"),
        ("减少", "down"),
        ("建立健全", "none"),
        ("形成", "none"),
        ("全覆盖", "none"),
        ("及时", "none"),
        ("有效落实", "none"),
    ],
)
def test_qualitative_targets_have_a_direction_and_are_not_measurable(text: str, direction: str) -> None:
    target = parse_target(text)
    assert (target.kind, target.direction, target.measurable) == ("qualitative", direction, False)
    assert target.to_dict()["measurable"] is False


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "JX-E202"),
        ("   ", "JX-E202"),
        (">=", "JX-E205"),
        ("≥%", "JX-E205"),
        (">=abc", "JX-E205"),
        ("abc", "JX-E212"),
        ("???", "JX-E212"),
        ("95%-90%", "JX-E210"),
        ("5个-8次", "JX-E209"),
        (">>5", "JX-E207"),
        ("13月底前", "JX-E211"),
        ("提" * 201, "JX-E203"),
    ],
)
def test_unreadable_values_raise_target_error_with_text_and_reason(text: str, code: str) -> None:
    with pytest.raises(TargetError) as caught:
        parse_target(text)
    assert caught.value.code == code
    assert caught.value.reason_zh and caught.value.reason_en
    assert "无法识别的指标目标值" in caught.value.message("zh")


def test_try_parse_keeps_an_unreadable_value_as_invalid() -> None:
    target = try_parse_target(">=abc")
    assert target.kind == "invalid" and target.text == ">=abc" and target.error


RELATIVE = [
    # text, baseline, op, direction, size, unit
    ("较上年提高5个百分点", "上年", ">=", "up", D(5), "百分点"),
    ("比上年提高5百分点", "上年", ">=", "up", D(5), "百分点"),
    ("较上年增长10%", "上年", ">=", "up", D(10), "%"),
    ("同比下降10%", "去年同期", "<=", "down", D(10), "%"),
    ("同比增长5%以上", "去年同期", ">=", "up", D(5), "%"),
    ("较去年同期下降3个百分点", "去年同期", "<=", "down", D(3), "百分点"),
    ("较基期增长20%", "基期", ">=", "up", D(20), "%"),
    ("与上年相比减少2起", "上年", "<=", "down", D(2), "起"),
    ("比上年增加3个", "上年", ">=", "up", D(3), "个"),
    ("较上年实际提高1个百分点", "上年实际", ">=", "up", D(1), "百分点"),
    ("较上年度缩短2天", "上年", "<=", "down", D(2), "天"),
    ("不低于上年", "上年", ">=", "up", None, None),
    ("不低于上年水平", "上年", ">=", "up", None, None),
    ("≥上年水平", "上年", ">=", "up", None, None),
    ("≧上年", "上年", ">=", "up", None, None),
    ("不高于上年", "上年", "<=", "down", None, None),
    ("≤上年实际", "上年实际", "<=", "down", None, None),
    ("不低于去年同期", "去年同期", ">=", "up", None, None),
    ("不低于上年同期", "去年同期", ">=", "up", None, None),
    ("达到上年水平", "上年", ">=", "up", None, None),
    ("较上年有所提升", "上年", ">", "up", None, None),
    ("较上年进一步降低", "上年", "<", "down", None, None),
    ("与上年持平", "上年", "=", "none", None, None),
    ("保持上年水平", "上年", "=", "none", None, None),
    ("控制在预算内", "预算", "<=", "down", None, None),
    ("控制在预算范围内", "预算", "<=", "down", None, None),
    ("不超预算", "预算", "<=", "down", None, None),
    ("不超过预算", "预算", "<=", "down", None, None),
]


@pytest.mark.parametrize(("text", "baseline", "op", "direction", "size", "unit"), RELATIVE)
def test_relative_targets_keep_baseline_direction_and_size(
    text: str, baseline: str, op: str, direction: str, size: Decimal | None, unit: str | None
) -> None:
    target = parse_target(text)
    assert (target.kind, target.baseline, target.op, target.direction, target.value, target.unit) == (
        "relative",
        baseline,
        op,
        direction,
        size,
        unit,
    )
    assert target.baseline in BASELINES
    # measured from a baseline, so measurable; the review recommends exactly this form (JX-Q02)
    assert target.measurable
    assert target.reverse == (op in ("<=", "<"))
    assert target.to_dict()["baseline"] == baseline


FREQUENCY = [
    # text, op, count, unit, period, action
    ("每日巡查2次", "=", D(2), "次", "日", "巡查"),
    ("每天巡查2次", "=", D(2), "次", "日", "巡查"),
    ("每月1次", "=", D(1), "次", "月", None),
    ("每周开展1次", "=", D(1), "次", "周", "开展"),
    ("每月不少于2次", ">=", D(2), "次", "月", None),
    ("每季度至少开展1次", ">=", D(1), "次", "季度", "开展"),
    ("每年度检查4次以上", ">=", D(4), "次", "年", "检查"),
    ("每半年1次", "=", D(1), "次", "半年", None),
    ("2次/月", "=", D(2), "次", "月", None),
    ("≥12次/年", ">=", D(12), "次", "年", None),
]


@pytest.mark.parametrize(("text", "op", "count", "unit", "period", "action"), FREQUENCY)
def test_frequencies_are_counts_per_period(
    text: str, op: str, count: Decimal, unit: str, period: str, action: str | None
) -> None:
    target = parse_target(text)
    assert (target.kind, target.op, target.value, target.unit, target.period, target.note) == (
        "numeric",
        op,
        count,
        unit,
        period,
        action,
    )
    assert target.to_dict()["period"] == period


@pytest.mark.parametrize(
    ("text", "unit", "what"),
    [
        ("零事故", None, "事故"),
        ("零投诉", None, "投诉"),
        ("实现零差错", None, "差错"),
        ("无安全事故", None, "安全事故"),
        ("杜绝重大责任事故", None, "重大责任事故"),
        ("0起", "起", None),
        ("=0", None, None),
        ("0次", "次", None),
    ],
)
def test_zero_targets_are_equal_to_zero(text: str, unit: str | None, what: str | None) -> None:
    target = parse_target(text)
    assert (target.kind, target.op, target.value, target.unit, target.note) == (
        "numeric",
        "=",
        D(0),
        unit,
        what,
    )


@pytest.mark.parametrize("text", ["零星维修", "零售网点覆盖", "零部件更新"])
def test_words_that_start_with_zero_are_not_zero_targets(text: str) -> None:
    assert parse_target(text).kind == "qualitative"


@pytest.mark.parametrize(
    ("text", "op", "value", "unit", "note"),
    [
        ("100%覆盖", "=", D(100), "%", "覆盖"),
        (">=95%覆盖", ">=", D(95), "%", "覆盖"),
        ("100%全覆盖", "=", D(100), "%", "全覆盖"),
        ("100%完成", "=", D(100), "%", "完成"),
        ("≥98%达标", ">=", D(98), "%", "达标"),
        ("5个社区全覆盖", "=", D(5), "个社区", "全覆盖"),
        ("≥735人次", ">=", D(735), "人次", None),
    ],
)
def test_units_stay_units_and_the_word_after_them_is_a_note(
    text: str, op: str, value: Decimal, unit: str, note: str | None
) -> None:
    target = parse_target(text)
    assert (target.kind, target.op, target.value, target.unit, target.note) == (
        "numeric",
        op,
        value,
        unit,
        note,
    )


@pytest.mark.parametrize(
    "text",
    ["大幅提升", "显著提升", "明显改善", "较上年大幅提升", "上年实际", "有所提升"],
)
def test_a_direction_without_size_or_baseline_stays_unmeasurable(text: str) -> None:
    target = parse_target(text)
    assert target.kind == "qualitative" and not target.measurable


# Sichuan and Anhui print 指标性质 | 指标值 | 度量单位 in three columns (form-layouts.md §3).
@pytest.mark.parametrize(
    ("nature", "value", "unit", "text", "kind"),
    [
        ("≥", "95", "%", ">=95%", "numeric"),
        ("≤", "90", "万元", "<=90万元", "numeric"),
        ("=", "100", "%", "=100%", "numeric"),
        ("＞", "40", "个", ">40个", "numeric"),
        ("＜", "3", "次", "<3次", "numeric"),
        ("≥", "95%", "%", ">=95%", "numeric"),
        ("定性", "有效提升", None, "有效提升", "qualitative"),
        ("定性", "较上年提高5个百分点", "", "较上年提高5个百分点", "relative"),
        (None, "7", "天内完成", "7天内完成", "deadline"),
    ],
)
def test_split_nature_value_unit_columns_compose_one_target(
    nature: str | None, value: str, unit: str | None, text: str, kind: str
) -> None:
    composed = compose_target(nature, value, unit)
    assert composed == text
    assert parse_target(composed).kind == kind


def test_an_unknown_nature_is_an_error_not_dropped() -> None:
    with pytest.raises(TargetError) as caught:
        compose_target("约", "95", "%")
    assert caught.value.code == "JX-E213"


# Comparators as extraction produces them (form-layouts.md §4).
@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("≧90%", ">="),
        ("≦5%", "<="),
        ("＞3个", ">"),
        ("＜2天", "<"),
        ("＝100%", "="),
        ("═100%", "="),
        ("≥1个", ">="),
        ("≤1%", "<="),
    ],
)
def test_extraction_comparators_read_as_operators(text: str, op: str) -> None:
    assert parse_target(text).op == op


SAMPLES = [row[0] for row in NUMERIC + RELATIVE + FREQUENCY] + [
    "零事故",
    "100%覆盖",
    "5个社区全覆盖",
    "90%-95%",
    "5~8个",
    "7天内完成",
    "3个工作日内",
    "6月底前",
    "2022年12月31日前",
    "年底完成",
    "当天派单",
    "提升",
    "建立健全",
]


def _shape(text: str) -> tuple[object, ...]:
    t = parse_target(text)
    return (
        t.kind,
        t.op,
        t.value,
        t.unit,
        t.low,
        t.high,
        t.year,
        t.month,
        t.day,
        t.direction,
        t.baseline,
        t.period,
        t.note,
    )


@pytest.mark.parametrize("text", SAMPLES)
def test_format_of_parse_is_stable(text: str) -> None:
    once = format_target(parse_target(text))
    assert _shape(once) == _shape(text)
    assert format_target(parse_target(once)) == once


LOOKALIKES = {">=": ["≥", "≧", "＞＝"], "<=": ["≤", "≦", "＜＝"], "=": ["＝", "═"], "%": ["％"], "~": ["～"]}


@given(
    op=st.sampled_from(["=", ">=", "<=", ">", "<"]),
    value=st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False),
    unit=st.sampled_from(["", "%", "个", "人次", "万元", "次", "天"]),
    data=st.data(),
)
def test_lookalike_spellings_parse_to_the_same_target(
    op: str, value: Decimal, unit: str, data: st.DataObject
) -> None:
    canonical = parse_target(f"{op}{value}{unit}")
    spelled_op = data.draw(st.sampled_from([op, *LOOKALIKES.get(op, [])]))
    spelled_unit = data.draw(st.sampled_from([unit, *LOOKALIKES.get(unit, [])]))
    variant = parse_target(f"{spelled_op}{value}{spelled_unit}")
    assert (variant.op, variant.value, variant.unit) == (canonical.op, canonical.value, canonical.unit)


@settings(max_examples=400)
@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789.%-~<>=≥≤≧≦＞＜＝═个天内月底前年提升降低及时 工作日当万元"))
        | st.characters(),
        max_size=40,
    )
)
def test_any_text_gives_a_target_or_a_target_error(text: str) -> None:
    try:
        target = parse_target(text)
    except TargetError:
        return
    assert target.kind in ("numeric", "range", "deadline", "relative", "qualitative")
    # whatever parsed must format and parse back to the same structure
    assert _shape(format_target(target)) == _shape(target.text) or target.kind == "qualitative"


@given(st.text(max_size=30))
def test_try_parse_never_raises(text: str) -> None:
    try:
        try_parse_target(text)
    except JixiaoError:  # pragma: no cover - would be a bug
        pytest.fail("try_parse_target raised")


@given(
    baseline=st.sampled_from(["上年", "上年实际", "基期", "去年同期", "上年度", "去年", "上年同期"]),
    lead=st.sampled_from(["较", "比", "与", ""]),
    verb=st.sampled_from(["提高", "提升", "增长", "增加", "下降", "降低", "减少"]),
    size=st.none() | st.decimals(min_value=0, max_value=1000, places=1, allow_nan=False),
    unit=st.sampled_from(["个百分点", "百分点", "%", "个", "人次", ""]),
    suffix=st.sampled_from(["", "以上"]),
)
def test_relative_targets_format_and_parse_back_the_same(
    baseline: str, lead: str, verb: str, size: Decimal | None, unit: str, suffix: str
) -> None:
    text = f"{lead}{baseline}{verb}{'' if size is None else size}{unit if size is not None else ''}{suffix if size is not None else ''}"
    target = parse_target(text)
    assert target.kind == "relative"
    once = format_target(target)
    assert _shape(once) == _shape(text)
    assert format_target(parse_target(once)) == once


@given(
    period=st.sampled_from(["日", "天", "周", "月", "季度", "年", "半年"]),
    action=st.sampled_from(["", "巡查", "检查", "开展", "召开"]),
    op=st.sampled_from(["", "不少于", "至少", ">=", "≥"]),
    count=st.integers(min_value=0, max_value=500),
    unit=st.sampled_from(["次", "场", "期", ""]),
)
def test_frequencies_format_and_parse_back_the_same(
    period: str, action: str, op: str, count: int, unit: str
) -> None:
    text = f"每{period}{action}{op}{count}{unit}"
    target = parse_target(text)
    assert target.kind == "numeric" and target.period is not None
    once = format_target(target)
    assert _shape(once) == _shape(text)
    assert format_target(parse_target(once)) == once
