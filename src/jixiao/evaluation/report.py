"""Printed against computed: what ``jixiao score`` reports for each self-evaluation.

A printed number that disagrees with the rules is a :class:`Discrepancy`, never overwritten and
never silently accepted (review-pain-points.md E5: the real form S7 prints 执行率 86.19 %
where 215,457.6 / 250,000 gives 86.18 %, domain-rules.md §5.7). A missing deviation note where one
is required (§5.3) is reported the same way, under its field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from jixiao.domain.errors import ScoringError
from jixiao.domain.framework import canonical_level1
from jixiao.domain.i18n import normalize_lang, tr
from jixiao.domain.model import EvaluatedIndicator, SelfEvaluation
from jixiao.domain.money import format_amount
from jixiao.domain.provenance import Provenance, jixiao_own
from jixiao.domain.vocabulary import DEFAULT_REGION, grade_label
from jixiao.evaluation.config import (
    ACHIEVED,
    REASON_REQUIRED,
    REGION_RULES,
    SCORING_OPTIONS,
    RegionRules,
    get_rules,
)
from jixiao.evaluation.scoring import (
    Evaluation,
    IndicatorScore,
    cap_words,
    deduction_words,
    evaluate,
    quantize,
)

__all__ = [
    "Advisory",
    "Discrepancy",
    "advisories",
    "deviation",
    "discrepancies",
    "format_text",
    "score_report",
]


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """One printed value that differs from what the rules give (``printed``/``computed`` as text)."""

    field: str
    printed: str | None
    computed: str | None
    message_zh: str
    message_en: str

    def message(self, lang: str = "zh") -> str:
        """Return the message in ``lang``."""
        return self.message_en if normalize_lang(lang) == "en" else self.message_zh

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """Return ``{"field", "printed", "computed", "message"}`` in ``lang``."""
        return {
            "field": self.field,
            "printed": self.printed,
            "computed": self.computed,
            "message": self.message(lang),
        }


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _differs(printed: Decimal, computed: Decimal, places: int) -> bool:
    try:
        return quantize(printed, places) != computed
    except ScoringError:  # a printed number too large to round still differs
        return True


def _pct(value: Decimal) -> str:
    return format(quantize(value * 100, 1).normalize(), "f")


def deviation(ind: EvaluatedIndicator, row: IndicatorScore, rules: RegionRules) -> tuple[str, str] | None:
    """Return what happened against the target and whether a deviation note is required, or None.

    (zh, en), e.g. for ≤10 with an actual of 6: 「实际完成值 6 低于目标上限 10 达 40%（超额完成较多），
    须填写偏差原因分析及改进措施」. A row met exactly as planned has nothing to explain (None).
    """
    actual, target = (ind.actual or "").strip(), ind.target.text
    required_zh, required_en = "须填写偏差原因分析及改进措施", "a deviation note is required"
    ratio = row.ratio
    if row.note_required == "short":
        return (
            f"实际完成值「{actual}」未完全达成目标值「{target}」，{required_zh}",
            f"the actual '{actual}' falls short of '{target}': {required_en}",
        )
    if ratio is None or row.method not in ("positive", "equal", "reverse"):
        return None
    limit = rules.over_achievement_ratio - 1
    far_zh, far_en = f"偏离 {_pct(limit)}% 及以上属超额完成较多", f"{_pct(limit)}% or more is beaten by far"
    if row.method == "reverse" and ratio < 1:
        below = 1 - ratio
        if below < limit:
            return None
        need_zh = required_zh if row.note_required == "over" else "本地区规则只对正向指标要求说明，可不填写"
        need_en = (
            required_en if row.note_required == "over" else "this region asks for a note on ≥ targets only"
        )
        return (
            f"实际完成值「{actual}」低于目标上限「{target}」达 {_pct(below)}%（{far_zh}），{need_zh}",
            f"the actual '{actual}' is {_pct(below)}% below the limit '{target}' ({far_en}): {need_en}",
        )
    if row.method in ("positive", "equal") and ratio > 1:
        above = ratio - 1
        if above < limit:
            return None
        need_zh = (
            required_zh if row.note_required == "over" else "本地区规则只对正向指标（≥、>）要求说明，可不填写"
        )
        need_en = (
            required_en
            if row.note_required == "over"
            else "this region asks for a note on ≥ and > targets only"
        )
        return (
            f"实际完成值「{actual}」超过目标值「{target}」达 {_pct(above)}%（{far_zh}），{need_zh}",
            f"the actual '{actual}' exceeds '{target}' by {_pct(above)}% ({far_en}): {need_en}",
        )
    return None


def discrepancies(doc: SelfEvaluation, ev: Evaluation, rules: RegionRules) -> list[Discrepancy]:
    """Return every printed number of ``doc`` that disagrees with the evaluation ``ev``."""
    out: list[Discrepancy] = []
    b, cb = doc.budget, ev.budget
    places = rules.score_places
    if b.weight is not None and b.weight != cb.weight:
        out.append(
            Discrepancy(
                "budget.weight",
                _s(b.weight),
                _s(cb.weight),
                f"预算执行率分值应为 {cb.weight} 分，表上为 {b.weight} 分",
                f"the budget execution weight is {cb.weight}, the form prints {b.weight}",
            )
        )
    if (
        b.execution_rate is not None
        and cb.rate is not None
        and _differs(b.execution_rate, cb.rate, rules.rate_places)
    ):
        out.append(
            Discrepancy(
                "execution_rate",
                _s(b.execution_rate),
                _s(cb.rate),
                f"执行率表上为 {b.execution_rate}%，全年执行数 {format_amount(cb.executed)} ÷ 全年预算数 "
                f"{format_amount(cb.adjusted)} = {cb.rate}%",
                f"the form prints an execution rate of {b.execution_rate}%, but {format_amount(cb.executed)} / "
                f"{format_amount(cb.adjusted)} "
                f"= {cb.rate}%",
            )
        )
    if b.score is not None and cb.score is not None and _differs(b.score, cb.score, places):
        out.append(
            Discrepancy(
                "budget_score",
                _s(b.score),
                _s(cb.score),
                f"预算执行率得分表上为 {b.score}，按 min(执行率, 100%) × {cb.weight} 应为 {cb.score}",
                f"the form prints a budget score of {b.score}; min(rate, 100%) × {cb.weight} gives {cb.score}",
            )
        )
    for ind, row in zip(doc.indicators, ev.indicators, strict=True):
        field = f"indicators[{row.index}]"
        if (
            ind.score is not None
            and row.score is not None
            and row.method != "qualitative"
            and _differs(ind.score, row.score, places)
        ):
            zh = f"指标「{ind.name}」得分表上为 {ind.score}，按实际完成值「{ind.actual}」与目标值「{ind.target.text}」计算应为 {row.score}"
            if row.deduction:
                zh += f"（含偏离扣分 {row.deduction} 分）"
            en = (
                f"indicator '{ind.name}': the form prints {ind.score}, the actual '{ind.actual}' against "
                f"the target '{ind.target.text}' gives {row.score}"
            )
            if row.deduction:
                en += f" (after {row.deduction} points off for deviation)"
            elif row.note_required == "over" and ind.score < row.score:
                zh += "（超额完成较多时可按偏离度适度调减，但须在偏差原因分析中说明）"
                en += " (a large over-achievement may be marked down, but the deviation note must say why)"
            out.append(Discrepancy(f"{field}.score", _s(ind.score), _s(row.score), zh, en))
        if row.note_missing:
            why = deviation(ind, row, rules)
            why_zh, why_en = why or (
                "未完全达成目标，须填写偏差原因分析及改进措施",
                "a deviation note is required",
            )
            out.append(
                Discrepancy(
                    f"{field}.deviation_note",
                    ind.deviation_note,
                    "必填",
                    f"指标「{ind.name}」{why_zh}",
                    f"indicator '{ind.name}': {why_en} (the analysis of the deviation and corrective measures)",
                )
            )
    if doc.total_score is not None and ev.total is not None and _differs(doc.total_score, ev.total, places):
        out.append(
            Discrepancy(
                "total_score",
                _s(doc.total_score),
                _s(ev.total),
                f"总分表上为 {doc.total_score}，计算应为 {ev.total}"
                + (f"（{cap_words(ev, 'zh')}）" if ev.cap and ev.cap.lowered else ""),
                f"the form prints a total of {doc.total_score}, the rules give {ev.total}"
                + (f" ({cap_words(ev, 'en')})" if ev.cap and ev.cap.lowered else ""),
            )
        )
    rate = ev.budget.rate
    if (
        rules.option("low_execution_reason").key == REASON_REQUIRED
        and rate is not None
        and rate < rules.low_execution_threshold
        and not (doc.outcome or "").strip()
    ):
        region = rules.option("low_execution_reason").provenance.region or rules.title
        out.append(
            Discrepancy(
                "outcome",
                doc.outcome,
                "必填",
                f"预算执行率 {rate}% 低于 {rules.low_execution_threshold}%，须说明原因（{region}规定）",
                f"the execution rate {rate}% is below {rules.low_execution_threshold}%: a reason is required "
                f"({region}'s rule)",
            )
        )
    if doc.grade is not None and ev.grade is not None and doc.grade.strip() != ev.grade:
        out.append(
            Discrepancy(
                "grade",
                doc.grade,
                ev.grade,
                f"等级表上为「{doc.grade}」，总分 {ev.total} 对应「{ev.grade}」",
                f"the form prints the grade '{doc.grade}', a total of {ev.total} is '{ev.grade}'",
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class Advisory:
    """Something an auditor would query although no rule is broken (review-pain-points.md §E)."""

    code: str
    message_zh: str
    message_en: str
    provenance: Provenance = field(default_factory=lambda: advice_provenance())

    def message(self, lang: str = "zh") -> str:
        """Return the message in ``lang``."""
        return self.message_en if lang == "en" else self.message_zh

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """Return ``{"code", "message", "status", "basis", …}``."""
        return {"code": self.code, "message": self.message(lang), **self.provenance.to_dict(lang)}


# The honesty checks are an auditor's queries (review-pain-points.md E2–E4), not rules of a document.
def advice_provenance() -> Provenance:
    """Return the basis of the honesty checks: jixiao's own advice, from what auditors query."""
    return jixiao_own(
        "审计和财政抽查常见问题（review-pain-points E2–E4）：提示核实，不影响计分",
        "what auditors query (review-pain-points E2–E4): advice, the score is not changed",
    )


