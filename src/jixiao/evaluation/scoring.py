"""Self-evaluation scoring (绩效自评): the 财政项目支出绩效自评表 recomputed from its inputs.

Rules (domain-rules.md §5; numbers in :mod:`jixiao.evaluation.config`, never here):

* budget: ``执行率 = 全年执行数 / 全年预算数``, score ``min(执行率, 1) × 10`` (§5.2);
* weights: indicator 分值 total 90 with the budget's 10; by default 产出 50 / 效益 30 / 满意度 10
  split evenly across a 一级's indicators, 满意度's 10 moving to 效益 when there is none (§5.1);
* quantitative targets: the vendor formulas of §5.3 (正向, 等于, 反向), ranges (within = full),
  deadlines (met = full; late = scored like a 反向 indicator on the time used); a 反向 target
  missed is scored by the region's ``reverse_formula`` option (linear by default, or t / a × w);
* relative targets (较上年提高5个百分点, 不低于上年, 控制在预算内): the goal is the baseline moved by
  the size, the baseline being last year's actual of the unit's previous self-evaluation when
  jixiao holds it, else the one the unit entered, else (for 预算) the 全年预算数; the result says
  which (``baseline_source``). A change reported as a change (较上年提高4个百分点) is scored on the
  change: 分值 × 完成值/指标值 = 10 × 4/5 (§5.3 "未完成 → 分值 × 完成值/指标值");
* qualitative targets: the evaluator picks a score inside the grade's band (§5.4);
* a deviation note (偏差原因分析及改进措施) is required when an actual is ≥130 % of its target or
  falls short (§5.3); a 反向 target beaten by 30 % or more needs one too unless the region's
  ``over_achievement_scope`` option limits the note to ≥ targets;
* where the region's ``over_achievement_deduction`` option says so, a far-exceeded target (the
  rows that need an "over" note) loses the option's points, never below 0: the target was set too
  low (10号 "按照偏离度适度调减"; the 2 points of one platform manual, domain-rules.md §10);
* total = budget + indicators, graded 优/良/中/差 (§5.5); where the region's ``execution_cap``
  option says so, the total is held to the cap of the execution rate's band (one platform manual:
  below 80 % at most 89 …, §10). A cap only ever lowers a total.

Errors (all :class:`ScoringError`, located at the field, message naming the indicator):

=========  ==============================================================
JX-E601    实际完成值 missing
JX-E603    actual of the wrong kind for its target (a grade for a number …)
JX-E604    actual is a range, a comparison or a deadline instead of a value
JX-E605    actual and target units differ
JX-E606    the target itself is unreadable
JX-E607    qualitative actual is not one of the grades
JX-E608    qualitative score missing (the evaluator must choose it)
JX-E609    qualitative score outside its grade's band
JX-E610    unknown region rules
JX-E611    unknown qualitative grade in the rules table
JX-E612    indicator weights do not total 90
JX-E613    some indicator weights given, others not
JX-E614    a weight is negative
JX-E615    全年预算数 missing or zero
JX-E616    全年执行数 missing or negative
JX-E617    no indicator to score
JX-E618    dated deadline: the actual is not a date
JX-E619    default weights impossible (a 一级 outside the weight table)
JX-E620    a number too large to round
JX-E624    relative target with no baseline (no previous self-evaluation, none entered)
JX-E622    the baseline is not a number
JX-E623    the baseline's or the change's unit does not fit the target
=========  ==============================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Literal

from jixiao.domain.errors import JixiaoError, Location, ScoringError
from jixiao.domain.framework import canonical_level1
from jixiao.domain.i18n import N_, tr
from jixiao.domain.model import BudgetExecution, EvaluatedIndicator, SelfEvaluation
from jixiao.domain.targets import Target, try_parse_target
from jixiao.domain.text import strip_spaces
from jixiao.domain.vocabulary import DEFAULT_REGION
from jixiao.evaluation.actuals import Actual, canonical_unit, deadline_date, read_actual
from jixiao.evaluation.config import (
    ACHIEVED,
    OVER_ALL_SIGNS,
    REVERSE_RATIO,
    ExecutionCap,
    RegionRules,
    get_rules,
)

__all__ = [
    "Baseline",
    "BudgetScore",
    "CapApplied",
    "Evaluation",
    "IndicatorScore",
    "Method",
    "budget_score",
    "cap_words",
    "deduction_words",
    "default_weights",
    "evaluate",
    "quantize",
    "resolve_baseline",
    "score_indicator",
    "score_self_evaluation",
]

Method = Literal["positive", "equal", "equal-zero", "reverse", "range", "deadline", "relative", "qualitative"]
BaselineSource = Literal["previous", "entered", "budget"]

# Words that say nothing as a deviation note (review-pain-points.md E7: "暂无").
_EMPTY_NOTES = frozenset({"", "无", "暂无", "没有", "/", "-", "—", "－", "无偏差", "不适用", "null"})


def quantize(value: Decimal, places: int) -> Decimal:
    """Return ``value`` rounded half-up to ``places`` decimals (the forms round this way, §5.2).

    Raises JX-E620 for a number too large to round (a typing slip such as a weight of 1e30).
    """
    try:
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ScoringError(
            f"数值 {value:.6g} 过大，无法计分",
            f"the number {value:.6g} is too large to score",
            code="JX-E620",
        ) from None


@dataclass(frozen=True, slots=True)
class BudgetScore:
    """The 年度资金总额 row: ``rate`` is the 执行率 in percent (86.18), ``score`` out of ``weight``."""

    weight: Decimal
    adjusted: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    score: Decimal | None
    error: JixiaoError | None = None


@dataclass(frozen=True, slots=True)
class Baseline:
    """What a relative target is measured from: ``value`` in ``unit`` and where it came from.

    ``source`` is ``previous`` (last year's actual in the unit's previous self-evaluation, held by
    jixiao), ``entered`` (typed by the unit) or ``budget`` (the 全年预算数, for 控制在预算内).
    """

    value: Decimal
    unit: str | None
    source: BaselineSource
    text: str = ""

    def describe(self, lang: str = "zh") -> str:
        """Return a sentence saying which baseline was used."""
        shown = self.text or f"{self.value}{self.unit or ''}"
        where = {
            "previous": N_("本单位上年自评表的实际完成值"),
            "entered": N_("单位填写的基准值"),
            "budget": N_("全年预算数"),
        }[self.source]
        return tr("基准值 {value}（{where}）", lang, value=shown, where=tr(where, lang))


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """One indicator's result.

    ``method`` says which formula applied; ``ratio`` is actual ÷ target for quantitative rows;
    ``band`` is the allowed (low, high) score of a qualitative grade; ``note_required`` is
    ``"over"`` (≥130 % of target) or ``"short"`` (not met) when a deviation note is mandatory,
    and ``note_missing`` says the form gives none. ``error`` is set when the row cannot be scored.
    """

    index: int
    name: str
    level1: str
    weight: Decimal | None
    score: Decimal | None
    method: Method | None = None
    grade: str | None = None
    ratio: Decimal | None = None
    band: tuple[Decimal, Decimal] | None = None
    note_required: Literal["over", "short"] | None = None
    note_missing: bool = False
    error: JixiaoError | None = None
    # relative targets: the baseline used, where it came from, and the goal it gives
    baseline: Baseline | None = None
    goal: Decimal | None = None
    # points taken off a far-exceeded target (over_achievement_deduction): ``score`` is after it
    deduction: Decimal | None = None

    @property
    def before_deduction(self) -> Decimal | None:
        """Return the score the formula gave, before any deviation deduction."""
        if self.score is None:
            return None
        return self.score + (self.deduction or Decimal(0))


@dataclass(frozen=True, slots=True)
class CapApplied:
    """The execution-rate cap a total fell under: ``rate`` (percent) under ``band.below``, the total
    held to ``band.cap``; ``uncapped`` is the sum before it, ``lowered`` whether the cap bit."""

    rate: Decimal
    band: ExecutionCap
    uncapped: Decimal

    @property
    def lowered(self) -> bool:
        """Return True when the cap lowered the total."""
        return self.uncapped > self.band.cap


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A whole self-evaluation recomputed. ``errors`` lists every row that could not be scored;
    ``total`` and ``grade`` are None while any error remains."""

    region: str
    budget: BudgetScore
    indicators: tuple[IndicatorScore, ...]
    total: Decimal | None
    grade: str | None
    errors: tuple[JixiaoError, ...]
    # the execution-rate cap in force, when the region caps and the rate falls in a band
    cap: CapApplied | None = None

    @property
    def ok(self) -> bool:
        """Return True when every part was scored."""
        return not self.errors

    def raise_first(self) -> Evaluation:
        """Return self, or raise the first error (strict scoring: CLI, imports)."""
        if self.errors:
            raise self.errors[0]
        return self


