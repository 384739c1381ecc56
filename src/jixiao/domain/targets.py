"""The target-value grammar: every 指标目标值 parses to one :class:`Target` (DESIGN.md).

=============  =======================================  ==========================================
kind           examples                                 structure
=============  =======================================  ==========================================
numeric        =100%  >=90%  ≥50个  不低于95%  35人        op in = >= > <= <, value, unit
range          90%-95%  5~8个                           low, high, unit
deadline       7天内完成  3个工作日内  当天派单  6月底前     op <=, value + unit, or a month/day
qualitative    提升  显著提升  降低  建立健全  及时         direction up/down/none, not measurable
=============  =======================================  ==========================================

Reverse indicators (``<=``, ``<``: cost, time, complaint rate) are scored the other way
(domain-rules.md §2 "正向/反向", §5.3). ``format(parse(s))`` is stable: formatting a parsed value and
parsing it again gives the same Target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Literal

from jixiao.domain.errors import TargetError
from jixiao.domain.text import fold, strip_spaces

__all__ = ["KINDS", "OPERATORS", "Target", "format_target", "parse_target", "try_parse_target"]

Kind = Literal["numeric", "range", "deadline", "qualitative", "invalid"]
KINDS: tuple[str, ...] = ("numeric", "range", "deadline", "qualitative", "invalid")
OPERATORS: tuple[str, ...] = ("=", ">=", ">", "<=", "<")
MAX_TARGET_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Target:
    """One parsed 指标目标值. ``text`` is the value as printed, whitespace removed.

    ``kind == "invalid"`` keeps a value the grammar rejected (with ``error``) so that a reader never
    loses what the form said; the review engine reports it.
    """

    text: str
    kind: Kind
    op: str | None = None
    value: Decimal | None = None
    unit: str | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    direction: Literal["up", "down", "none"] | None = None
    error: str | None = None

    @property
    def measurable(self) -> bool:
        """Return True when the value can be compared with an actual value by arithmetic or date."""
        return self.kind in ("numeric", "range", "deadline")

    @property
    def reverse(self) -> bool:
        """Return True for 反向 targets (less is better): ``<=``, ``<`` and time limits."""
        return self.op in ("<=", "<")

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical JSON form (DESIGN.md "The canonical JSON")."""
        out: dict[str, Any] = {"text": self.text, "kind": self.kind}
        if self.kind == "numeric":
            out |= {"op": self.op, "value": _dec(self.value), "unit": self.unit}
        elif self.kind == "range":
            out |= {"low": _dec(self.low), "high": _dec(self.high), "unit": self.unit}
        elif self.kind == "deadline":
            out["op"] = self.op
            if self.month is not None:
                out |= {"year": self.year, "month": self.month, "day": self.day}
            else:
                out |= {"value": _dec(self.value), "unit": self.unit}
        elif self.kind == "qualitative":
            out |= {"direction": self.direction, "measurable": False}
        else:
            out["error"] = self.error
        return out

    @classmethod
    def invalid(cls, text: str, error: str) -> Target:
        """Return a Target that keeps an unreadable value and the reason it was rejected."""
        return cls(text=strip_spaces(text), kind="invalid", error=error)


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# --- normalisation -------------------------------------------------------------------------

# Words that stand for an operator; longest first so that 不低于 wins over 低于.
_OP_WORDS: tuple[tuple[str, str], ...] = (
    ("大于或等于", ">="),
    ("大于等于", ">="),
    ("不低于", ">="),
    ("不少于", ">="),
    ("不小于", ">="),
    ("不得低于", ">="),
    ("不得少于", ">="),
    ("至少", ">="),
    ("达到", ">="),
    ("达", ">="),
    ("小于或等于", "<="),
    ("小于等于", "<="),
    ("不高于", "<="),
    ("不超过", "<="),
    ("不多于", "<="),
    ("不大于", "<="),
    ("不得超过", "<="),
    ("不得高于", "<="),
    ("控制在", "<="),
    ("等于", "="),
    ("大于", ">"),
    ("超过", ">"),
    ("高于", ">"),
    ("多于", ">"),
    ("小于", "<"),
    ("低于", "<"),
    ("少于", "<"),
)
_SYMBOL_OPS = {"≥": ">=", "≤": "<=", "=>": ">=", "=<": "<=", "==": "="}
_SUFFIX_OPS: tuple[tuple[str, str], ...] = (
    ("及以上", ">="),
    ("以上", ">="),
    ("及以下", "<="),
    ("以下", "<="),
)

