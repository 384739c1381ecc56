"""In-year monitoring (运行监控): progress to a cut-off month, traffic lights and warnings.

财预〔2019〕136号 (recalled; domain-rules.md §4) asks for "双监控": 预算执行进度 and 绩效目标实现程度,
compared at a cut-off month (1–7月 by default; 1–6月 and 1–8月 also occur, so it is a parameter).
A report gives the budget executed to date and, per indicator, the value reached so far, the
forecast for the year, 完成目标可能性 (确定能 / 有可能 / 完全不可能), the deviation reasons
(经费 / 制度 / 人员 / 硬件条件保障 / 其他) and the measures taken.

Traffic lights (vendor S12, thresholds in :mod:`jixiao.evaluation.config`):

* budget: ``progress = (执行数 / 全年预算数) ÷ (month / 12) × 100``; red < 60, yellow < 80, green;
* indicator: 确定能 green, 有可能 yellow, 完全不可能 red.

A yellow or red light is a warning. A :class:`MonitoringReport` has its own canonical JSON
(``"kind": "monitoring"``): :func:`to_dict`, :func:`from_dict`, :func:`dumps`, :func:`loads`.

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

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from jixiao.domain.errors import JixiaoError, Location, ScoringError
from jixiao.domain.model import BudgetExecution, Goals, Project, Source
from jixiao.domain.targets import Target
from jixiao.domain.text import strip_spaces
from jixiao.evaluation.actuals import read_actual
from jixiao.evaluation.config import RegionRules, get_rules
from jixiao.evaluation.scoring import quantize
from jixiao.formats.json_fields import amount as _amount
from jixiao.formats.json_fields import date_value as _date
from jixiao.formats.json_fields import decimal as _decimal
from jixiao.formats.json_fields import fail as _fail
from jixiao.formats.json_fields import integer as _int
from jixiao.formats.json_fields import load_documents
from jixiao.formats.json_fields import money as _money
from jixiao.formats.json_fields import obj as _obj
from jixiao.formats.json_fields import plain as _plain
from jixiao.formats.json_fields import string as _str
from jixiao.formats.json_fields import target as _target

__all__ = [
    "IndicatorStatus",
    "Light",
    "MonitoredIndicator",
    "MonitoringReport",
    "MonitoringResult",
    "MonitoringWarning",
    "dumps",
    "from_dict",
    "json_schema",
    "loads",
    "monitor",
    "to_dict",
]

Light = Literal["green", "yellow", "red"]
_LIGHT_ORDER = {"green": 0, "yellow": 1, "red": 2}
LIGHT_ZH = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}


@dataclass(slots=True)
class MonitoredIndicator:
    """One indicator row of the 绩效监控表 (field names of the 136号 template, vendor S12)."""

    level1: str
    level2: str
    name: str
    target: Target
    progress: str | None = None  # 1–N月实际完成值, typed like a target ("60%", "420人次")
    forecast: str | None = None  # 全年预计完成情况
    likelihood: str | None = None  # 完成目标可能性
    reasons: list[str] = field(default_factory=list)  # 偏差原因分析 (multi-select)
    other_reason: str | None = None  # the text of 其他原因
    measures: str | None = None  # 改进措施
    note: str | None = None  # 备注


@dataclass(slots=True)
class MonitoringReport:
    """One project's 绩效运行监控表 at a cut-off month; ``budget.executed`` is the amount to date."""

    year: int | None
    project: Project
    cutoff_month: int = 7
    budget: BudgetExecution = field(default_factory=BudgetExecution)
    goals: Goals = field(default_factory=Goals)
    progress_summary: str | None = None  # 总体目标完成情况 to date
    indicators: list[MonitoredIndicator] = field(default_factory=list)
    source: Source = field(default_factory=Source)
    reported_on: date | None = None

    kind: Literal["monitoring"] = "monitoring"


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

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """Return the JSON form of the warning."""
        return {
            "subject": self.subject,
            "light": self.light,
            "code": self.code,
            "field": self.field,
            "index": self.index,
            "message": self.message_en if lang == "en" else self.message_zh,
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
    if row.likelihood not in rules.likelihood_lights:
        choices = " / ".join(rules.likelihood_lights)
        errors.append(
            ScoringError(
                f"指标「{row.name}」：完成目标可能性应为 {choices}",
                f"indicator '{row.name}': the likelihood of meeting the target must be one of {choices}",
                code="JX-E631",
                where=Location(field=f"{where}.likelihood"),
            )
        )
    else:
        light = rules.likelihood_lights[row.likelihood]  # type: ignore[assignment]
    for reason in row.reasons:
        if reason not in rules.deviation_reasons:
            errors.append(
                ScoringError(
                    f"指标「{row.name}」：偏差原因「{reason}」不在 {' / '.join(rules.deviation_reasons)} 之中",
                    f"indicator '{row.name}': the deviation reason '{reason}' is not one of "
                    f"{' / '.join(rules.deviation_reasons)}",
                    code="JX-E632",
                    where=Location(field=f"{where}.reasons"),
                )
            )
    if row.likelihood in rules.likelihood_needs_reason and (
        not strip_spaces(row.forecast or "") or not row.reasons
    ):
        errors.append(
            ScoringError(
                f"指标「{row.name}」完成目标可能性为「{row.likelihood}」，须填写全年预计完成情况和偏差原因",
                f"indicator '{row.name}' is '{row.likelihood}': the year's forecast and the deviation reasons are required",
                code="JX-E633",
                where=Location(field=f"{where}.forecast"),
            )
        )
    if "其他" in row.reasons and not strip_spaces(row.other_reason or ""):
        errors.append(
            ScoringError(
                f"指标「{row.name}」：选择了「其他」原因，请说明",
                f"indicator '{row.name}': reason 其他 needs its explanation",
                code="JX-E634",
                where=Location(field=f"{where}.other_reason"),
            )
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


def monitor(
    report: MonitoringReport, region: str | RegionRules = "national", cutoff_month: int | None = None
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
            reasons = (
                "、".join(
                    f"其他（{row.other_reason}）" if r == "其他" and row.other_reason else r
                    for r in row.reasons
                )
                or "未填写"
            )
            warnings.append(
                MonitoringWarning(
                    "indicator",
                    light,
                    "JX-W602",
                    f"指标「{row.name}」完成目标可能性为「{row.likelihood}」（{LIGHT_ZH[light]}），偏差原因：{reasons}",
                    f"indicator '{row.name}': likelihood '{row.likelihood}' ({light}); reasons: {reasons}",
                    f"indicators[{n}].likelihood",
                    n,
                )
            )
    return MonitoringResult(
        month, rate, expected, progress, budget_light, tuple(statuses), tuple(warnings), tuple(errors)
    )


# --- canonical JSON --------------------------------------------------------------------------


def to_dict(report: MonitoringReport) -> dict[str, Any]:
    """Return the canonical JSON object of a monitoring report (``"kind": "monitoring"``)."""
    p = report.project
    b = report.budget
    return {
        "kind": "monitoring",
        "year": report.year,
        "cutoff_month": report.cutoff_month,
        "reported_on": None if report.reported_on is None else report.reported_on.isoformat(),
        "project": {
            "name": p.name,
            "category": p.category,
            "nature": p.nature,
            "competent_department": p.competent_department,
            "implementing_unit": p.implementing_unit,
            "start_date": None if p.start_date is None else p.start_date.isoformat(),
            "end_date": None if p.end_date is None else p.end_date.isoformat(),
        },
        "budget": {
            "initial": _money(b.initial),
            "adjusted": _money(b.adjusted),
            "executed": _money(b.executed),
            "execution_rate": _plain(b.execution_rate),
        },
        "goals": {"overall": report.goals.overall, "annual": report.goals.annual},
        "progress_summary": report.progress_summary,
        "indicators": [
            {
                "level1": i.level1,
                "level2": i.level2,
                "name": i.name,
                "target": i.target.to_dict(),
                "progress": i.progress,
                "forecast": i.forecast,
                "likelihood": i.likelihood,
                "reasons": list(i.reasons),
                "other_reason": i.other_reason,
                "measures": i.measures,
                "note": i.note,
            }
            for i in report.indicators
        ],
        "source": {
            "file": report.source.file,
            "form_index": report.source.form_index,
            "line": report.source.line,
        },
    }


def _row(obj: dict[str, Any], path: str) -> MonitoredIndicator:
    reasons = obj.get("reasons") or []
    if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
        raise _fail(f"{path}.reasons", "应为文本数组", "expected an array of strings")
    return MonitoredIndicator(
        level1=_str(obj.get("level1"), f"{path}.level1") or "",
        level2=_str(obj.get("level2"), f"{path}.level2") or "",
        name=_str(obj.get("name"), f"{path}.name", required=True) or "",
        target=_target(obj.get("target"), f"{path}.target"),
        progress=_str(obj.get("progress"), f"{path}.progress"),
        forecast=_str(obj.get("forecast"), f"{path}.forecast"),
        likelihood=_str(obj.get("likelihood"), f"{path}.likelihood"),
        reasons=list(reasons),
        other_reason=_str(obj.get("other_reason"), f"{path}.other_reason"),
        measures=_str(obj.get("measures"), f"{path}.measures"),
        note=_str(obj.get("note"), f"{path}.note"),
    )


def from_dict(data: Any, path: str = "$") -> MonitoringReport:
    """Return the monitoring report of one canonical JSON object; ValidationError names the field."""
    obj = _obj(data, path)
    if obj.get("kind") != "monitoring":
        raise _fail(f"{path}.kind", "应为 monitoring", "expected 'monitoring'")
    pobj = _obj(obj.get("project"), f"{path}.project")
    pp = f"{path}.project"
    project = Project(
        name=_str(pobj.get("name"), f"{pp}.name", required=True) or "",
        category=_str(pobj.get("category"), f"{pp}.category"),
        nature=_str(pobj.get("nature"), f"{pp}.nature"),
        competent_department=_str(pobj.get("competent_department"), f"{pp}.competent_department"),
        implementing_unit=_str(pobj.get("implementing_unit"), f"{pp}.implementing_unit"),
        start_date=_date(pobj.get("start_date"), f"{pp}.start_date"),
        end_date=_date(pobj.get("end_date"), f"{pp}.end_date"),
    )
    bobj = _obj(obj.get("budget") or {}, f"{path}.budget")
    budget = BudgetExecution(
        initial=_amount(bobj.get("initial"), f"{path}.budget.initial"),
        adjusted=_amount(bobj.get("adjusted"), f"{path}.budget.adjusted"),
        executed=_amount(bobj.get("executed"), f"{path}.budget.executed"),
        execution_rate=_decimal(bobj.get("execution_rate"), f"{path}.budget.execution_rate"),
    )
    gobj = _obj(obj.get("goals") or {}, f"{path}.goals")
    rows = obj.get("indicators") or []
    if not isinstance(rows, list):
        raise _fail(f"{path}.indicators", "应为数组", "expected an array")
    month = _int(obj.get("cutoff_month"), f"{path}.cutoff_month")
    if month is not None and not 1 <= month <= 12:
        raise _fail(f"{path}.cutoff_month", "应为 1–12", "must be 1–12")
    sobj = _obj(obj.get("source") or {}, f"{path}.source")
    return MonitoringReport(
        year=_int(obj.get("year"), f"{path}.year"),
        project=project,
        cutoff_month=7 if month is None else month,
        budget=budget,
        goals=Goals(
            overall=_str(gobj.get("overall"), f"{path}.goals.overall"),
            annual=_str(gobj.get("annual"), f"{path}.goals.annual"),
        ),
        progress_summary=_str(obj.get("progress_summary"), f"{path}.progress_summary"),
        indicators=[
            _row(_obj(r, f"{path}.indicators[{n}]"), f"{path}.indicators[{n}]") for n, r in enumerate(rows)
        ],
        source=Source(
            file=_str(sobj.get("file"), f"{path}.source.file"),
            form_index=_int(sobj.get("form_index"), f"{path}.source.form_index"),
            line=_int(sobj.get("line"), f"{path}.source.line"),
        ),
        reported_on=_date(obj.get("reported_on"), f"{path}.reported_on"),
    )


def dumps(reports: list[MonitoringReport], *, indent: int | None = 2) -> str:
    """Return the JSON array of ``reports``."""
    return json.dumps([to_dict(r) for r in reports], ensure_ascii=False, indent=indent)


def loads(text: str, *, file: str | None = None) -> list[MonitoringReport]:
    """Return the monitoring reports of a JSON text (an array, or one object)."""
    return load_documents(text, file, from_dict)


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of an array of monitoring reports."""
    nullable = {"type": ["string", "null"]}
    amount = {"type": ["string", "null"], "pattern": r"^-?\d+\.\d{2}$"}
    row = {
        "type": "object",
        "required": ["name", "target"],
        "properties": {
            "level1": {"type": "string"},
            "level2": {"type": "string"},
            "name": {"type": "string", "minLength": 1},
            "target": {"type": "object", "required": ["text"]},
            "progress": nullable,
            "forecast": nullable,
            "likelihood": {"enum": ["确定能", "有可能", "完全不可能", None]},
            "reasons": {"type": "array", "items": {"enum": ["经费", "制度", "人员", "硬件条件保障", "其他"]}},
            "other_reason": nullable,
            "measures": nullable,
            "note": nullable,
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "jixiao monitoring reports (绩效运行监控表)",
        "type": "array",
        "items": {
            "type": "object",
            "required": ["kind", "project", "budget", "indicators"],
            "properties": {
                "kind": {"const": "monitoring"},
                "year": {"type": ["integer", "null"]},
                "cutoff_month": {"type": "integer", "minimum": 1, "maximum": 12},
                "reported_on": {"type": ["string", "null"], "format": "date"},
                "project": {"type": "object", "required": ["name"]},
                "budget": {
                    "type": "object",
                    "properties": {
                        "initial": amount,
                        "adjusted": amount,
                        "executed": amount,
                        "execution_rate": {"type": ["string", "null"]},
                    },
                },
                "goals": {"type": "object"},
                "progress_summary": nullable,
                "indicators": {"type": "array", "items": row},
                "source": {"type": "object"},
            },
        },
    }