# --- budget ----------------------------------------------------------------------------------


def budget_score(budget: BudgetExecution, rules: RegionRules) -> BudgetScore:
    """Return the execution-rate score of the 年度资金总额 row (domain-rules.md §5.2).

    ``全年预算数`` is the adjusted budget; a form with no adjustment leaves it equal to 年初预算数,
    so a missing 全年预算数 falls back to 年初预算数.
    """
    weight = rules.budget_weight
    adjusted = budget.adjusted if budget.adjusted is not None else budget.initial
    executed = budget.executed

    def unrated(zh: str, en: str, code: str, field: str) -> BudgetScore:
        err = ScoringError(zh, en, code=code, where=Location(field=field))
        return BudgetScore(weight, adjusted, executed, None, None, err)

    if adjusted is None or adjusted <= 0:
        return unrated(
            "全年预算数缺失或不大于零，无法计算预算执行率",
            "the full-year budget is missing or not positive: no execution rate",
            "JX-E615",
            "budget.adjusted",
        )
    if executed is None or executed < 0:
        return unrated(
            "全年执行数缺失或为负数，无法计算预算执行率",
            "the amount executed is missing or negative: no execution rate",
            "JX-E616",
            "budget.executed",
        )
    ratio = executed / adjusted
    try:
        rate = quantize(ratio * 100, rules.rate_places)
    except ScoringError as exc:
        return BudgetScore(weight, adjusted, executed, None, None, exc.located(field="budget.executed"))
    # Score from the unrounded ratio: 215,457.6 / 250,000 = 0.8618304 → 8.62 (§5.7).
    score = quantize(min(ratio, Decimal(1)) * weight, rules.score_places)
    return BudgetScore(weight, adjusted, executed, rate, score)