def _met(row: IndicatorScore) -> bool:
    """Return True when the row met its target: a qualitative row graded 达成 (whatever score the
    evaluator chose inside the band, 80 % of the weight included), a quantitative row at full marks."""
    if row.method == "qualitative":
        return row.grade == ACHIEVED
    score = row.before_deduction  # a far-exceeded row that lost points for it still met its target
    return score is not None and row.weight is not None and score >= row.weight


def _low_information(ind: EvaluatedIndicator) -> bool:
    """=100% on a completion rate, or a bare 及时: true of any project that was done (review-pain-points B4)."""
    name = "".join(ind.name.split())
    t = ind.target
    return (name.endswith(("完成率", "完成比例", "到位率", "执行率")) and t.value == 100) or t.text in (
        "及时",
        "按时",
    )


def _weight_advice(doc: SelfEvaluation, ev: Evaluation, rules: RegionRules) -> list[Advisory]:
    """JX-I606 heavy weight on a trivial row; JX-I607 一级 totals other than the region's split (B8)."""
    out: list[Advisory] = []
    groups: dict[str, list[int]] = {}
    for n, row in enumerate(ev.indicators):
        name = canonical_level1(row.level1)
        groups.setdefault(rules.level1_groups.get(name, name), []).append(n)
    totals: dict[str, Decimal] = {}
    for level, members in groups.items():
        weights = [ev.indicators[n].weight for n in members]
        if any(w is None for w in weights):
            return out
        total = sum((w for w in weights if w is not None), Decimal(0))
        totals[level] = total
        if len(members) < 2 or total <= 0:
            continue
        for n in members:
            w = ev.indicators[n].weight
            assert w is not None
            if w * 2 >= total and _low_information(doc.indicators[n]):
                out.append(
                    Advisory(
                        "JX-I606",
                        f"「{doc.indicators[n].name} {doc.indicators[n].target.text}」占{level} {total} 分中的 {w} 分："
                        "权重集中在形式性指标上",
                        f"'{doc.indicators[n].name}' carries {w} of the {total} points of {level}: the weight "
                        "sits on a row that says little",
                        jixiao_own(
                            "指标权重设置不合理：重权重放在 =100% 的形式性指标上（赤峰市审计局 2023，review-pain-points B8）",
                            "auditors' finding: heavy weights on trivial =100% rows (review-pain-points B8)",
                        ),
                    )
                )
    expected = dict(rules.level1_weights)
    if rules.satisfaction_level1 not in groups and rules.satisfaction_fallback in expected:
        expected[rules.satisfaction_fallback] += expected.pop(rules.satisfaction_level1, Decimal(0))
    differs = [
        f"{level} {totals.get(level, Decimal(0))}（默认 {weight}）"
        for level, weight in expected.items()
        if level in totals and totals[level] != weight
    ]
    if differs:
        out.append(
            Advisory(
                "JX-I607",
                "一级指标分值与默认分配不同：" + "、".join(differs) + "；请说明理由",
                "the level-1 weights differ from the default split: " + ", ".join(differs),
                rules.provenance("level1_weights"),
            )
        )
    return out