_NUMBER = r"\d+(?:\.\d+)?|\.\d+"
_UNIT = r"[^\d\s<>=~\-]{0,12}?"
_NUMERIC = re.compile(rf"^(?P<op>>=|<=|=|>|<)?(?P<num>{_NUMBER})(?P<unit>{_UNIT})$")
_RANGE = re.compile(
    rf"^(?P<low>{_NUMBER})(?P<unit1>%|[^\d\s<>=~\-至到]{{0,6}}?)(?:-|~|至|到)(?P<high>{_NUMBER})(?P<unit2>{_UNIT})$"
)
_DURATION_UNITS = {
    "天": "天",
    "日": "天",
    "个工作日": "工作日",
    "工作日": "工作日",
    "小时": "小时",
    "个小时": "小时",
    "分钟": "分钟",
    "周": "周",
    "个月": "月",
    "月": "月",
    "年": "年",
}
_DURATION = re.compile(
    r"^(?:在|于)?(?P<num>\d+(?:\.\d+)?)(?P<unit>个工作日|工作日|个小时|小时|分钟|天|日|周|个月|年)"
    r"(?:以内|之内|内)(?P<rest>.{0,20})$"
)
_SAME_DAY = re.compile(r"^(?:当天|当日|即时)(?P<rest>.{0,20})$")
_MONTH_END = re.compile(r"^(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?:底|末)(?:前|之前|以前)?(?P<rest>.{0,10})$")
_FULL_DATE = re.compile(
    r"^(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:前|之前|以前)(?P<rest>.{0,10})$"
)
_YEAR_END = re.compile(r"^(?:年底|年末|年内|本年度内|年度内|当年|年底前)(?:前|之前)?(?P<rest>完成.{0,10}|)$")

_UP_WORDS = (
    "提升",
    "提高",
    "增加",
    "增长",
    "加大",
    "加强",
    "改善",
    "增强",
    "扩大",
    "上升",
    "优化",
    "向好",
    "加快",
    "好转",
    "升高",
)
_DOWN_WORDS = ("降低", "减少", "下降", "减轻", "压缩", "缩短", "减小", "控制")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _normalise(text: str) -> str:
    """Fold widths and look-alikes, drop whitespace, spell every operator the ASCII way."""
    s = strip_spaces(fold(text))
    for symbol, op in _SYMBOL_OPS.items():
        s = s.replace(symbol, op)
    return s


def parse_target(text: str) -> Target:
    """Return the :class:`Target` written in ``text``, or raise :class:`TargetError`.

    >>> parse_target("≥50个").to_dict()["op"]
    '>='
    """
    if not isinstance(text, str):
        raise TargetError(repr(text), "不是文本", "not text", code="JX-E201")
    return _parse_cached(text)


@lru_cache(maxsize=8192)
def _parse_cached(text: str) -> Target:
    # Targets repeat across forms (=100%, 提升, 建立健全) and Target is immutable, so caching is safe.
    printed = strip_spaces(text)
    if not printed:
        raise TargetError(text, "指标目标值为空", "the target value is empty", code="JX-E202")
    if len(printed) > MAX_TARGET_LENGTH:
        raise TargetError(
            printed[:20] + "…",
            f"超过 {MAX_TARGET_LENGTH} 个字符",
            f"longer than {MAX_TARGET_LENGTH} characters",
            code="JX-E203",
        )
    s = _normalise(printed)
    for parse in (_parse_deadline, _parse_range, _parse_numeric):
        result = parse(printed, s)
        if result is not None:
            return result
    return _parse_qualitative(printed, s)


def try_parse_target(text: str) -> Target:
    """Return ``parse_target(text)``, or an ``invalid`` Target carrying the reason."""
    try:
        return parse_target(text)
    except TargetError as exc:
        return Target.invalid(text, exc.reason_zh)


def _number(raw: str, printed: str) -> Decimal:
    try:
        return Decimal(raw)
    except InvalidOperation as exc:  # pragma: no cover - regexes admit only valid numbers
        raise TargetError(printed, "数字无法识别", "the number is unreadable", code="JX-E204") from exc


def _split_operator(s: str) -> tuple[str | None, str]:
    """Return (op, rest) for a leading symbol or word operator, or a trailing 以上/以下."""
    for symbol in (">=", "<=", "=", ">", "<"):
        if s.startswith(symbol):
            return symbol, s[len(symbol) :]
    for word, op in _OP_WORDS:
        if s.startswith(word):
            return op, s[len(word) :]
    for word, op in _SUFFIX_OPS:
        if s.endswith(word) and re.search(r"\d", s):
            return op, s[: -len(word)]
    return None, s


