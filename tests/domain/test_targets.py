"""The target-value grammar (DESIGN.md "Target-value grammar"), as tables and properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.domain.errors import JixiaoError, TargetError
from jixiao.domain.targets import format_target, parse_target, try_parse_target

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


SAMPLES = [row[0] for row in NUMERIC] + [
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
    return (t.kind, t.op, t.value, t.unit, t.low, t.high, t.year, t.month, t.day, t.direction)


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
    assert target.kind in ("numeric", "range", "deadline", "qualitative")
    # whatever parsed must format and parse back to the same structure
    assert _shape(format_target(target)) == _shape(target.text) or target.kind == "qualitative"


@given(st.text(max_size=30))
def test_try_parse_never_raises(text: str) -> None:
    try:
        try_parse_target(text)
    except JixiaoError:  # pragma: no cover - would be a bug
        pytest.fail("try_parse_target raised")
