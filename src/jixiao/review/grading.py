"""Grade a reviewed declaration 优/良/中/差 from a documented, configurable deduction table.

No national or Shanghai points sheet for target review was found (domain-rules.md §3.3), so the
table is ours and configurable. The default:

==========  ====================  ===========================
severity    deduction per finding  at most, per rule code
==========  ====================  ===========================
error       10                    20
warning     3                     6
info        0.5                   1
==========  ====================  ===========================

score = 100 − Σ deductions (never below 0); bands 优 ≥90, 良 ≥80, 中 ≥60, 差 <60 (the MOF bands of
domain-rules.md §5.5, reused); a declaration with any error is at best 中 (it must be corrected and
resubmitted). The cap per rule code keeps one repeated problem (three completion rates) from
outweighing several distinct ones. Consequences are 财预〔2015〕88号's (domain-rules.md §3.2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.domain.i18n import N_, tr
from jixiao.domain.provenance import Provenance, jixiao_own
from jixiao.domain.vocabulary import CONSEQUENCES, EXCELLENT, FAIR, GOOD, GRADES, POOR, grade_label
from jixiao.review.registry import Finding, severity_label

__all__ = [
    "BANDS_PROVENANCE",
    "CONSEQUENCES",
    "CONSEQUENCE_PROVENANCE",
    "DEFAULT_GRADING",
    "GRADES",
    "SCORE_LABEL",
    "SCORE_PROVENANCE",
    "Grading",
]

# What the review's points rest on. 88号 names the four grades and their consequences; it gives no
# points, and no national or Shanghai sheet was found (domain-rules.md §3.3, §10): the table is ours.
SCORE_PROVENANCE = jixiao_own(
    "jixiao 自定扣分表：100 分起，错误 −10、警告 −3、提示 −0.5（同一规则有上限）；财预〔2015〕88号 只规定"
    "优/良/中/差四个等级及其后果，没有分数",
    "jixiao's own deduction table (100 minus 10 per error, 3 per warning, 0.5 per note, capped per rule); "
    "财预〔2015〕88号 defines the four grades and their consequences, not points",
)
BANDS_PROVENANCE = jixiao_own(
    "借用自评总分的等级线（优≥90、良≥80、中≥60，财预〔2020〕10号）；用于目标审核的扣分是 jixiao 的做法",
    "the self-evaluation grade bands (90/80/60, 10号) reused; applying them to a review is jixiao's choice",
)
CONSEQUENCE_PROVENANCE = Provenance(
    "official",
    "财预〔2015〕88号 第二十五条：优直接进入下一步预算安排流程；良协商完善后进入；中修改完善后重新报送；"
    "差不得进入下一步预算安排流程",
    "财预〔2015〕88号 Art. 25: the consequences of 优/良/中/差",
)
# How a score is labelled wherever it appears (text, HTML, xlsx): it is not an official number.
SCORE_LABEL = N_("jixiao 自定扣分表得分（非官方）")

# The grades and their consequences (财预〔2015〕88号) are jixiao.domain.vocabulary's.
_BEST_WITH_ERROR = jixiao_own("有错误的申报表须修改后重新报送，对应88号「中」的后果")

DEFAULT_GRADING: dict[str, Any] = {
    "start": 100,
    "deductions": {"error": 10, "warning": 3, "info": 0.5},
    "cap_per_rule": {"error": 20, "warning": 6, "info": 1},
    "bands": [[EXCELLENT, 90], [GOOD, 80], [FAIR, 60], [POOR, 0]],
    "best_grade_with_error": FAIR,
}


def _dec(value: Any, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(f"{what}: expected a number")
    result = Decimal(str(value))
    if not result.is_finite() or result < 0:
        raise ValueError(f"{what}: expected a non-negative number")
    return result


@dataclass(frozen=True, slots=True)
class Grading:
    """The deduction table and the grade bands in force."""

    start: Decimal
    deductions: Mapping[str, Decimal]
    cap_per_rule: Mapping[str, Decimal]
    bands: tuple[tuple[str, Decimal], ...]
    best_grade_with_error: str | None

    @classmethod
    def from_config(cls, base: dict[str, Any], override: Mapping[str, Any]) -> Grading:
        """Return the grading of ``base`` (DEFAULT_GRADING) with ``override`` laid over it."""
        unknown = set(override) - set(base)
        if unknown:
            raise ValueError(f"unknown grading keys {sorted(unknown)}")
        for key in ("deductions", "cap_per_rule"):
            if key in override:
                if not isinstance(override[key], Mapping) or set(override[key]) - {
                    "error",
                    "warning",
                    "info",
                }:
                    raise ValueError(f"grading.{key}: expected error/warning/info")
                base[key] = {**base[key], **override[key]}
        for key in ("start", "bands", "best_grade_with_error"):
            if key in override:
                base[key] = override[key]
        bands_raw = base["bands"]
        if not isinstance(bands_raw, list) or not bands_raw:
            raise ValueError("grading.bands: expected a list of [grade, minimum]")
        bands: list[tuple[str, Decimal]] = []
        for item in bands_raw:
            if not isinstance(item, list | tuple) or len(item) != 2 or item[0] not in GRADES:
                raise ValueError("grading.bands: each band is [优|良|中|差, minimum]")
            bands.append((str(item[0]), _dec(item[1], "grading.bands")))
        bands.sort(key=lambda b: b[1], reverse=True)
        best = base["best_grade_with_error"]
        if best is not None and best not in GRADES:
            raise ValueError("grading.best_grade_with_error: 优, 良, 中, 差 or nothing")
        return cls(
            start=_dec(base["start"], "grading.start"),
            deductions={k: _dec(v, f"grading.deductions.{k}") for k, v in base["deductions"].items()},
            cap_per_rule={k: _dec(v, f"grading.cap_per_rule.{k}") for k, v in base["cap_per_rule"].items()},
            bands=tuple(bands),
            best_grade_with_error=best,
        )

    def score(self, findings: Iterable[Finding]) -> Decimal:
        """Return 100 minus the deductions of ``findings`` (capped per rule code), at least 0."""
        counts: dict[tuple[str, str], int] = {}
        for f in findings:  # count first: Decimal arithmetic once per rule code, not per finding
            key = (f.rule.code, f.severity)
            counts[key] = counts.get(key, 0) + 1
        total = Decimal(0)
        for (_code, severity), count in counts.items():
            amount = self.deductions.get(severity, Decimal(0)) * count
            cap = self.cap_per_rule.get(severity)
            total += amount if cap is None or amount < cap else cap
        return max(self.start - total, Decimal(0))

    def grade(self, score: Decimal, has_error: bool = False) -> str:
        """Return the grade of ``score``; with an error, no better than ``best_grade_with_error``."""
        grade = self.bands[-1][0]
        for name, minimum in self.bands:
            if score >= minimum:
                grade = name
                break
        if has_error and self.best_grade_with_error is not None:
            if GRADES.index(grade) < GRADES.index(self.best_grade_with_error):
                grade = self.best_grade_with_error
        return grade

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """Return the table in JSON form (for the report), with what each part rests on."""
        return {
            "start": float(self.start),
            "deductions": {k: float(v) for k, v in self.deductions.items()},
            "cap_per_rule": {k: float(v) for k, v in self.cap_per_rule.items()},
            "bands": [[name, float(minimum)] for name, minimum in self.bands],
            "best_grade_with_error": self.best_grade_with_error,
            "basis": {
                "deductions": SCORE_PROVENANCE.to_dict(lang),
                "bands": BANDS_PROVENANCE.to_dict(lang),
                "best_grade_with_error": _BEST_WITH_ERROR.to_dict(lang),
                "consequences": CONSEQUENCE_PROVENANCE.to_dict(lang),
            },
        }

    def provenance(self, lang: str = "zh") -> list[tuple[str, str, Provenance]]:
        """Return (key, title in ``lang``, provenance) for each part of the table (``jixiao rules``)."""
        sep = tr("，", lang)
        ded = sep.join(f"{severity_label(k, lang)} −{v:g}" for k, v in self.deductions.items())
        bands = sep.join(f"{grade_label(g, lang)} ≥{m:g}" for g, m in self.bands)
        best = grade_label(self.best_grade_with_error, lang) if self.best_grade_with_error else "—"
        return [
            ("grading.deductions", tr("扣分表（{table}）", lang, table=ded), SCORE_PROVENANCE),
            ("grading.bands", tr("等级线（{bands}）", lang, bands=bands), BANDS_PROVENANCE),
            (
                "grading.best_grade_with_error",
                tr("有错误时最高为「{grade}」", lang, grade=best),
                _BEST_WITH_ERROR,
            ),
            ("grading.consequences", tr("各等级的后果", lang), CONSEQUENCE_PROVENANCE),
        ]