# --- weights ---------------------------------------------------------------------------------


def _group(level1: str, rules: RegionRules) -> str:
    name = canonical_level1(level1)
    return rules.level1_groups.get(name, name)


def default_weights(indicators: list[EvaluatedIndicator], rules: RegionRules) -> list[Decimal]:
    """Return the default 分值 of each indicator: the 一级 weights split evenly (§5.1).

    Each 一级's points are split into equal parts rounded down to the cent; the remainder goes to
    the last indicator so that the 一级 total is exact. Without a 满意度 indicator its points go to
    ``rules.satisfaction_fallback`` (效益). Raises JX-E619 when an indicator's 一级 has no default.
    """
    groups: dict[str, list[int]] = {}
    for n, ind in enumerate(indicators):
        groups.setdefault(_group(ind.level1, rules), []).append(n)
    level_weights = dict(rules.level1_weights)
    if rules.satisfaction_level1 not in groups and rules.satisfaction_fallback in groups:
        level_weights[rules.satisfaction_fallback] += level_weights.pop(rules.satisfaction_level1, Decimal(0))
    weights = [Decimal(0)] * len(indicators)
    for level, members in groups.items():
        if level not in level_weights:
            name = indicators[members[0]].name
            raise ScoringError(
                f"指标「{name}」的一级指标「{level}」没有默认分值，请逐项填写分值",
                f"indicator '{name}': the level-1 category '{level}' has no default weight; enter weights",
                code="JX-E619",
                where=Location(field=f"indicators[{members[0]}].level1"),
            )
        total = level_weights[level]
        part = (total / len(members)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        for n in members:
            weights[n] = part
        weights[members[-1]] = total - part * (len(members) - 1)
    missing = [lvl for lvl in level_weights if lvl not in groups and level_weights[lvl] > 0]
    if missing:
        # e.g. no 效益 indicator: its points cannot go anywhere by rule (§1.3 expects 产出 and 效益).
        raise ScoringError(
            f"缺少「{'、'.join(missing)}」的指标，无法按默认比例分配分值，请逐项填写分值",
            f"no indicator under {', '.join(missing)}: default weights impossible; enter weights",
            code="JX-E619",
            where=Location(field="indicators"),
        )
    return weights


def _weights(doc: SelfEvaluation, rules: RegionRules, as_printed: bool = False) -> list[Decimal]:
    given = [ind.weight for ind in doc.indicators]
    if all(w is None for w in given):
        return default_weights(doc.indicators, rules)
    missing = [n for n, w in enumerate(given) if w is None]
    if missing:
        n = missing[0]
        raise ScoringError(
            f"指标「{doc.indicators[n].name}」缺少分值（分值要么全部填写，要么全部留空使用默认分配）",
            f"indicator '{doc.indicators[n].name}' has no weight (give every weight, or none for the default split)",
            code="JX-E613",
            where=Location(field=f"indicators[{n}].weight"),
        )
    weights = [w for w in given if w is not None]
    for n, w in enumerate(weights):
        if w < 0:
            raise ScoringError(
                f"指标「{doc.indicators[n].name}」的分值为负数",
                f"indicator '{doc.indicators[n].name}' has a negative weight",
                code="JX-E614",
                where=Location(field=f"indicators[{n}].weight"),
            )
    total = sum(weights, Decimal(0))
    if total != rules.indicator_total and not as_printed:
        raise ScoringError(
            f"绩效指标分值合计为 {total}，应为 {rules.indicator_total}（预算执行率另占 {rules.budget_weight} 分）",
            f"indicator weights total {total}, they must total {rules.indicator_total} "
            f"(the budget execution rate has the other {rules.budget_weight})",
            code="JX-E612",
            where=Location(field="indicators.weight"),
        )
    return weights


# --- one indicator ---------------------------------------------------------------------------


def _positive(weight: Decimal, actual: Decimal, target: Decimal) -> Decimal:
    # 正向 (≥, >): met → full, else proportional (§5.3; 10号 Art. 16 "分值 × 完成值/指标值").
    if actual >= target:
        return weight
    if target <= 0:  # pragma: no cover - actual < target ≤ 0 is impossible once actual ≥ 0
        return Decimal(0)
    return weight * actual / target


def _reverse(
    weight: Decimal, actual: Decimal, target: Decimal, multiple: Decimal, ratio_formula: bool = False
) -> Decimal:
    # 反向 (≤, <): met → full; up to `multiple` × target lose in proportion; beyond, 0 (§5.3):
    # target ≤100, actual 120, w 10 → 10 × (1 − 20/100) = 8.00.
    if actual <= target:
        return weight
    if ratio_formula:
        # The ratio seen on a local form (domain-rules.md §10): 100 / 120 × 10 = 8.33; actual > target ≥ 0.
        return weight * target / actual
    if target > 0 and actual < multiple * target:
        return weight * (1 - (actual - target) / target)
    return Decimal(0)


def _needs_note(
    method: Method, actual: Decimal, target: Decimal, full: bool, rules: RegionRules
) -> Literal["over", "short"] | None:
    if not full and rules.note_when_short:
        return "short"
    ratio = rules.over_achievement_ratio
    every_sign = rules.option("over_achievement_scope").key == OVER_ALL_SIGNS
    # The Guangxi rule (S12) applies to every quantitative sign; the narrower choice to ≥ and > only.
    if (
        (method == "positive" or (method == "equal" and every_sign))
        and target > 0
        and actual >= ratio * target
    ):
        return "over"
    # A reverse target beaten by 30 % or more is the same over-achievement seen the other way
    # (actual ≤ 70 % of the limit; jixiao's reading of the Guangxi rule, domain-rules.md §5.3).
    if method == "reverse" and every_sign and target > 0 and actual <= (2 - ratio) * target:
        return "over"
    return None


def _note_missing(note: str | None) -> bool:
    return note is None or strip_spaces(note).strip("。.") in _EMPTY_NOTES


def _quantitative(
    actual: Actual, target: Target, weight: Decimal, rules: RegionRules, year: int
) -> tuple[Method, Decimal, Decimal | None, Literal["over", "short"] | None]:
    """Return (method, raw score, ratio, note flag) for a measurable target."""
    if actual.kind == "met":
        return "deadline", weight, None, None
    if target.kind == "deadline" and target.month is not None:
        assert actual.when is not None
        # Late completion of a dated deadline: time used counted in days from 1 January of the
        # budget year, then scored like a reverse indicator (inferred from §5.3 "反向").
        limit = deadline_date(target, year)
        start = date(limit.year, 1, 1)
        used = Decimal((actual.when - start).days + 1)
        allowed = Decimal((limit - start).days + 1)
        raw = _reverse(weight, used, allowed, rules.reverse_zero_multiple)
        return "deadline", raw, used / allowed, None if raw == weight else "short"
    assert actual.value is not None
    value = max(actual.value, Decimal(0))  # a negative actual counts as 0 (vendor, §5.3)
    if target.kind == "range":
        assert target.low is not None and target.high is not None
        _, low = canonical_unit(target.unit, target.low, rules)
        _, high = canonical_unit(target.unit, target.high, rules)
        if low <= value <= high:
            return "range", weight, None, None
        # Below the range: short like a 正向 target; above it: too much like a 反向 one (inferred).
        raw = (
            _positive(weight, value, low)
            if value < low
            else _reverse(weight, value, high, rules.reverse_zero_multiple)
        )
        return "range", raw, None, "short"
    assert target.value is not None
    _, goal = canonical_unit(target.unit, target.value, rules)
    ratio = value / goal if goal > 0 else None
    if target.kind == "deadline":  # a time limit: 7天内完成, 当天
        raw = _reverse(weight, value, goal, rules.reverse_zero_multiple)
        return "deadline", raw, ratio, None if raw == weight else "short"
    if target.reverse:
        method: Method = "reverse"
        ratio_formula = rules.option("reverse_formula").key == REVERSE_RATIO
        raw = _reverse(weight, value, goal, rules.reverse_zero_multiple, ratio_formula)
    elif target.op == "=" and goal == 0:
        # 等于 0 (e.g. 安全事故 =0): met only at 0 (§5.3).
        method = "equal-zero"
        raw = weight if value <= 0 else Decimal(0)
    else:
        method = "equal" if target.op == "=" else "positive"
        raw = _positive(weight, value, goal)
    return method, raw, ratio, _needs_note(method, value, goal, raw >= weight, rules)


def _relative_error(code: str, zh: str, en: str, ind: EvaluatedIndicator, field: str) -> ScoringError:
    return ScoringError(
        f"指标「{ind.name}」：{zh}", f"indicator '{ind.name}': {en}", code=code, where=Location(field=field)
    )


def _relative_goal(target: Target, base: Baseline, ind: EvaluatedIndicator, field: str) -> Decimal:
    """Return the level a relative target asks for: the baseline moved by the size in its direction."""
    sign = Decimal(1) if target.op in (">=", ">") else Decimal(-1)
    if target.value is None:
        return base.value
    if target.unit == "百分点":
        if base.unit != "%":
            raise _relative_error(
                "JX-E623",
                f"目标按百分点计（{target.text}），基准值「{base.text or base.value}」应为百分比",
                f"the target counts percentage points ({target.text}); the baseline should be a percentage",
                ind,
                field,
            )
        return base.value + sign * target.value
    if target.unit == "%":
        return base.value * (1 + sign * target.value / 100)
    return base.value + sign * target.value


def _score_relative(
    actual: Actual,
    ind: EvaluatedIndicator,
    weight: Decimal,
    rules: RegionRules,
    base: Baseline | None,
    field: str,
) -> tuple[Decimal, Decimal | None, Literal["over", "short"] | None, Decimal | None]:
    """Return (raw score, ratio, note flag, goal) of a relative target (domain-rules.md §5.3)."""
    target = ind.target
    if actual.kind == "met":
        return weight, None, None, None
    assert actual.value is not None
    up = target.op in (">=", ">")
    if actual.kind == "change" and target.value is not None and base is None:
        # Change against change: the form prints both as changes, so 完成值/指标值 is 4/5.
        if actual.unit != target.unit:
            raise _relative_error(
                "JX-E623",
                f"实际完成值「{actual.text}」的单位与指标目标值「{target.text}」不一致（百分点、% 与数量不能互换）",
                f"the change '{actual.text}' and the target '{target.text}' use different units",
                ind,
                f"{field}.actual",
            )
        gained = actual.value if up else -actual.value
        size = target.value
        raw = (
            weight
            if gained >= size
            else (weight * max(gained, Decimal(0)) / size if size > 0 else Decimal(0))
        )
        ratio = gained / size if size > 0 else None
        return raw, ratio, _needs_note("positive", gained, size, raw >= weight, rules), None
    if base is None:
        raise _relative_error(
            "JX-E624",
            f"相对指标「{target.text}」需要基准值：jixiao 没有本单位上年的自评表，请填写上年实际值",
            f"the relative target '{target.text}' needs a baseline: jixiao holds no previous "
            "self-evaluation of the unit; enter last year's actual",
            ind,
            f"{field}.baseline",
        )
    goal = _relative_goal(target, base, ind, f"{field}.baseline")
    if actual.kind == "change":
        # A change with a known baseline: the level reached (百分点 add, % scale, units add).
        if actual.unit == "百分点":
            value = base.value + actual.value
        elif actual.unit == "%" and target.unit != "百分点":
            value = base.value * (1 + actual.value / 100)
        else:
            value = base.value + actual.value
    else:
        value = actual.value
        if actual.unit != base.unit:
            raise _relative_error(
                "JX-E623",
                f"实际完成值「{actual.text}」的单位（{actual.unit or '无单位'}）与基准值（{base.unit or '无单位'}）不一致",
                f"the unit of the actual '{actual.text}' ({actual.unit or 'none'}) differs from the "
                f"baseline's ({base.unit or 'none'})",
                ind,
                f"{field}.actual",
            )
    value = max(value, Decimal(0))
    ratio = value / goal if goal > 0 else None
    if target.op in ("<=", "<"):
        met = value <= goal if target.op == "<=" else value < goal
        raw = weight if met else _reverse(weight, value, goal, rules.reverse_zero_multiple)
        return raw, ratio, _needs_note("reverse", value, goal, met, rules), goal
    met = value >= goal if target.op in (">=", "=") else value > goal
    # 较上年提高 (op >) reached exactly last year's level: not met, so a note is due, but
    # 分值 × 完成值/指标值 gives the full 分值 (§5.3 has no rule for strict improvement).
    raw = weight if met else _positive(weight, value, goal)
    return raw, ratio, _needs_note("positive", value, goal, met, rules), goal


def score_indicator(
    ind: EvaluatedIndicator,
    weight: Decimal,
    rules: RegionRules,
    *,
    index: int = 0,
    year: int | None = None,
    baseline: Baseline | None = None,
) -> IndicatorScore:
    """Return the score of one indicator under ``weight``, or raise :class:`ScoringError`.

    For a qualitative target the score is the evaluator's (``ind.score``), checked against the band of
    the grade the actual names (§5.4); for the others it is computed and ``ind.score`` is ignored.
    """
    field = f"indicators[{index}]"
    actual = read_actual(ind.actual, ind.target, rules, name=ind.name, year=year, field=f"{field}.actual")
    places = rules.score_places

    def scored(
        score: Decimal, method: Method, flag: Literal["over", "short"] | None, **more: Any
    ) -> IndicatorScore:
        # The row's identity and its note are the same whichever formula scored it.
        return IndicatorScore(
            index,
            ind.name,
            ind.level1,
            weight,
            score,
            method,
            note_required=flag,
            note_missing=flag is not None and _note_missing(ind.deviation_note),
            **more,
        )

    if actual.kind == "grade":
        assert actual.grade is not None
        band = rules.band(actual.grade)
        low, high = quantize(band.low * weight, places), quantize(band.high * weight, places)
        # The band in words, not interval notation: a filler reads "9.00 至 12.00 分（不含 12.00）".
        shown_zh = f"{low} 至 {high} 分" + ("" if band.high_inclusive else f"（不含 {high}）")
        shown_en = f"{low} to {high}" + ("" if band.high_inclusive else f" (below {high})")
        if ind.score is None:
            raise ScoringError(
                f"指标「{ind.name}」为定性指标（{actual.grade}），请给出 {shown_zh}之间的得分",
                f"indicator '{ind.name}' is qualitative ({actual.grade}): choose a score from {shown_en}",
                code="JX-E608",
                where=Location(field=f"{field}.score"),
            )
        inside = low <= ind.score and (ind.score <= high if band.high_inclusive else ind.score < high)
        if not inside:
            raise ScoringError(
                f"指标「{ind.name}」评为「{actual.grade}」，得分 {ind.score} 超出该等级的分档（{shown_zh}）",
                f"indicator '{ind.name}' is graded '{actual.grade}': the score {ind.score} is outside "
                f"its band ({shown_en})",
                code="JX-E609",
                where=Location(field=f"{field}.score"),
            )
        short = actual.grade != ACHIEVED
        flag: Literal["over", "short"] | None = "short" if short and rules.note_when_short else None
        return scored(quantize(ind.score, places), "qualitative", flag, grade=actual.grade, band=(low, high))
    if ind.target.kind == "relative":
        raw, ratio, flag, goal = _score_relative(actual, ind, weight, rules, baseline, field)
        deduction = _deduction(raw, flag, rules)
        return scored(
            _after(raw, deduction, places),
            "relative",
            flag,
            ratio=ratio,
            baseline=baseline,
            goal=None if goal is None else quantize(goal, 4).normalize(),
            deduction=deduction,
        )
    method, raw, ratio, flag = _quantitative(actual, ind.target, weight, rules, year or date.today().year)
    deduction = _deduction(raw, flag, rules)
    return scored(_after(raw, deduction, places), method, flag, ratio=ratio, deduction=deduction)


def _deduction(raw: Decimal, flag: str | None, rules: RegionRules) -> Decimal | None:
    """Return the points a far-exceeded row loses (never more than it scored), or None."""
    amount = rules.over_achievement_deduction
    if flag != "over" or amount is None:
        return None
    return quantize(min(amount, max(quantize(raw, rules.score_places), Decimal(0))), rules.score_places)


def _after(raw: Decimal, deduction: Decimal | None, places: int) -> Decimal:
    """Return the row's score: the formula's, rounded, less the deduction (never below 0)."""
    return max(quantize(raw, places) - (deduction or Decimal(0)), Decimal(0))


def _rate_words(rate: Decimal) -> str:
    """65.00 → 65.0, 59.99 → 59.99: the rate as short as it can be said without losing a digit."""
    text = format(rate.normalize(), "f")
    return text if "." in text else text + ".0"


def deduction_words(row: IndicatorScore, rules: RegionRules, lang: str = "zh") -> str | None:
    """Return the reason beside a deducted score, or None when nothing was deducted.

    「偏离扣 2.00 分：实际完成值超过目标值 30% 及以上，目标设定偏低」 (for a ≤ target: below the limit).
    """
    if not row.deduction:
        return None
    limit = format(((rules.over_achievement_ratio - 1) * 100).normalize(), "f")
    basis = rules.option("over_achievement_deduction").provenance
    below = row.method == "reverse" or (row.method == "relative" and row.ratio is not None and row.ratio < 1)
    how = (
        tr("实际完成值低于目标上限 {limit}% 及以上", lang, limit=limit)
        if below
        else tr("实际完成值超过目标值 {limit}% 及以上", lang, limit=limit)
    )
    return tr(
        "偏离扣 {points} 分：{how}，目标设定偏低【{basis}】",
        lang,
        points=row.deduction,
        how=how,
        basis=basis.label(lang),
    )


def cap_words(ev: Evaluation, lang: str = "zh") -> str | None:
    """Return the score table's cap line, or None when no cap applies.

    「预算执行率 65.0%，总分封顶 79 分（计算总分 85.20，按 79.00 计）」.
    """
    cap = ev.cap
    if cap is None:
        return None
    rate, most = _rate_words(cap.rate), format(cap.band.cap.normalize(), "f")
    tail = (
        tr("（计算总分 {computed}，按 {total} 计）", lang, computed=cap.uncapped, total=ev.total)
        if cap.lowered
        else tr("（计算总分 {computed}，未超过封顶）", lang, computed=cap.uncapped)
    )
    return tr("预算执行率 {rate}%，总分封顶 {most} 分", lang, rate=rate, most=most) + tail


# --- the whole form --------------------------------------------------------------------------


def resolve_baseline(
    ind: EvaluatedIndicator,
    doc: SelfEvaluation,
    rules: RegionRules,
    previous: Mapping[str, str] | None = None,
    *,
    field: str = "indicators",
) -> Baseline | None:
    """Return the baseline of a relative target, or None when there is none to use.

    Last year's actual held by jixiao (``previous``: 三级指标 name → 实际完成值 of the unit's previous
    self-evaluation) comes first, then the value the unit entered, then for 预算 the 全年预算数.
    Raises JX-E622 for an entered baseline that is not a number.
    """
    target = ind.target
    if target.kind != "relative":
        return None
    if target.baseline == "预算":
        adjusted = doc.budget.adjusted if doc.budget.adjusted is not None else doc.budget.initial
        if ind.baseline is None and adjusted is not None:
            return Baseline(adjusted, "元", "budget", f"{adjusted}元")
    candidates: list[tuple[str | None, BaselineSource]] = []
    if target.baseline in ("上年", "上年实际", "去年同期") and previous:
        candidates.append((previous.get(ind.name), "previous"))
    candidates.append((ind.baseline, "entered"))
    for text, source in candidates:
        if text is None or not strip_spaces(text):
            continue
        parsed = try_parse_target(text)
        if parsed.kind != "numeric" or parsed.op != "=" or parsed.value is None:
            if source == "previous":
                continue  # last year's actual was a word (达成): fall back to an entered value
            raise ScoringError(
                f"指标「{ind.name}」的基准值「{strip_spaces(text)}」不是数值（如 85%）",
                f"indicator '{ind.name}': the baseline '{strip_spaces(text)}' is not a number (e.g. 85%)",
                code="JX-E622",
                where=Location(field=f"{field}.baseline"),
            )
        unit, value = canonical_unit(parsed.unit, parsed.value, rules)
        return Baseline(value, unit, source, strip_spaces(text))
    return None


def evaluate(
    doc: SelfEvaluation,
    region: str | RegionRules = DEFAULT_REGION,
    *,
    previous: Mapping[str, str] | None = None,
    as_printed: bool = False,
) -> Evaluation:
    """Return the recomputed scores of ``doc``, collecting every row's error instead of stopping.

    ``as_printed`` scores a real form's indicators with the weights it prints even when they do not
    total 90 (domain-rules.md §5.1); the caller reports that as a discrepancy, never corrects it.

    The web form shows these errors beside their fields as values are typed; strict callers use
    :func:`score_self_evaluation`. Printed scores in ``doc`` are never changed. ``previous`` maps
    三级指标 names to last year's actuals of the same unit (relative targets' baselines).
    """
    rules = get_rules(region)
    budget = budget_score(doc.budget, rules)
    errors: list[JixiaoError] = [budget.error] if budget.error else []
    if not doc.indicators:
        errors.append(
            ScoringError(
                "自评表没有绩效指标，无法计分",
                "the self-evaluation has no indicators to score",
                code="JX-E617",
                where=Location(field="indicators"),
            )
        )
        return Evaluation(rules.key, budget, (), None, None, tuple(errors))
    try:
        weights: list[Decimal | None] = list(_weights(doc, rules, as_printed))
    except ScoringError as exc:
        errors.append(exc)
        weights = [ind.weight for ind in doc.indicators]
    rows: list[IndicatorScore] = []
    for n, (ind, weight) in enumerate(zip(doc.indicators, weights, strict=True)):
        if weight is None:
            rows.append(IndicatorScore(n, ind.name, ind.level1, None, None))
            continue
        try:
            base = resolve_baseline(ind, doc, rules, previous, field=f"indicators[{n}]")
            rows.append(score_indicator(ind, weight, rules, index=n, year=doc.year, baseline=base))
        except ScoringError as exc:
            errors.append(exc)
            rows.append(IndicatorScore(n, ind.name, ind.level1, weight, None, error=exc))
    total: Decimal | None = None
    grade: str | None = None
    cap: CapApplied | None = None
    if not errors and budget.score is not None:
        total = quantize(
            budget.score + sum((r.score or Decimal(0) for r in rows), Decimal(0)), rules.score_places
        )
        band = rules.cap_for(budget.rate)
        if band is not None and budget.rate is not None:
            cap = CapApplied(budget.rate, band, total)
            total = min(total, quantize(band.cap, rules.score_places))  # a cap never raises a total
        grade = rules.grade_for(total)
    for error in errors:
        if error.where.file is None and doc.source.file:
            error.located(file=doc.source.file)
    return Evaluation(rules.key, budget, tuple(rows), total, grade, tuple(errors), cap)


def score_self_evaluation(
    doc: SelfEvaluation,
    region: str | RegionRules = DEFAULT_REGION,
    *,
    previous: Mapping[str, str] | None = None,
) -> Evaluation:
    """Return the recomputed scores of ``doc``, or raise the first :class:`ScoringError`."""
    return evaluate(doc, region, previous=previous).raise_first()