def advisories(doc: SelfEvaluation, ev: Evaluation, rules: RegionRules | None = None) -> list[Advisory]:
    """Return the honesty checks of review-pain-points.md E2–E4 on a scored self-evaluation.

    JX-I601 money and outputs disagree (执行率 below 90 % with every 产出 indicator met);
    JX-I602 the whole budget spent with some 产出 indicator not met (a qualitative 达成 is met);
    JX-I603 every actual copies its target; JX-I604 a satisfaction of 100 % (say how it was
    surveyed); JX-I606 half or more of a 一级's points on a trivial row (=100% 完成率, 及时) and
    JX-I607 一级 totals other than the region's split (review-pain-points B8); JX-I605 执行率 below 90 % with no 实际完成情况 explaining it, where the region's
    ``low_execution_reason`` option advises a reason (where it requires one, that is a discrepancy).
    """
    if rules is None:
        rules = REGION_RULES.get(ev.region) or get_rules()
    out: list[Advisory] = []
    rate = ev.budget.rate
    outputs = [r for r in ev.indicators if canonical_level1(r.level1) in ("产出指标", "成本指标")]
    met = bool(outputs) and all(_met(r) for r in outputs)
    if rate is not None and rate < 90 and met:
        out.append(
            Advisory(
                "JX-I601",
                f"预算执行率仅 {rate}%，而产出指标全部达成：请核实资金与产出是否匹配",
                f"only {rate}% of the budget was spent, yet every output indicator was met: "
                "check that money and outputs agree",
            )
        )
    if rate is not None and rate >= 100 and outputs and not met:
        short = "、".join(f"「{r.name}」" for r in outputs if not _met(r))
        out.append(
            Advisory(
                "JX-I602",
                f"预算已全部执行，但产出指标{short}未完成：请说明资金去向",
                f"the whole budget was spent but output {short} fell short: explain where the money went",
            )
        )
    copied = [i for i in doc.indicators if i.actual and "".join(i.actual.split()) == i.target.text]
    if len(doc.indicators) >= 3 and len(copied) == len(doc.indicators):
        out.append(
            Advisory(
                "JX-I603",
                "每一项实际完成值都与指标目标值完全相同：请填写实际测得的数值",
                "every actual value repeats its target: enter what was actually measured",
            )
        )
    for i in doc.indicators:
        if canonical_level1(i.level1) == "满意度指标" and i.actual and "".join(i.actual.split()) == "100%":
            out.append(
                Advisory(
                    "JX-I604",
                    f"「{i.name}」满意度为 100%：请说明调查方式、样本量和时间",
                    f"'{i.name}' reports 100% satisfaction: state the survey method, sample size and date",
                )
            )
    out.extend(_weight_advice(doc, ev, rules))
    reason = rules.option("low_execution_reason")
    if (
        reason.key != REASON_REQUIRED
        and rate is not None
        and rate < rules.low_execution_threshold
        and not (doc.outcome or "").strip()
    ):
        out.append(
            Advisory(
                "JX-I605",
                f"预算执行率 {rate}% 低于 {rules.low_execution_threshold}%，请在实际完成情况中说明原因",
                f"the execution rate {rate}% is below {rules.low_execution_threshold}%: explain why in the outcome",
                reason.provenance,
            )
        )
    return out


