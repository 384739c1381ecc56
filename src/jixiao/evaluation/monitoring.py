"""In-year monitoring (运行监控): progress to a cut-off month, traffic lights and warnings.

财预〔2019〕136号 (recalled; domain-rules.md §4) asks for "双监控": 预算执行进度 and 绩效目标实现程度,
compared at a cut-off month (1–7月 by default; 1–6月 and 1–8月 also occur, so it is a parameter).
A report gives the budget executed to date and, per indicator, the value reached so far, the
forecast for the year, 完成目标可能性 (确定能 / 有可能 / 完全不可能), the deviation reasons
(经费 / 制度 / 人员 / 硬件条件保障 / 其他) and the measures taken.

Traffic lights (vendor S12, thresholds in :mod:`jixiao.evaluation.config`):

* budget: ``progress = (执行数 / 全年预算数) ÷ (month / 12) × 100``; red < 60, yellow < 80, green;
* indicator: 确定能 green, 有可能 yellow, 完全不可能 red.

A yellow or red light is a warning. A :class:`MonitoringReport` (``jixiao.domain.model``) has its
own canonical JSON (``"kind": "monitoring"``), read and written by :mod:`jixiao.formats.json_monitoring`.

Errors (:class:`ScoringError` JX-E63x, :class:`ValidationError` for the JSON contract):

=========  ==============================================================
JX-E630    cut-off month outside 1–12
JX-E631    完成目标可能性 missing or not one of the three values
JX-E632    a deviation reason outside the categories
JX-E633    有可能 / 完全不可能 without forecast and reasons (Tianjin config, S12)
JX-E634    reason 其他 without its text
JX-E635    全年预算数 missing or zero, or 执行数 missing or negative
=========  ==============================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from jixiao.domain.errors import JixiaoError, Location, ScoringError
from jixiao.domain.i18n import normalize_lang, tr
from jixiao.domain.model import MonitoredIndicator, MonitoringReport
from jixiao.domain.text import strip_spaces
from jixiao.domain.vocabulary import DEFAULT_REGION, LIGHT_ZH, LIGHTS, Light
from jixiao.evaluation.actuals import read_actual
from jixiao.evaluation.config import RegionRules, get_rules
from jixiao.evaluation.scoring import quantize

__all__ = [
    "IndicatorStatus",
    "Light",
    "MonitoredIndicator",
    "MonitoringReport",
    "MonitoringResult",
    "MonitoringWarning",
    "monitor",
]

_LIGHT_ORDER = {light: n for n, light in enumerate(LIGHTS)}


@dataclass(frozen=True, slots=True)
class MonitoringWarning:
    """A yellow or red light: what lags, how much, in both languages."""

    subject: Literal["budget", "indicator"]
    light: Light
    code: str
    message_zh: str
    message_en: str
    field: str
    index: int | None = None

    def message(self, lang: str = "zh") -> str:
        """Return the message in ``lang``."""
        return self.message_en if normalize_lang(lang) == "en" else self.message_zh

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """Return the JSON form of the warning."""
        return {
            "subject": self.subject,
            "light": self.light,
            "code": self.code,
            "field": self.field,
            "index": self.index,
            "message": self.message(lang),
        }


@dataclass(frozen=True, slots=True)
class IndicatorStatus:
    """An indicator's light and, for measurable targets, progress ÷ target (``ratio``)."""

    index: int
    name: str
    light: Light | None
    likelihood: str | None
    ratio: Decimal | None = None


