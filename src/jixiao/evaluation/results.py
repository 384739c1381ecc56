"""评价结果应用: the year's self-evaluation results per department and unit, with a suggested budget
consequence per project for the budget meeting (财预〔2020〕10号: results inform later budgets,
domain-rules.md §7).

Pure: the caller (``jixiao.services.results``) reads the stored self-evaluations and scores them;
this module turns scored documents into :class:`ProjectResult` rows, applies the region's
:class:`~jixiao.evaluation.config.Consequence` rules (差 → 压减或取消, execution below 60 % → 核减 …)
and adds them up per unit and per department. It also gives, for a continuing project, last year's
result of each indicator (target, actual, met or not) beside next year's declaration.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao.domain.model import EvaluatedIndicator, SelfEvaluation
from jixiao.domain.vocabulary import GRADES
from jixiao.evaluation.config import ACHIEVED, Consequence, RegionRules
from jixiao.evaluation.scoring import Evaluation, IndicatorScore, cap_words, deduction_words

__all__ = [
    "DepartmentResults",
    "IndicatorResult",
    "ProjectResult",
    "ResultsReport",
    "UnitResults",
    "build_report",
    "format_report_text",
    "met",
    "missing_result",
    "previous_results",
    "project_result",
    "suggest",
]


def met(row: IndicatorScore) -> bool | None:
    """Return whether a scored row met its target (None when it could not be scored).

    A qualitative row met when graded 达成 (whatever score inside the band); a quantitative one at
    full marks before any deviation deduction (a target beaten by far was met, and set too low).
    """
    if row.method == "qualitative":
        return row.grade == ACHIEVED
    score = row.before_deduction
    if score is None or row.weight is None:
        return None
    return score >= row.weight


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    """One indicator of a self-evaluation as the results report shows it."""

    name: str
    target: str
    actual: str | None
    met: bool | None
    weight: Decimal | None = None
    score: Decimal | None = None
    deviation_note: str | None = None
    over: bool = False  # exceeded by far (30 % or more)
    deduction: str | None = None  # the deduction's reason, where the region deducts

    def to_dict(self) -> dict[str, Any]:
        """Return the row as JSON (decimals as strings)."""
        return {
            "name": self.name,
            "target": self.target,
            "actual": self.actual,
            "met": self.met,
            "weight": None if self.weight is None else str(self.weight),
            "score": None if self.score is None else str(self.score),
            "deviation_note": self.deviation_note,
            "over": self.over,
            "deduction": self.deduction,
        }


def _indicator_result(
    ind: EvaluatedIndicator, scored: IndicatorScore, deduction: str | None = None
) -> IndicatorResult:
    """Return one self-evaluation row with its score, as the results report shows it."""
    return IndicatorResult(
        name=ind.name,
        target=ind.target.text,
        actual=ind.actual,
        met=met(scored) if scored.error is None else None,
        weight=scored.weight,
        score=scored.score,
        deviation_note=(ind.deviation_note or "").strip() or None,
        over=scored.note_required == "over",
        deduction=deduction,
    )


@dataclass(frozen=True, slots=True)
class ProjectResult:
    """One project's year: grade, score, execution, what was missed and the suggestion.

    ``evaluated`` is False when there is no scored self-evaluation (none written, or one that
    cannot be scored yet): the suggestion then says so instead of applying the rules.
    """

    department: str
    unit: str
    project: str
    year: int | None
    evaluated: bool
    total: Decimal | None = None
    grade: str | None = None
    rate: Decimal | None = None
    adjusted: Decimal | None = None
    executed: Decimal | None = None
    indicators: tuple[IndicatorResult, ...] = ()
    suggestion: Consequence | None = None
    reasons: tuple[Consequence, ...] = ()
    cap_line: str | None = None
    status: str = ""
    ref: int | None = None  # the declaration's id, for links

    @property
    def missed(self) -> list[IndicatorResult]:
        """Return the indicators that missed their target."""
        return [i for i in self.indicators if i.met is False]

    @property
    def notes(self) -> list[IndicatorResult]:
        """Return the indicators with a deviation note (missed, or exceeded by far)."""
        return [i for i in self.indicators if i.deviation_note and (i.met is False or i.over)]

    def suggestion_text(self, lang: str = "zh") -> str:
        """Return the suggestion in words (or why there is none)."""
        if not self.evaluated:
            return "尚无可计分的自评表：先完成绩效自评" if lang != "en" else "no scored self-evaluation yet"
        return self.suggestion.title(lang) if self.suggestion else ""

    def reasons_text(self, lang: str = "zh") -> str:
        """Return the conditions behind the suggestion: 「等级为差；预算执行率低于 60%」."""
        return ("; " if lang == "en" else "；").join(r.condition(lang) for r in self.reasons)

    def missed_text(self, lang: str = "zh") -> str:
        """Return the missed targets as one line each: 「名称：目标 ≥95%，实际 90%」."""
        if lang == "en":
            return "\n".join(f"{i.name}: target {i.target}, actual {i.actual or '—'}" for i in self.missed)
        return "\n".join(f"{i.name}：目标 {i.target}，实际 {i.actual or '—'}" for i in self.missed)

    def notes_text(self, lang: str = "zh") -> str:
        """Return the deviation notes, one per line after the indicators' names; rows that give the
        same note share one line (「派单完成率、信息员数量：项目实施方案调整…」)."""
        sep, join = (": ", ", ") if lang == "en" else ("：", "、")
        by_note: dict[str, list[str]] = {}
        for i in self.notes:
            by_note.setdefault(str(i.deviation_note), []).append(i.name)
        return "\n".join(f"{join.join(names)}{sep}{note}" for note, names in by_note.items())

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """Return the row as JSON."""
        return {
            "department": self.department,
            "unit": self.unit,
            "project": self.project,
            "year": self.year,
            "declaration": self.ref,
            "evaluated": self.evaluated,
            "status": self.status,
            "total_score": None if self.total is None else str(self.total),
            "grade": self.grade,
            "execution_rate": None if self.rate is None else str(self.rate),
            "budget_adjusted": None if self.adjusted is None else str(self.adjusted),
            "budget_executed": None if self.executed is None else str(self.executed),
            "missed": [i.to_dict() for i in self.missed],
            "deviation_notes": [{"name": i.name, "note": i.deviation_note} for i in self.notes],
            "cap": self.cap_line,
            "suggestion": self.suggestion.key if self.suggestion and self.evaluated else None,
            "suggestion_text": self.suggestion_text(lang),
            "reasons": [
                {
                    "rule": r.key,
                    "condition": r.condition(lang),
                    "suggestion": r.title(lang),
                    **r.provenance.to_dict(lang),
                }
                for r in self.reasons
            ],
        }


def suggest(
    grade: str | None, rate: Decimal | None, missed: int, rules: Iterable[Consequence]
) -> tuple[Consequence | None, tuple[Consequence, ...]]:
    """Return (the suggestion, every rule that fired, strongest first) for one project.

    Worked example with the default rules: 良, 55 % executed, one target missed → 核减预算，审视资金
    安排 (low_execution, 40), with 按未完成指标整改 (20) and 维持 (10) as further reasons.
    """
    fired = sorted((r for r in rules if r.fires(grade, rate, missed)), key=lambda r: -r.weight)
    return (fired[0] if fired else None), tuple(fired)


def project_result(
    doc: SelfEvaluation,
    ev: Evaluation,
    rules: RegionRules,
    *,
    department: str,
    unit: str,
    status: str = "",
    ref: int | None = None,
    lang: str = "zh",
) -> ProjectResult:
    """Return the results-report row of a scored self-evaluation."""
    rows = [
        _indicator_result(ind, scored, deduction_words(scored, rules, lang))
        for ind, scored in zip(doc.indicators, ev.indicators, strict=True)
    ]
    common: dict[str, Any] = {
        "department": department,
        "unit": unit,
        "project": doc.project.name,
        "year": doc.year,
        "rate": ev.budget.rate,
        "adjusted": ev.budget.adjusted,
        "executed": ev.budget.executed,
        "indicators": tuple(rows),
        "status": status,
        "ref": ref,
    }
    if not ev.ok or ev.total is None:
        return ProjectResult(evaluated=False, **common)
    missed = sum(1 for r in rows if r.met is False)
    suggestion, reasons = suggest(ev.grade, ev.budget.rate, missed, rules.consequences)
    return ProjectResult(
        evaluated=True,
        total=ev.total,
        grade=ev.grade,
        suggestion=suggestion,
        reasons=reasons,
        cap_line=cap_words(ev, lang),
        **common,
    )


def missing_result(
    *,
    department: str,
    unit: str,
    project: str,
    year: int | None,
    adjusted: Decimal | None = None,
    ref: int | None = None,
) -> ProjectResult:
    """Return the row of an approved project with no self-evaluation."""
    return ProjectResult(
        department=department,
        unit=unit,
        project=project,
        year=year,
        evaluated=False,
        adjusted=adjusted,
        ref=ref,
    )


def _rate(projects: list[ProjectResult]) -> Decimal | None:
    """Return Σ executed / Σ adjusted in percent over the evaluated projects (two decimals)."""
    pairs = [
        (p.executed, p.adjusted) for p in projects if p.evaluated and p.executed is not None and p.adjusted
    ]
    adjusted = sum((a for _, a in pairs if a is not None), Decimal(0))
    if not pairs or adjusted <= 0:
        return None
    executed = sum((e for e, _ in pairs if e is not None), Decimal(0))
    return (executed / adjusted * 100).quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class _Totals:
    count: int
    evaluated: int
    average: Decimal | None
    grades: dict[str, int]
    rate: Decimal | None
    missed: int
    suggestions: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "evaluated": self.evaluated,
            "average_score": None if self.average is None else str(self.average),
            "grades": dict(self.grades),
            "execution_rate": None if self.rate is None else str(self.rate),
            "missed": self.missed,
            "suggestions": dict(self.suggestions),
        }


def _totals(projects: list[ProjectResult]) -> _Totals:
    scores = [p.total for p in projects if p.evaluated and p.total is not None]
    grades = {g: 0 for g in GRADES}
    suggestions: dict[str, int] = {}
    for p in projects:
        if p.evaluated and p.grade:
            grades[p.grade] = grades.get(p.grade, 0) + 1
        if p.evaluated and p.suggestion:
            suggestions[p.suggestion.key] = suggestions.get(p.suggestion.key, 0) + 1
    average = (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.01")) if scores else None
    return _Totals(
        count=len(projects),
        evaluated=sum(1 for p in projects if p.evaluated),
        average=average,
        grades=grades,
        rate=_rate(projects),
        missed=sum(len(p.missed) for p in projects),
        suggestions=suggestions,
    )


@dataclass(frozen=True, slots=True)
class UnitResults:
    """A unit's projects and their totals."""

    name: str
    projects: tuple[ProjectResult, ...]
    totals: _Totals


