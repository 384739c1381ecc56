"""The target-value grammar: every 指标目标值 parses to one :class:`Target` (DESIGN.md).

=============  =======================================  ==========================================
kind           examples                                 structure
=============  =======================================  ==========================================
numeric        =100%  >=90%  ≥50个  不低于95%  35人        op in = >= > <= <, value, unit
range          90%-95%  5~8个                           low, high, unit
deadline       7天内完成  3个工作日内  当天派单  6月底前     op <=, value + unit, or a month/day
relative       较上年提高5个百分点  同比下降10%  不低于上年     baseline, op, direction, optional size
               ≥上年水平  控制在预算内                    (value + unit: 百分点, % or a unit)
qualitative    提升  显著提升  降低  建立健全  及时         direction up/down/none, not measurable
=============  =======================================  ==========================================

Two numeric shapes carry more than op, value and unit: a frequency (``每日巡查2次``, ``每月1次``,
``2次/月``: a count per ``period``, the action in ``note``) and a zero target (``零事故``: ``=0`` with
what must not happen in ``note``). A word written after a unit stays beside it: ``100%覆盖`` is
100 ``%`` with ``note`` 覆盖, not the unit ``%覆盖``.

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

__all__ = [
    "BASELINES",
    "KINDS",
    "OPERATORS",
    "PERIODS",
    "Target",
    "compose_target",
    "format_target",
    "parse_target",
    "try_parse_target",
]

Kind = Literal["numeric", "range", "deadline", "relative", "qualitative", "invalid"]
KINDS: tuple[str, ...] = ("numeric", "range", "deadline", "relative", "qualitative", "invalid")
# The baselines a relative target is measured from, in their canonical spelling.
BASELINES: tuple[str, ...] = ("上年", "上年实际", "基期", "去年同期", "预算")
# The periods of a frequency target (每日巡查2次: 2 次 per 日).
PERIODS: tuple[str, ...] = ("日", "周", "月", "季度", "半年", "年")
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
    baseline: str | None = None
    period: str | None = None
    note: str | None = None

    @property
    def measurable(self) -> bool:
        """Return True when the value can be compared with an actual value by arithmetic or date.

        A relative target is measurable: its baseline is last year's actual (held by jixiao or
        entered by the unit), so ``较上年提高5个百分点`` is the form the review recommends.
        """
        return self.kind in ("numeric", "range", "deadline", "relative")

    @property
    def reverse(self) -> bool:
        """Return True for 反向 targets (less is better): ``<=``, ``<`` and time limits."""
        return self.op in ("<=", "<")

    def to_dict(self) -> dict[str, Any]:
        """Return the canonical JSON form (DESIGN.md "The canonical JSON")."""
        out: dict[str, Any] = {"text": self.text, "kind": self.kind}
        if self.kind == "numeric":
            out |= {"op": self.op, "value": _dec(self.value), "unit": self.unit}
            if self.period is not None:
                out["period"] = self.period
        elif self.kind == "relative":
            out |= {
                "baseline": self.baseline,
                "op": self.op,
                "direction": self.direction,
                "value": _dec(self.value),
                "unit": self.unit,
            }
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
        if self.note is not None:
            out["note"] = self.note
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
    r"^(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日?(?:前|之前|以前)(?P<rest>.{0,10})$"
)
_YEAR_END = re.compile(r"^(?:年底|年末|年内|本年度内|年度内|当年|年底前)(?:前|之前)?(?P<rest>完成.{0,10}|)$")

# Words of improvement: a target phrased with one asks for more of something (the direction of a
# qualitative target here; the text reader also takes them as the mark of a target, not a name).
IMPROVEMENT_WORDS = ("提升", "提高", "增加", "增长", "加大", "加强", "改善", "增强", "扩大", "上升", "优化")
_UP_WORDS = (*IMPROVEMENT_WORDS, "向好", "加快", "好转", "升高")
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
    for parse in (
        _parse_deadline,
        _parse_relative,
        _parse_frequency,
        _parse_zero,
        _parse_range,
        _parse_numeric,
    ):
        result = parse(printed, s)
        if result is not None:
            return result
    return _parse_qualitative(printed, s)


# 指标性质 as Sichuan and Anhui print it in its own column (form-layouts.md §3).
_NATURES = {"≥": ">=", "≤": "<=", "=": "=", ">": ">", "<": "<", ">=": ">=", "<=": "<="}


def compose_target(nature: str | None, value: str | None, unit: str | None) -> str:
    """Return the 指标目标值 of a form that splits it into 指标性质 | 指标值 | 度量单位.

    ``("≥", "95", "%")`` → ``>=95%``; ``("定性", "有效提升", None)`` → ``有效提升``. A nature that is
    neither a comparator nor 定性 raises :class:`TargetError` rather than being dropped.
    """
    nature = strip_spaces(fold(nature or ""))
    value = strip_spaces(value or "")
    unit = strip_spaces(unit or "")
    if nature in ("", "定性", "定量"):
        return value + (unit if nature != "定性" and unit and not value.endswith(unit) else "")
    op = _NATURES.get(nature)
    if op is None:
        raise TargetError(
            nature, "指标性质应为 ≥ ≤ = > < 或 定性", "the nature should be ≥ ≤ = > < or 定性", code="JX-E213"
        )
    if unit and value.endswith(unit):
        unit = ""
    return f"{op}{value}{unit}"


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
    unit, period, note = _split_unit(unit)
    return Target(
        text=printed,
        kind="numeric",
        op=op or "=",
        value=_number(match["num"], printed),
        unit=unit,
        period=period,
        note=note,
    )


# --- relative targets: a baseline, a direction, an optional size -----------------------------

# Spellings of a baseline → canonical (BASELINES); longest first so that 上年同期 wins over 上年.
_BASELINE_WORDS: dict[str, str] = {
    "上一年度实际": "上年实际",
    "上年度实际": "上年实际",
    "上年实际": "上年实际",
    "去年实际": "上年实际",
    "上年同期": "去年同期",
    "去年同期": "去年同期",
    "上一年度": "上年",
    "上一年": "上年",
    "上年度": "上年",
    "上年": "上年",
    "去年": "上年",
    "基准期": "基期",
    "基准年": "基期",
    "基期": "基期",
    "年度预算": "预算",
    "预算": "预算",
}
_BASE = "(?P<base>" + "|".join(sorted(_BASELINE_WORDS, key=len, reverse=True)) + ")"
_BASE_TAIL = "(?:实际水平|同期水平|平均水平|水平|数|值|标准|金额|范围)?"
_UP_VERBS = "提高|提升|增长|增加|上升|增幅"
_DOWN_VERBS = "下降|降低|减少|缩减|压缩|缩短|减幅|降幅"
_SIZE = rf"(?:(?:达到|达|了)?(?P<size>{_NUMBER})(?P<unit>个百分点|百分点|%|[^\d<>=~\-]{{1,4}}?)?)?(?:以上|及以上)?"
# 有所提升 / 进一步降低 after a baseline: a direction against a known value (op > or <).
# 大幅, 显著, 明显 stay qualitative: they claim a size without giving one.
_ADVERB = "(?:有所|进一步|稳步|持续|逐步)?"
_CHANGE = re.compile(
    rf"^(?:较|比|相比|相较|相较于|对比|与)?{_BASE}{_BASE_TAIL}(?:相比|而言)?,?"
    rf"{_ADVERB}(?P<verb>{_UP_VERBS}|{_DOWN_VERBS}){_SIZE}$"
)
_YEAR_ON_YEAR = re.compile(rf"^同比{_ADVERB}(?P<verb>{_UP_VERBS}|{_DOWN_VERBS}){_SIZE}$")
_AS_BASELINE = re.compile(rf"^{_BASE}{_BASE_TAIL}$")
_LEVEL = (
    re.compile(rf"^(?:与|和|同)?{_BASE}{_BASE_TAIL}持平$"),
    re.compile(rf"^(?:持平于|保持){_BASE}{_BASE_TAIL}$"),
)
_WITHIN_BUDGET = re.compile(
    r"^(?:控制在|不超出|不超过|不超)?(?:年度)?预算(?:数|金额)?(?:范围)?(?:内|以内|之内)$|^不超(?:出)?预算$"
)


def _relative(printed: str, base: str, op: str, size: str | None = None, unit: str | None = None) -> Target:
    direction: Literal["up", "down", "none"] = (
        "up" if op in (">=", ">") else "down" if op in ("<=", "<") else "none"
    )
    if unit in ("个百分点", "百分点"):
        unit = "百分点"
    return Target(
        text=printed,
        kind="relative",
        baseline=_BASELINE_WORDS[base],
        op=op,
        direction=direction,
        value=None if size is None else _number(size, printed),
        unit=(unit or None) if size is not None else None,
    )


def _parse_relative(printed: str, s: str) -> Target | None:
    """较上年提高5个百分点, 同比下降10%, 不低于上年, ≥上年水平, 与上年持平, 控制在预算内."""
    if _WITHIN_BUDGET.match(s):
        return _relative(printed, "预算", "<=")
    for level in _LEVEL:
        if match := level.match(s):
            return _relative(printed, match["base"], "=")
    match = _CHANGE.match(s)
    base = match["base"] if match else "去年同期"
    if match is None:
        match = _YEAR_ON_YEAR.match(s)
    if match is not None:
        up = re.fullmatch(_UP_VERBS, match["verb"]) is not None
        sized = match["size"] is not None
        change = (">=" if sized else ">") if up else ("<=" if sized else "<")
        return _relative(printed, base, change, match["size"], match["unit"])
    op, rest = _split_operator(s)
    if op is not None and (base_match := _AS_BASELINE.match(rest)):
        return _relative(printed, base_match["base"], op)
    return None


# --- frequency and zero targets (numeric with a period or a note) ---------------------------

_PERIOD_WORDS = {
    "日": "日",
    "天": "日",
    "周": "周",
    "星期": "周",
    "月": "月",
    "季度": "季度",
    "季": "季度",
    "半年": "半年",
    "年": "年",
}
_FREQUENCY = re.compile(
    rf"^每(?P<period>半年|季度|星期|日|天|周|月|季|年)度?(?P<pre>[^\d<>=]{{0,10}}?)(?P<op>>=|<=|>|<|=)?"
    rf"(?P<num>{_NUMBER})(?P<unit>[^\d\s<>=~\-]{{0,4}}?)(?P<suffix>及以上|以上)?$"
)
_PER_PERIOD = re.compile(r"^(?P<unit>[^/]*)/(?P<period>半年|季度|星期|日|天|周|月|季|年)$")
_ZERO = re.compile(r"^(?:实现|确保|保持|做到|力争)?零(?P<what>[\u4e00-\u9fff]{1,12})$")
_NONE_OF = re.compile(
    r"^(?:无|杜绝|未发生|不发生)(?P<what>[\u4e00-\u9fff]{0,8}(?:事故|事件|投诉|差错|案件|伤亡|违纪|违规))(?:发生)?$"
)
# 零星, 零售, 零件 …: words that start with 零 without meaning zero.
_NOT_ZERO = ("星", "售", "件", "钱", "散", "部件", "碎", "工", "食", "距离")
# Words written after a unit that say what the number measures (100%覆盖): kept as a note.
_UNIT_NOTES = ("全覆盖", "覆盖", "完成", "达标", "到位", "合格", "办结", "落实")


def _parse_frequency(printed: str, s: str) -> Target | None:
    """每日巡查2次, 每月1次, 每季度至少开展1次: a count per period."""
    match = _FREQUENCY.match(s)
    if not match:
        return None
    pre, op = match["pre"], match["op"]
    if op is None:
        # 每月不少于2次 or 每季度至少开展1次: the operator word stands before or after the action.
        for word, word_op in _OP_WORDS:
            if pre.endswith(word) or pre.startswith(word):
                pre, op = pre.replace(word, "", 1), word_op
                break
    if match["suffix"]:
        if op is not None:
            raise TargetError(printed, "运算符重复", "the operator is repeated", code="JX-E207")
        op = ">="
    return Target(
        text=printed,
        kind="numeric",
        op=op or "=",
        value=_number(match["num"], printed),
        unit=match["unit"] or None,
        period=_PERIOD_WORDS[match["period"]],
        note=pre or None,
    )


def _parse_zero(printed: str, s: str) -> Target | None:
    """零事故, 零投诉, 无安全事故: nothing may happen (``=0``; scored by §5.3 等于 0)."""
    match = _ZERO.match(s) or _NONE_OF.match(s)
    if not match or match["what"].startswith(_NOT_ZERO):
        return None
    return Target(text=printed, kind="numeric", op="=", value=Decimal(0), note=match["what"])


def _split_unit(unit: str | None) -> tuple[str | None, str | None, str | None]:
    """Return (unit, period, note) of a unit as written: %覆盖 → (%, None, 覆盖); 次/月 → (次, 月, None)."""
    if not unit:
        return None, None, None
    if match := _PER_PERIOD.match(unit):
        return match["unit"] or None, _PERIOD_WORDS[match["period"]], None
    if unit[0] in "%‰" and len(unit) > 1:
        return unit[0], None, unit[1:]
    for word in _UNIT_NOTES:
        if unit.endswith(word):
            return unit[: -len(word)] or None, None, word
    return unit, None, None


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
    note = target.note or ""
    if target.kind == "numeric":
        if target.period is not None:
            op = "" if target.op == "=" else target.op
            return f"每{target.period}{note}{op}{target.value}{unit}"
        if target.note and target.op == "=" and target.value == 0 and target.unit is None:
            return f"零{note}"
        return f"{target.op}{target.value}{unit}{note}"
    if target.kind == "relative":
        return _format_relative(target)
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


def _format_relative(target: Target) -> str:
    base = target.baseline or "上年"
    if target.value is not None:
        unit = "个百分点" if target.unit == "百分点" else target.unit or ""
        verb = "提高" if target.op in (">=", ">") else "下降"
        return f"较{base}{verb}{target.value}{unit}"
    spelled = {">=": "不低于{}", "<=": "不高于{}", ">": "较{}提高", "<": "较{}下降", "=": "与{}持平"}
    return spelled[target.op or "="].format(base)