@dataclass(frozen=True, slots=True)
class MonitoringResult:
    """The monitor's verdict on one report. ``light`` is the worst of all lights."""

    cutoff_month: int
    budget_rate: Decimal | None  # 执行数 ÷ 全年预算数, percent
    expected_rate: Decimal  # month ÷ 12, percent
    budget_progress: Decimal | None  # budget_rate ÷ expected_rate × 100
    budget_light: Light | None
    indicators: tuple[IndicatorStatus, ...]
    warnings: tuple[MonitoringWarning, ...]
    errors: tuple[JixiaoError, ...]

    @property
    def light(self) -> Light | None:
        """Return the worst light of the budget and the indicators (None when none is known)."""
        lights: list[Light] = []
        for candidate in (self.budget_light, *(x.light for x in self.indicators)):
            if candidate is not None:
                lights.append(candidate)
        if not lights:
            return None
        worst: Light = max(lights, key=_LIGHT_ORDER.__getitem__)
        return worst

    def raise_first(self) -> MonitoringResult:
        """Return self, or raise the first error."""
        if self.errors:
            raise self.errors[0]
        return self

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """Return the JSON the CLI and the dashboard use."""

        def s(v: Decimal | None) -> str | None:
            return None if v is None else str(v)

        return {
            "cutoff_month": self.cutoff_month,
            "budget": {
                "rate": s(self.budget_rate),
                "expected_rate": s(self.expected_rate),
                "progress": s(self.budget_progress),
                "light": self.budget_light,
            },
            "indicators": [
                {"name": x.name, "light": x.light, "likelihood": x.likelihood, "ratio": s(x.ratio)}
                for x in self.indicators
            ],
            "light": self.light,
            "warnings": [w.to_dict(lang) for w in self.warnings],
            "errors": [e.to_dict(lang) for e in self.errors],
        }


def _light(value: Decimal, rules: RegionRules) -> Light:
    if value < rules.budget_red_below:
        return "red"
    if value < rules.budget_yellow_below:
        return "yellow"
    return "green"


def _budget(
    report: MonitoringReport, month: int, rules: RegionRules, errors: list[JixiaoError]
) -> tuple[Decimal | None, Decimal | None]:
    b = report.budget
    adjusted = b.adjusted if b.adjusted is not None else b.initial
    if adjusted is None or adjusted <= 0 or b.executed is None or b.executed < 0:
        errors.append(
            ScoringError(
                "全年预算数或截至监控月份的执行数缺失或无效，无法计算预算执行进度",
                "the full-year budget or the amount executed to date is missing or invalid",
                code="JX-E635",
                where=Location(field="budget"),
            )
        )
        return None, None
    try:
        rate = quantize(b.executed / adjusted * 100, rules.rate_places)
        # Time-proportional plan: by the end of month m, m/12 of the year's budget (vendor S12).
        progress = quantize(b.executed / adjusted / (Decimal(month) / 12) * 100, rules.rate_places)
    except ScoringError as exc:
        errors.append(exc.located(field="budget.executed"))
        return None, None
    return rate, progress


def _check_row(
    row: MonitoredIndicator, n: int, rules: RegionRules, year: int | None, errors: list[JixiaoError]
) -> tuple[Light | None, Decimal | None]:
    where = f"indicators[{n}]"
    light: Light | None = None

    def problem(zh: str, en: str, code: str, part: str) -> None:
        errors.append(ScoringError(zh, en, code=code, where=Location(field=f"{where}.{part}")))

    if row.likelihood not in rules.likelihood_lights:
        choices = " / ".join(rules.likelihood_lights)
        problem(
            f"指标「{row.name}」：完成目标可能性应为 {choices}",
            f"indicator '{row.name}': the likelihood of meeting the target must be one of {choices}",
            "JX-E631",
            "likelihood",
        )
    else:
        light = rules.likelihood_lights[row.likelihood]  # type: ignore[assignment]
    for reason in row.reasons:
        if reason not in rules.deviation_reasons:
            problem(
                f"指标「{row.name}」：偏差原因「{reason}」不在 {' / '.join(rules.deviation_reasons)} 之中",
                f"indicator '{row.name}': the deviation reason '{reason}' is not one of "
                f"{' / '.join(rules.deviation_reasons)}",
                "JX-E632",
                "reasons",
            )
    if row.likelihood in rules.likelihood_needs_reason and (
        not strip_spaces(row.forecast or "") or not row.reasons
    ):
        problem(
            f"指标「{row.name}」完成目标可能性为「{row.likelihood}」，须填写全年预计完成情况和偏差原因",
            f"indicator '{row.name}' is '{row.likelihood}': the year's forecast and the deviation reasons are required",
            "JX-E633",
            "forecast",
        )
    if "其他" in row.reasons and not strip_spaces(row.other_reason or ""):
        problem(
            f"指标「{row.name}」：选择了「其他」原因，请说明",
            f"indicator '{row.name}': the reason 'other' needs its explanation",
            "JX-E634",
            "other_reason",
        )
    ratio: Decimal | None = None
    if row.progress and strip_spaces(row.progress) and row.target.kind in ("numeric", "range"):
        # Progress is typed like a target and checked like an actual (unit, kind).
        try:
            actual = read_actual(
                row.progress, row.target, rules, name=row.name, year=year, field=f"{where}.progress"
            )
        except ScoringError as exc:
            errors.append(exc)
        else:
            goal = row.target.value if row.target.kind == "numeric" else row.target.low
            if actual.value is not None and goal is not None and goal > 0:
                try:
                    ratio = quantize(actual.value / goal * 100, rules.rate_places)
                except ScoringError as exc:
                    errors.append(exc.located(field=f"{where}.progress"))
    return light, ratio