@dataclass(frozen=True, slots=True)
class DepartmentResults:
    """A department (主管部门) with its units and totals."""

    name: str
    units: tuple[UnitResults, ...]
    totals: _Totals

    @property
    def projects(self) -> list[ProjectResult]:
        """Return every project of the department, unit by unit."""
        return [p for u in self.units for p in u.projects]


@dataclass(frozen=True, slots=True)
class ResultsReport:
    """The year's 评价结果应用 report: departments → units → projects, with the rules applied."""

    year: int
    region: str
    region_title: str
    departments: tuple[DepartmentResults, ...]
    totals: _Totals
    rules: tuple[Consequence, ...] = field(default=())

    @property
    def projects(self) -> list[ProjectResult]:
        """Return every project, department by department."""
        return [p for d in self.departments for p in d.projects]

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """Return the report as JSON (the API's and ``jixiao results-report --format json``'s)."""
        return {
            "year": self.year,
            "region": self.region,
            "totals": self.totals.to_dict(),
            "departments": [
                {
                    "department": d.name,
                    "totals": d.totals.to_dict(),
                    "units": [
                        {
                            "unit": u.name,
                            "totals": u.totals.to_dict(),
                            "projects": [p.to_dict(lang) for p in u.projects],
                        }
                        for u in d.units
                    ],
                }
                for d in self.departments
            ],
            "rules": [
                {
                    "rule": r.key,
                    "weight": r.weight,
                    "condition": r.condition(lang),
                    "suggestion": r.title(lang),
                    **r.provenance.to_dict(lang),
                }
                for r in self.rules
            ],
        }