def _row_dict(ind: EvaluatedIndicator, row: IndicatorScore, rules: RegionRules, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {"name": row.name, "score": _s(row.score), "method": row.method}
    if row.method is not None:
        formula, prov = rules.formula(row.method)
        out["formula"] = formula
        out.update(prov.to_dict(lang))
    why = deviation(ind, row, rules)
    out["note_required"] = row.note_required is not None
    out["deviation"] = None if why is None else (why[1] if lang == "en" else why[0])
    out["deduction"] = _s(row.deduction)
    out["deduction_reason"] = deduction_words(row, rules, lang)
    return out


def cap_dict(ev: Evaluation, lang: str = "zh") -> dict[str, Any] | None:
    """Return the execution-rate cap of ``ev`` as JSON, or None when none applies."""
    if ev.cap is None:
        return None
    return {
        "rate": _s(ev.cap.rate),
        "below": _s(ev.cap.band.below),
        "cap": _s(ev.cap.band.cap),
        "uncapped_total": _s(ev.cap.uncapped),
        "lowered": ev.cap.lowered,
        "line": cap_words(ev, lang),
    }


def _methods_used(ev: Evaluation) -> list[str]:
    return list(dict.fromkeys(["budget", *(r.method for r in ev.indicators if r.method is not None)]))


def basis_of(ev: Evaluation, rules: RegionRules, lang: str = "zh") -> dict[str, Any]:
    """Return what a score rests on: each formula used, the grade bands, the options in force."""
    formulas = []
    for method in _methods_used(ev):
        text, prov = rules.formula(method, lang)
        formulas.append({"method": method, "formula": text, **prov.to_dict(lang)})
    return {
        "region": rules.key,
        "region_title": tr(rules.title, lang),
        "formulas": formulas,
        "grade_bands": {
            "bands": [[b.grade, str(b.minimum)] for b in rules.grade_bands],
            **rules.provenance("grade_bands").to_dict(lang),
        },
        "options": [opt.to_dict(rules.options.get(key), lang) for key, opt in SCORING_OPTIONS.items()],
    }


def _as_printed(doc: SelfEvaluation, rules: RegionRules) -> tuple[SelfEvaluation, list[Discrepancy]]:
    """Return ``doc`` ready to score as printed, and the inconsistencies of the form itself.

    Two things real forms carry (form-layouts.md §5): weights that do not total 90 beside the
    budget's 10 (they are scored as printed), and a bare number as the actual of a target with a unit
    (``735`` for ``≥700人次``: read in the target's unit). Each becomes a discrepancy.
    """
    notes: list[Discrepancy] = []
    weights = [i.weight for i in doc.indicators]
    if weights and all(w is not None for w in weights):
        total = sum((w for w in weights if w is not None), Decimal(0))
        if total != rules.indicator_total:
            notes.append(
                Discrepancy(
                    "indicators.weight",
                    _s(total),
                    _s(rules.indicator_total),
                    f"绩效指标分值合计为 {total}，应为 {rules.indicator_total}（预算执行率另占 "
                    f"{rules.budget_weight} 分）；按表上分值计分",
                    f"the indicator weights total {total}, not {rules.indicator_total} (the budget has the "
                    f"other {rules.budget_weight}); scored with the printed weights",
                )
            )
    fixed: list[EvaluatedIndicator] = []
    for n, ind in enumerate(doc.indicators):
        actual = (ind.actual or "").strip()
        unit = ind.target.unit if ind.target.kind in ("numeric", "range") else None
        if unit and _BARE_NUMBER.match(actual):
            notes.append(
                Discrepancy(
                    f"indicators[{n}].actual",
                    actual,
                    actual + unit,
                    f"指标「{ind.name}」的实际完成值「{actual}」未写单位，按指标值的单位「{unit}」计分",
                    f"indicator '{ind.name}': the actual '{actual}' has no unit; scored in the target's "
                    f"unit '{unit}'",
                )
            )
            ind = replace(ind, actual=actual + unit)
        fixed.append(ind)
    if not notes:
        return doc, []
    return replace(doc, indicators=fixed), notes


_BARE_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


def score_report(
    doc: SelfEvaluation, region: str | RegionRules = DEFAULT_REGION, lang: str = "zh"
) -> dict[str, Any]:
    """Return the ``jixiao score --format json`` object of one self-evaluation.

    ``{"project", "computed": {"budget_score", "indicators": [{"name", "score", "method", "formula",
    "status", "basis", "deviation", …}], "total_score", "grade"}, "printed": {…the same keys where the
    form printed them…}, "discrepancies": [{"field", "printed", "computed", "message"}], "advisories",
    "basis": {"region", "formulas", "grade_bands", "options"}}``: every formula with its basis and
    status. Raises the first :class:`ScoringError` of the document.
    """
    rules = get_rules(region)
    # A real form is scored as printed; what is inconsistent in it is a discrepancy, not a refusal.
    doc, as_printed = _as_printed(doc, rules)
    ev = evaluate(doc, rules, as_printed=True).raise_first()
    computed: dict[str, Any] = {
        "budget_score": _s(ev.budget.score),
        "indicators": [
            _row_dict(ind, row, rules, lang) for ind, row in zip(doc.indicators, ev.indicators, strict=True)
        ],
        "total_score": _s(ev.total),
        "grade": ev.grade,
        "cap": cap_dict(ev, lang),
    }
    printed: dict[str, Any] = {}
    if doc.budget.score is not None:
        printed["budget_score"] = _s(doc.budget.score)
    if any(ind.score is not None for ind in doc.indicators):
        printed["indicators"] = [{"name": i.name, "score": _s(i.score)} for i in doc.indicators]
    if doc.total_score is not None:
        printed["total_score"] = _s(doc.total_score)
    if doc.grade is not None:
        printed["grade"] = doc.grade
    return {
        "project": doc.project.name,
        "region": rules.key,
        "computed": computed,
        "printed": printed,
        "discrepancies": [d.to_dict(lang) for d in [*as_printed, *discrepancies(doc, ev, rules)]],
        "advisories": [a.to_dict(lang) for a in advisories(doc, ev, rules)],
        "basis": basis_of(ev, rules, lang),
    }


def format_text(
    doc: SelfEvaluation, report: dict[str, Any], lang: str = "zh", region: str | RegionRules = DEFAULT_REGION
) -> str:
    """Return ``report`` (from :func:`score_report`) as the lines ``jixiao score`` prints."""
    c, p = report["computed"], report["printed"]

    def printed(value: Any) -> str:
        return tr("（表上 {value}）", lang, value=value)

    year = tr("（{year}年度）", lang, year=doc.year) if doc.year else ""
    lines = [f"{doc.project.name}{year}"]
    shown_printed = p.get("budget_score")
    tail = ""
    if shown_printed is not None and Decimal(shown_printed) != Decimal(c["budget_score"]):
        tail = printed(shown_printed)
    lines.append("  " + tr("预算执行率得分 {score}", lang, score=c["budget_score"]) + tail)
    printed_rows = p.get("indicators") or [{} for _ in c["indicators"]]
    missing_notes = {d["field"] for d in report["discrepancies"] if d["field"].endswith(".deviation_note")}
    for n, (row, prow) in enumerate(zip(c["indicators"], printed_rows, strict=True)):
        ps = prow.get("score")
        differs = ps is not None and row["score"] is not None and Decimal(ps) != Decimal(row["score"])
        tail = printed(ps) if differs else ""
        lines.append(f"  {row['name']}  {row['score']}{tail}")
        if row.get("deviation") and f"indicators[{n}].deviation_note" not in missing_notes:
            lines.append(f"    · {row['deviation']}")
        if row.get("deduction_reason"):
            lines.append(f"    − {row['deduction_reason']}")
    if c.get("cap"):
        lines.append(f"  {c['cap']['line']}")
    total_tail = ""
    if "total_score" in p and Decimal(p["total_score"]) != Decimal(c["total_score"]):
        total_tail = printed(p["total_score"])
    grade = grade_label(c["grade"], lang) if c.get("grade") else c.get("grade")
    lines.append(
        "  "
        + tr(
            "总分 {total}{printed}  等级 {grade}",
            lang,
            total=c["total_score"],
            printed=total_tail,
            grade=grade,
        )
    )
    for d in report["discrepancies"]:
        lines.append("  ! " + tr("差异 {field}：{message}", lang, field=d["field"], message=d["message"]))
    for a in report.get("advisories", []):
        lines.append("  ? " + tr("提示 {code} {message}", lang, code=a["code"], message=a["message"]))
    if not report["discrepancies"]:
        lines.append("  " + tr("表上数字与规则一致", lang))
    basis = report.get("basis")
    if basis:
        lines.append("  " + tr("计分依据（{rules}）", lang, rules=basis["region_title"]))
        for f in basis["formulas"]:
            lines.append(f"    {f['formula']}  [{f['status_label']}] {f['basis']}")
        g = basis["grade_bands"]
        bands = tr("、", lang).join(f"{grade_label(name, lang)} ≥{m}" for name, m in g["bands"])
        lines.append("    " + tr("等级 {bands}", lang, bands=bands) + f"  [{g['status_label']}] {g['basis']}")
        for o in basis["options"]:
            mark = tr("默认", lang) if o["is_default"] else tr("本地区选择", lang)
            shown = tr(
                "{option}：{choice}（{mark}）",
                lang,
                option=o["title"],
                choice=o["choice"]["title"],
                mark=mark,
            )
            lines.append(f"    {shown}  [{o['choice']['status_label']}]")
    return "\n".join(lines)
