"""One checker behind the editor's live check, the stored review and the grade.

What is green while typing is green after saving: the live check runs the same review as the save
(:func:`jixiao.review.review` on the declaration as typed) and reads each indicator's verdict from
its findings; the grade's explanation lists the same findings as deductions from the table in force
(:class:`jixiao.review.grading.Grading`, jixiao's own deduction table; the bands follow 财预〔2015〕88号).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from jixiao.domain.model import Declaration
from jixiao.domain.targets import Target
from jixiao.review.engine import review
from jixiao.review.grading import Grading
from jixiao.review.peers import PeerBenchmarks
from jixiao.review.profiles import resolve
from jixiao.review.registry import RULES

__all__ = ["Check", "Deduction", "check_declaration", "explain_grade", "indicator_status"]

Status = Literal["ok", "warning", "error"]


@dataclass(frozen=True, slots=True)
class Deduction:
    """Points one rule took off: ``count`` findings × ``each`` points, at most ``cap`` (per rule code)."""

    code: str
    title_zh: str
    title_en: str
    severity: str
    count: int
    each: Decimal
    points: Decimal
    capped: bool

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (the grade panel, the API)."""
        return {
            "code": self.code,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "severity": self.severity,
            "count": self.count,
            "each": str(self.each),
            "points": str(self.points),
            "capped": self.capped,
        }


@dataclass(frozen=True, slots=True)
class Check:
    """The review of one declaration as typed: findings per indicator, the score and the grade."""

    findings: list[dict[str, Any]]
    by_indicator: dict[int, list[dict[str, Any]]]
    score: Decimal
    grade: str
    deductions: list[Deduction] = field(default_factory=list)

    def status(self, index: int, target: Target) -> Status:
        """Return the verdict of indicator ``index`` (the colour of the live check)."""
        return indicator_status(target, self.by_indicator.get(index, []))


def indicator_status(target: Target, findings: Iterable[Mapping[str, Any]]) -> Status:
    """Return ``error`` for an unreadable target or an error finding, ``warning`` for any other
    warning (an unmeasurable 大幅提升 is one), else ``ok``."""
    severities = {f.get("severity") for f in findings}
    if target.kind == "invalid" or "error" in severities:
        return "error"
    if "warning" in severities:
        return "warning"
    return "ok"


def explain_grade(findings: Iterable[Mapping[str, Any]], grading: Grading) -> list[Deduction]:
    """Return the deductions ``grading`` makes for ``findings`` (stored or fresh), largest first.

    The arithmetic is :meth:`Grading.score`'s: per rule code and severity, count × points, capped.
    """
    counts: dict[tuple[str, str], int] = {}
    for f in findings:
        key = (str(f.get("code")), str(f.get("severity")))
        counts[key] = counts.get(key, 0) + 1
    out = []
    for (code, severity), count in counts.items():
        each = grading.deductions.get(severity, Decimal(0))
        amount = each * count
        cap = grading.cap_per_rule.get(severity)
        capped = cap is not None and amount >= cap
        rule = RULES.get(code)
        title_zh, title_en = (rule.title_zh, rule.title_en) if rule is not None else (code, code)
        out.append(
            Deduction(
                code,
                title_zh,
                title_en,
                severity,
                count,
                each,
                cap if capped and cap is not None else amount,
                capped,
            )
        )
    return sorted(out, key=lambda d: (-d.points, d.code))


def grading_for(profile: str) -> Grading:
    """Return the deduction table of ``profile``."""
    return resolve(profile).grading


def check_declaration(decl: Declaration, profile: str, peers: PeerBenchmarks | None = None) -> Check:
    """Review ``decl`` as typed with ``profile`` (and the peers' data the save is reviewed with) and
    return the findings per indicator and the grade."""
    report = review([decl], profile=profile, peers=peers)
    result = report.declarations[0]
    findings = [
        f.to_dict("zh") | {"title_zh": f.rule.title_zh, "title_en": f.rule.title_en} for f in result.findings
    ]
    by_indicator: dict[int, list[dict[str, Any]]] = {}
    for f in findings:
        index = (f.get("evidence") or {}).get("index")
        if isinstance(index, int):
            by_indicator.setdefault(index, []).append(f)
    deductions = explain_grade(findings, grading_for(profile))
    return Check(findings, by_indicator, result.score, result.grade, deductions)