def _parse_numeric(printed: str, s: str) -> Target | None:
    op, rest = _split_operator(s)
    match = _NUMERIC.match(rest)
    if not match:
        if op is not None and not re.search(r"\d", rest):
            if rest and _CJK.search(rest) and op in (">=", ">") and s[:1] not in "<>=":
                return None  # "达到预期效果": a word operator before a qualitative phrase
            raise TargetError(
                printed, "运算符后缺少数值", "an operator with no number after it", code="JX-E205"
            )
        if op is not None and s[:1] in "<>=":
            raise TargetError(
                printed,
                "运算符后不是「数值+单位」",
                "the operator is not followed by a number and a unit",
                code="JX-E206",
            )
        return None
    if match["op"]:
        if op is not None:
            raise TargetError(printed, "运算符重复", "the operator is repeated", code="JX-E207")
        op = match["op"]
    unit = match["unit"] or None
    if unit and re.search(r"[<>=]", unit):
        raise TargetError(printed, "单位中含有运算符", "the unit contains an operator", code="JX-E208")
    return Target(text=printed, kind="numeric", op=op or "=", value=_number(match["num"], printed), unit=unit)


def _parse_range(printed: str, s: str) -> Target | None:
    match = _RANGE.match(s)
    if not match:
        return None
    unit1, unit2 = match["unit1"] or "", match["unit2"] or ""
    if unit1 and unit2 and unit1 != unit2:
        raise TargetError(
            printed,
            f"区间两端单位不一致（{unit1} 与 {unit2}）",
            f"the two ends have different units ({unit1} and {unit2})",
            code="JX-E209",
        )
    low, high = _number(match["low"], printed), _number(match["high"], printed)
    if low > high:
        raise TargetError(
            printed, "区间下限大于上限", "the lower bound is above the upper bound", code="JX-E210"
        )
    return Target(text=printed, kind="range", low=low, high=high, unit=(unit2 or unit1) or None)


def _parse_deadline(printed: str, s: str) -> Target | None:
    if match := _DURATION.match(s):
        unit = _DURATION_UNITS[match["unit"]]
        return Target(text=printed, kind="deadline", op="<=", value=_number(match["num"], printed), unit=unit)
    if _SAME_DAY.match(s):
        # 当天派单 / 当天回访: within one day (DESIGN.md target grammar).
        return Target(text=printed, kind="deadline", op="<=", value=Decimal(1), unit="天")
    if match := _FULL_DATE.match(s):
        return _dated(printed, match["y"], int(match["m"]), int(match["d"]))
    if match := _MONTH_END.match(s):
        return _dated(printed, match["y"], int(match["m"]), None)
    if _YEAR_END.match(s):
        return Target(text=printed, kind="deadline", op="<=", month=12, day=31)
    return None


def _dated(printed: str, year: str | None, month: int, day: int | None) -> Target:
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        raise TargetError(printed, "日期不存在", "no such date", code="JX-E211")
    return Target(
        text=printed, kind="deadline", op="<=", year=int(year) if year else None, month=month, day=day
    )


def _parse_qualitative(printed: str, s: str) -> Target:
    if not _CJK.search(s):
        raise TargetError(
            printed,
            "既不是数值，也不是定性描述",
            "neither a number nor a qualitative description",
            code="JX-E212",
        )
    direction: Literal["up", "down", "none"] = "none"
    if any(word in s for word in _DOWN_WORDS):
        direction = "down"
    elif any(word in s for word in _UP_WORDS):
        direction = "up"
    return Target(text=printed, kind="qualitative", direction=direction)


def format_target(target: Target) -> str:
    """Return the canonical spelling of ``target``: ASCII operators, no spaces.

    Parsing the result gives back a Target of the same kind, operator, value and unit.
    """
    unit = target.unit or ""
    if target.kind == "numeric":
        return f"{target.op}{target.value}{unit}"
    if target.kind == "range":
        return f"{target.low}{unit}-{target.high}{unit}"
    if target.kind == "deadline":
        if target.month is not None:
            year = f"{target.year}年" if target.year else ""
            if target.day is None:
                return f"{year}{target.month}月底前"
            return f"{year}{target.month}月{target.day}日前"
        if unit == "工作日":
            return f"{target.value}个工作日内"
        if unit == "月":
            return f"{target.value}个月内"
        return f"{target.value}{unit}内"
    return target.text
