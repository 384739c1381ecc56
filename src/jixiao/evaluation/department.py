"""The roll-up of a department's projects into its 部门整体支出绩效自评 (pure, no Django).

A department's self-evaluation reports on its projects as a whole (domain-rules.md §8):

* 预算执行率 across projects: ``Σ 全年执行数 / Σ 全年预算数`` (each project's §5.2 amounts);
* 项目自评优良率: the share of projects whose self-evaluation total is graded 优 or 良 by the
  region's grade bands (:meth:`RegionRules.grade_for`, 90/80/60 under 财预〔2020〕10号, §5.5);
* 指标完成率: the share of the projects' indicators that met their target (a quantitative row
  scored its full 分值, a qualitative row graded 达成年度指标, §5.3–5.4).

The three are weighted by the region's ``department_rollup_weights`` option (30/40/30 by
default, jixiao's own: no source gives a split) into a score out of 100, graded by the same bands.
A project whose self-evaluation is missing or cannot be scored is listed as missing and left out
of all three rates, never counted as zero behind the reader's back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.domain.department import ProjectResult, RollupFigures
from jixiao.domain.errors import ScoringError
from jixiao.domain.model import SelfEvaluation
from jixiao.domain.provenance import Choice
from jixiao.domain.vocabulary import DEFAULT_REGION, EXCELLENT, GOOD
from jixiao.evaluation.config import ACHIEVED, RegionRules, RollupWeights, get_rules
from jixiao.evaluation.scoring import evaluate, quantize

__all__ = ["Rollup", "project_result", "rollup", "rollup_weights"]

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Rollup:
    """A department's projects rolled up: the figures, each part's points and what was left out."""

    figures: RollupFigures
    weights: RollupWeights
    choice: Choice
    projects: tuple[ProjectResult, ...]
    missing: tuple[str, ...]  # projects without a complete self-evaluation
    execution_points: Decimal | None
    good_points: Decimal | None
    met_points: Decimal | None
    graded: int  # projects with a grade
    good: int  # of them graded 优 or 良
    indicators: int
    met: int

    @property
    def complete(self) -> bool:
        """Return True when every project had a complete self-evaluation."""
        return not self.missing and self.figures.score is not None


def rollup_weights(rules: RegionRules) -> tuple[RollupWeights, Choice]:
    """Return the roll-up weights in force for ``rules`` and the choice they come from.

    Raises JX-E651 when a region's own choice carries weights that are negative or do not total 100.
    """
    choice = rules.option("department_rollup_weights")
    weights = choice.value
    if (
        not isinstance(weights, RollupWeights)
        or min(weights.execution, weights.good, weights.met) < 0
        or weights.total != HUNDRED
    ):
        raise ScoringError(
            f"地区「{rules.key}」的部门整体汇总分值无效（须为非负数且合计 100）",
            f"region '{rules.key}': the department roll-up weights are invalid (non-negative, 100 in all)",
            code="JX-E651",
        )
    return weights, choice


def project_result(
    doc: SelfEvaluation,
    region: str | RegionRules = DEFAULT_REGION,
    *,
    unit: str | None = None,
    previous: Mapping[str, str] | None = None,
) -> ProjectResult:
    """Return one project's line of the roll-up from its self-evaluation, scored by the region's rules.

    A self-evaluation that cannot be scored completely gives a line without score and grade (the
    roll-up lists it as missing).
    """
    rules = get_rules(region)
    ev = evaluate(doc, rules, previous=previous)
    budget = doc.budget.adjusted if doc.budget.adjusted is not None else doc.budget.initial
    line = ProjectResult(doc.project.name, unit or doc.project.implementing_unit, budget, doc.budget.executed)
    if not ev.ok:
        return line
    line.score, line.grade = ev.total, ev.grade
    for row in ev.indicators:
        if row.score is None or row.weight is None:
            continue
        line.indicators += 1
        if row.method == "qualitative":
            line.met += row.grade == ACHIEVED
        else:
            line.met += row.score >= quantize(row.weight, rules.score_places)
    return line


def _share(part: int | Decimal, whole: int | Decimal, places: int) -> Decimal | None:
    if not whole:
        return None
    return quantize(Decimal(part) / Decimal(whole) * HUNDRED, places)


def rollup(projects: Iterable[ProjectResult], region: str | RegionRules = DEFAULT_REGION) -> Rollup:
    """Return the roll-up of ``projects`` (see the module docstring for the three rates).

    Raises JX-E652 when there is no project at all, JX-E651 for invalid weights.
    """
    rules = get_rules(region)
    weights, choice = rollup_weights(rules)
    lines: Sequence[ProjectResult] = tuple(projects)
    if not lines:
        raise ScoringError(
            "该部门当年没有可汇总的项目（没有已批复项目的自评表）",
            "the department has no project to roll up for the year (no self-evaluation of an approved project)",
            code="JX-E652",
        )
    done = [p for p in lines if p.grade is not None]
    missing = tuple(p.name for p in lines if p.grade is None)
    budget = sum((p.budget or Decimal(0) for p in done), Decimal(0))
    executed = sum((p.executed or Decimal(0) for p in done), Decimal(0))
    places = rules.score_places
    rate = _share(executed, budget, rules.rate_places) if budget > 0 else None
    good = sum(1 for p in done if p.grade in (EXCELLENT, GOOD))
    indicators = sum(p.indicators for p in done)
    met = sum(p.met for p in done)
    good_share = _share(good, len(done), rules.rate_places)
    met_share = _share(met, indicators, rules.rate_places)
    # Points from the unrounded ratios, as the project budget score is (§5.2): min(rate, 100%) × w.
    exec_points = (
        quantize(min(executed / budget, Decimal(1)) * weights.execution, places) if budget > 0 else None
    )
    good_points = quantize(Decimal(good) / len(done) * weights.good, places) if done else None
    met_points = quantize(Decimal(met) / indicators * weights.met, places) if indicators else None
    score = grade = None
    if exec_points is not None and good_points is not None and met_points is not None:
        score = quantize(exec_points + good_points + met_points, places)
        grade = rules.grade_for(score)
    figures = RollupFigures(
        budget=budget if done else None,
        executed=executed if done else None,
        execution_rate=rate,
        good_share=good_share,
        met_share=met_share,
        score=score,
        grade=grade,
    )
    return Rollup(
        figures,
        weights,
        choice,
        tuple(lines),
        missing,
        exec_points,
        good_points,
        met_points,
        len(done),
        good,
        indicators,
        met,
    )