def build_report(year: int, projects: Iterable[ProjectResult], rules: RegionRules) -> ResultsReport:
    """Return the report of ``projects`` grouped by department and unit (sorted by name)."""
    by_dept: dict[str, dict[str, list[ProjectResult]]] = {}
    everything = []
    for p in projects:
        by_dept.setdefault(p.department, {}).setdefault(p.unit, []).append(p)
        everything.append(p)
    departments = []
    for dept in sorted(by_dept):
        units = []
        for unit in sorted(by_dept[dept]):
            rows = sorted(by_dept[dept][unit], key=lambda p: p.project)
            units.append(UnitResults(unit, tuple(rows), _totals(rows)))
        departments.append(
            DepartmentResults(dept, tuple(units), _totals([p for u in units for p in u.projects]))
        )
    return ResultsReport(
        year, rules.key, rules.title, tuple(departments), _totals(everything), tuple(rules.consequences)
    )


def format_report_text(report: ResultsReport, lang: str = "zh") -> str:
    """Return the report as the lines ``jixiao results-report`` prints."""
    en = lang == "en"
    lines = [f"{report.year} results applied to the budget" if en else f"{report.year}年度绩效评价结果应用"]

    def summary(t: _Totals) -> str:
        grades = " ".join(f"{g}{n}" for g, n in t.grades.items())
        avg = t.average if t.average is not None else "—"
        rate = f"{t.rate}%" if t.rate is not None else "—"
        if en:
            return f"{t.evaluated}/{t.count} evaluated, average {avg}, {grades}, execution {rate}, {t.missed} missed"
        return (
            f"已自评 {t.evaluated}/{t.count}，平均分 {avg}，{grades}，执行率 {rate}，未完成指标 {t.missed} 项"
        )

    for d in report.departments:
        lines.append(f"{d.name}  {summary(d.totals)}")
        for u in d.units:
            lines.append(f"  {u.name}  {summary(u.totals)}")
            for p in u.projects:
                score = f"{p.total} {p.grade}" if p.evaluated else ("not evaluated" if en else "未自评")
                rate = f"{p.rate}%" if p.rate is not None else "—"
                lines.append(f"    {p.project}  {score}  {rate}  → {p.suggestion_text(lang)}")
                for i in p.missed:
                    what = (
                        f"target {i.target}, actual {i.actual or '—'}"
                        if en
                        else f"目标 {i.target}，实际 {i.actual or '—'}"
                    )
                    lines.append(f"      × {i.name}  {what}")
                if p.cap_line:
                    lines.append(f"      {p.cap_line}")
    if not report.departments:
        lines.append("  no self-evaluations for the year" if en else "  本年度没有自评结果")
    return "\n".join(lines)


def previous_results(doc: SelfEvaluation, ev: Evaluation) -> dict[str, IndicatorResult]:
    """Return last year's result of each indicator by its 三级指标 name (continuing projects)."""
    out: dict[str, IndicatorResult] = {}
    for ind, scored in zip(doc.indicators, ev.indicators, strict=True):
        out.setdefault(ind.name, _indicator_result(ind, scored))
    return out