def _reason_words(row: Any, lang: str) -> str:
    """Return a row's deviation reasons in ``lang``: 「人员、其他（…）」, or 未填写 when none is given."""
    words = [
        tr("其他（{text}）", lang, text=row.other_reason) if r == "其他" and row.other_reason else tr(r, lang)
        for r in row.reasons
    ]
    return tr("、", lang).join(words) or tr("未填写", lang)


def monitor(
    report: MonitoringReport, region: str | RegionRules = DEFAULT_REGION, cutoff_month: int | None = None
) -> MonitoringResult:
    """Return the lights, warnings and errors of ``report`` at ``cutoff_month`` (default: the report's).

    Errors are collected (the web form shows them by field); call ``raise_first()`` to be strict.
    """
    rules = get_rules(region)
    month = cutoff_month if cutoff_month is not None else report.cutoff_month
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise ScoringError(
            f"监控截止月份应为 1–12，而不是 {month}",
            f"the cut-off month must be 1–12, not {month}",
            code="JX-E630",
            where=Location(field="cutoff_month"),
        )
    errors: list[JixiaoError] = []
    warnings: list[MonitoringWarning] = []
    expected = quantize(Decimal(month) / 12 * 100, rules.rate_places)
    rate, progress = _budget(report, month, rules, errors)
    budget_light = None if progress is None else _light(progress, rules)
    if budget_light in ("yellow", "red") and rate is not None:
        warnings.append(
            MonitoringWarning(
                "budget",
                budget_light,
                "JX-W601",
                f"1–{month}月预算执行率 {rate}%，按时间进度应达 {expected}%，进度比 {progress}%（{LIGHT_ZH[budget_light]}）",
                f"budget executed {rate}% by the end of month {month}, {expected}% expected by the time-proportional "
                f"plan: {progress}% of plan ({budget_light})",
                "budget.executed",
            )
        )
    statuses: list[IndicatorStatus] = []
    for n, row in enumerate(report.indicators):
        light, ratio = _check_row(row, n, rules, report.year, errors)
        statuses.append(IndicatorStatus(n, row.name, light, row.likelihood, ratio))
        if light in ("yellow", "red"):
            reasons, reasons_en = (_reason_words(row, lang) for lang in ("zh", "en"))
            warnings.append(
                MonitoringWarning(
                    "indicator",
                    light,
                    "JX-W602",
                    f"指标「{row.name}」完成目标可能性为「{row.likelihood}」（{LIGHT_ZH[light]}），偏差原因：{reasons}",
                    f"indicator '{row.name}': likelihood '{tr(row.likelihood or '', 'en')}' ({light}); "
                    f"reasons: {reasons_en}",
                    f"indicators[{n}].likelihood",
                    n,
                )
            )
    return MonitoringResult(
        month, rate, expected, progress, budget_light, tuple(statuses), tuple(warnings), tuple(errors)
    )
