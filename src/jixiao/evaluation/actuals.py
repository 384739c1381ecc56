"""实际完成值: an actual value typed like a target ("100%", "735人次", "及时", "6天"), read and
checked against the kind and unit of the indicator's target.

The target grammar (:mod:`jixiao.domain.targets`) reads the number and unit; this module decides
what the actual means for *this* target and raises :class:`ScoringError` naming the indicator when
it does not fit (a grade for a number, 人 for 人次, a date for a count …).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from jixiao.domain.errors import DateError, Location, ScoringError, TargetError
from jixiao.domain.money import parse_date
from jixiao.domain.targets import Target, parse_target
from jixiao.domain.text import fold, strip_spaces
from jixiao.evaluation.config import ACHIEVED, QUALITATIVE_GRADES, RegionRules

__all__ = ["Actual", "canonical_unit", "deadline_date", "grade_of", "read_actual"]

# Units a time limit ("7天内完成") may be met in; a duration actual must use one of them.
DURATION_UNITS = frozenset({"天", "工作日", "小时", "分钟", "周", "月", "年"})

_MONTH_DAY = re.compile(
    r"^(?:(?P<y>\d{4})[年\-/.])?(?P<m>\d{1,2})(?:月|[\-/.](?=\d))"
    r"(?:(?P<d>\d{1,2})日?|(?P<end>底|末))?(?:前|之前|以前)?(?:已?完成)?$"
)
_YEAR_END = re.compile(r"^(?:年底|年末|年内|当年)(?:前|之前)?(?:已?完成)?$")


@dataclass(frozen=True, slots=True)
class Actual:
    """One actual value read for a given target.

    ``kind`` is ``number`` (``value`` + ``unit`` in the target's canonical unit), ``date``
    (``when``), ``met`` (a deadline reported as met in words: 按时完成), ``grade`` (one of the
    three 10号 qualitative grades) or ``change`` (a relative actual, 较上年提高4个百分点: ``value`` is
    signed, + up and − down, in ``unit`` 百分点, % or a unit).
    """

    text: str
    kind: Literal["number", "date", "met", "grade", "change"]
    value: Decimal | None = None
    unit: str | None = None
    when: date | None = None
    grade: str | None = None


def _error(code: str, zh: str, en: str, name: str, field: str | None) -> ScoringError:
    return ScoringError(
        f"指标「{name}」：{zh}", f"indicator '{name}': {en}", code=code, where=Location(field=field)
    )


def canonical_unit(unit: str | None, value: Decimal, rules: RegionRules) -> tuple[str | None, Decimal]:
    """Return ``(unit, value)`` with aliases resolved and money scaled to 元 (万元 × 10000)."""
    if unit is None:
        return None, value
    unit = rules.unit_aliases.get(unit, unit)
    if unit in rules.unit_scales:
        base, factor = rules.unit_scales[unit]
        return base, value * factor
    return unit, value


def grade_of(text: str, target: Target, rules: RegionRules) -> str | None:
    """Return the qualitative grade ``text`` stands for, or None.

    The three 10号 grades, the short words of ``rules.qualitative_words`` (达成, 部分完成 …), or the
    target's own wording repeated (target 及时, actual 及时: the evaluator claims it was met, as in
    the real form S7 of domain-rules.md §5.7).
    """
    cleaned = strip_spaces(fold(text)).rstrip("。.")
    if cleaned in QUALITATIVE_GRADES:
        return cleaned
    if cleaned in rules.qualitative_words:
        return rules.qualitative_words[cleaned]
    if cleaned == strip_spaces(fold(target.text)):
        return ACHIEVED
    return None


def deadline_date(target: Target, year: int) -> date:
    """Return the last day allowed by a dated deadline target (6月底前 → 30 June of ``year``)."""
    assert target.month is not None
    y = target.year or year
    if not 1 <= y <= 9999:
        raise ScoringError(
            f"指标目标值「{target.text}」的年份不存在",
            f"the target '{target.text}' names no real year",
            code="JX-E606",
        )
    last = calendar.monthrange(y, target.month)[1]
    return date(y, target.month, min(target.day or last, last))


def _read_date(text: str, year: int) -> date | None:
    cleaned = strip_spaces(fold(text))
    if not 1 <= year <= 9999:
        return None
    try:
        return parse_date(cleaned)
    except DateError:
        pass
    if _YEAR_END.match(cleaned):
        return date(year, 12, 31)
    match = _MONTH_DAY.match(cleaned)
    if not match:
        return None
    y = int(match["y"]) if match["y"] else year
    m = int(match["m"])
    if not 1 <= m <= 12 or not 1 <= y <= 9999:
        return None
    last = calendar.monthrange(y, m)[1]
    d = int(match["d"]) if match["d"] else last
    if not 1 <= d <= last:
        return None
    return date(y, m, d)


def read_actual(
    text: str | None,
    target: Target,
    rules: RegionRules,
    *,
    name: str,
    year: int | None = None,
    field: str | None = None,
) -> Actual:
    """Return the actual value ``text`` read against ``target``, or raise :class:`ScoringError`.

    ``name`` (the 三级指标) and ``field`` (e.g. ``indicators[2].actual``) go into the message and
    location. ``year`` is the budget year, for dated deadlines written without a year.
    """
    if text is None or not strip_spaces(text):
        raise _error("JX-E601", "缺少实际完成值", "the actual value is missing", name, field)
    printed = strip_spaces(text)
    if target.kind == "invalid":
        raise _error(
            "JX-E606",
            f"指标目标值「{target.text}」无法识别，不能计分",
            f"the target '{target.text}' is unreadable and cannot be scored",
            name,
            field,
        )
    if target.kind == "qualitative":
        grade = grade_of(printed, target, rules)
        if grade is None:
            raise _error(
                "JX-E607",
                f"定性指标的实际完成值「{printed}」不是评价等级（应为 {' / '.join(QUALITATIVE_GRADES)}）",
                f"the actual '{printed}' of a qualitative indicator is not a grade (expected one of: "
                "达成年度指标 / 部分达成年度指标并具有一定效果 / 未达成年度指标且效果较差)",
                name,
                field,
            )
        return Actual(printed, "grade", grade=grade)
    if target.kind == "deadline" and target.month is not None:
        return _read_dated(printed, target, rules, name=name, year=year, field=field)
    if target.kind == "relative":
        return _read_relative(printed, target, rules, name=name, field=field)
    if _is_zero_target(target) and strip_spaces(fold(printed)).rstrip("。.") in _NOTHING_HAPPENED:
        return Actual(printed, "number", value=Decimal(0), unit=None)
    return _read_number(printed, target, rules, name=name, field=field)


# What an evaluator writes when nothing happened (target 零事故): the count is 0.
_NOTHING_HAPPENED = frozenset({"无", "零", "未发生", "没有发生", "无事故", "0"})


def _is_zero_target(target: Target) -> bool:
    # 零事故: =0 with what is counted in the note; any count unit (起, 次, 件) may report it.
    return target.kind == "numeric" and target.value == 0 and target.unit is None and target.note is not None


def _read_relative(
    printed: str, target: Target, rules: RegionRules, *, name: str, field: str | None
) -> Actual:
    """An actual for 较上年提高5个百分点: a change (较上年提高4个百分点) or a level (92%)."""
    if grade_of(printed, target, rules) == ACHIEVED:
        return Actual(printed, "met")
    try:
        parsed = parse_target(printed)
    except TargetError:
        parsed = None
    if parsed is not None and parsed.kind == "relative" and (parsed.value is not None or parsed.op == "="):
        size = parsed.value if parsed.value is not None else Decimal(0)
        signed = -size if parsed.direction == "down" else size
        return Actual(printed, "change", value=signed, unit=parsed.unit)
    if parsed is not None and parsed.kind == "numeric" and parsed.op == "=" and parsed.value is not None:
        unit, value = canonical_unit(parsed.unit, parsed.value, rules)
        return Actual(printed, "number", value=value, unit=unit)
    raise _error(
        "JX-E603",
        f"相对指标「{target.text}」的实际完成值「{printed}」应为变化量（如 较上年提高4个百分点）或实际数值（如 92%）",
        f"the actual '{printed}' of the relative target '{target.text}' should be a change "
        "(e.g. 较上年提高4个百分点) or a value (e.g. 92%)",
        name,
        field,
    )


def _read_dated(
    printed: str, target: Target, rules: RegionRules, *, name: str, year: int | None, field: str | None
) -> Actual:
    if grade_of(printed, target, rules) == ACHIEVED:
        return Actual(printed, "met")
    when = _read_date(printed, target.year or year or date.today().year)
    if when is None:
        raise _error(
            "JX-E618",
            f"时限指标「{target.text}」的实际完成值「{printed}」应为完成日期（如 2022年6月20日）或「按时完成」",
            f"the actual '{printed}' of the deadline '{target.text}' should be a completion "
            "date (e.g. 2022-06-20) or 按时完成",
            name,
            field,
        )
    return Actual(printed, "date", when=when)


def _read_number(printed: str, target: Target, rules: RegionRules, *, name: str, field: str | None) -> Actual:
    deadline = target.kind == "deadline"
    if deadline and grade_of(printed, target, rules) == ACHIEVED:
        return Actual(printed, "met")
    expected_zh = "用时（如 6天）或「按时完成」" if deadline else "数值（如 100%、735人次）"
    expected_en = "a duration with its unit, or on time" if deadline else "a number (e.g. 100%, 735人次)"
    try:
        parsed = parse_target(printed)
    except TargetError:
        parsed = None
    if parsed is None or parsed.kind == "qualitative":
        raise _error(
            "JX-E603",
            f"实际完成值「{printed}」与指标目标值「{target.text}」类型不符，应为{expected_zh}",
            f"the actual '{printed}' does not match the kind of the target '{target.text}': "
            f"expected {expected_en}",
            name,
            field,
        )
    if (
        parsed.kind == "range"
        or (parsed.kind == "numeric" and parsed.op != "=")
        or (parsed.kind == "deadline" and parsed.month is not None)
    ):
        raise _error(
            "JX-E604",
            f"实际完成值「{printed}」应为一个确定的{expected_zh}，不应是区间、比较式或期限",
            f"the actual '{printed}' should be one definite value ({expected_en}), not a range, "
            "a comparison or a deadline",
            name,
            field,
        )
    assert parsed.value is not None
    value = parsed.value
    unit, value = canonical_unit(parsed.unit, value, rules)
    target_unit, _ = canonical_unit(target.unit, Decimal(0), rules)
    if target.period and parsed.period and parsed.period != target.period:
        raise _error(
            "JX-E605",
            f"实际完成值「{printed}」按「每{parsed.period}」计，指标目标值「{target.text}」按「每{target.period}」计",
            f"the actual '{printed}' counts per {parsed.period}, the target '{target.text}' per {target.period}",
            name,
            field,
        )
    if _is_zero_target(target):
        target_unit = unit  # 零事故 reported as 0起 or 1次: the count matters, not its word
    if unit != target_unit:
        shown_actual = parsed.unit or "无单位"
        shown_target = target.unit or "无单位"
        raise _error(
            "JX-E605",
            f"实际完成值「{printed}」的单位（{shown_actual}）与指标目标值「{target.text}」的单位（{shown_target}）不一致",
            f"the unit of the actual '{printed}' ({parsed.unit or 'none'}) differs from the unit "
            f"of the target '{target.text}' ({target.unit or 'none'})",
            name,
            field,
        )
    if deadline and unit not in DURATION_UNITS:  # pragma: no cover - the grammar gives duration units
        raise _error(
            "JX-E603",
            f"实际完成值「{printed}」不是用时",
            f"the actual '{printed}' is not a duration",
            name,
            field,
        )
    return Actual(printed, "number", value=value, unit=unit)
