"""The review engine: run the profile's rules over declarations, grade each, summarise the batch."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao.domain.bulk import gc_paused
from jixiao.domain.errors import InputError
from jixiao.domain.i18n import N_, tr
from jixiao.domain.model import Declaration
from jixiao.domain.vocabulary import EXCELLENT, consequence, grade_label
from jixiao.review import rules as _rules  # noqa: F401  (registers the catalogue)
from jixiao.review.claims import forget as forget_claims
from jixiao.review.grading import CONSEQUENCE_PROVENANCE, GRADES, SCORE_PROVENANCE
from jixiao.review.lexicon import forget_rows
from jixiao.review.peers import PeerBenchmarks
from jixiao.review.profiles import Settings, resolve
from jixiao.review.registry import (
    FAMILIES,
    FIELD_LABELS,
    RULES,
    SEVERITIES,
    Context,
    Evidence,
    Finding,
    Rule,
    family_label,
)
from jixiao.review.rules.ambition import unit_key

__all__ = [
    "DeclarationReview",
    "ReviewReport",
    "review",
    "review_each",
    "run_batch_rules",
    "run_single_rules",
]

_SEVERITY_ORDER = {s: n for n, s in enumerate(SEVERITIES)}


@dataclass(slots=True)
class DeclarationReview:
    """The findings, score and grade of one declaration."""

    declaration: Declaration
    findings: list[Finding] = field(default_factory=list)
    score: Decimal = Decimal(100)
    grade: str = EXCELLENT
    # Fields the reader did not find on the form: the grade rests on an incomplete reading.
    unread: list[str] = field(default_factory=list)

    @property
    def unit(self) -> str:
        """Return the unit the declaration is compared within (implementing unit, else department)."""
        return unit_key(self.declaration)[0]

    def counts(self) -> dict[str, int]:
        """Return the number of findings per severity."""
        c = Counter(f.severity for f in self.findings)
        return {s: c.get(s, 0) for s in SEVERITIES}

    def consequence(self, lang: str = "zh") -> str:
        """Return what the grade means for the budget (财预〔2015〕88号)."""
        return consequence(self.grade, lang)

    def grade_label(self, lang: str = "zh") -> str:
        """Return the grade as printed: 良 / Good."""
        return grade_label(self.grade, lang)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """Return the JSON object: project, grade, score, findings (and more)."""
        d = self.declaration
        return {
            "project": d.project.name,
            "unit": self.unit,
            "year": d.year,
            "source": {
                k: v
                for k, v in (
                    ("file", d.source.file),
                    ("form_index", d.source.form_index),
                    ("line", d.source.line),
                )
                if v is not None
            },
            "grade": self.grade,
            "grade_label": self.grade_label(lang),
            "score": float(self.score),
            # The points are jixiao's own deduction table (88号 defines the grades, not points).
            "score_basis": SCORE_PROVENANCE.to_dict(lang),
            "consequence": self.consequence(lang),
            "consequence_basis": CONSEQUENCE_PROVENANCE.to_dict(lang),
            "counts": self.counts(),
            "findings": [f.to_dict(lang) for f in self.findings],
            "reading": {
                "complete": not self.unread,
                "not_found": list(self.unread),
                "note": ""
                if not self.unread
                else tr("等级基于不完整的读取结果：部分栏目未能从表格中读出", lang),
            },
        }


@dataclass(slots=True)
class ReviewReport:
    """The result of :func:`review`: one :class:`DeclarationReview` per declaration and a summary."""

    settings: Settings
    declarations: list[DeclarationReview]
    skipped: int = 0

    @property
    def profile(self) -> str:
        """Return the profile key."""
        return self.settings.profile.key

    def findings(self) -> Iterable[tuple[DeclarationReview, Finding]]:
        """Yield every (declaration review, finding) pair in report order."""
        for dr in self.declarations:
            for f in dr.findings:
                yield dr, f

    def summary(self, lang: str = "zh", top: int = 10) -> dict[str, Any]:
        """Return the batch summary: grades, frequent findings, quantification ratio, units."""
        return summarise(self, lang, top)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """Return the JSON report: profile, declarations, summary, and the rules and grading used."""
        return {
            "profile": self.profile,
            "profile_title": self.settings.profile.title,
            "framework": self.settings.framework.key,
            "declarations": [dr.to_dict(lang) for dr in self.declarations],
            "summary": self.summary(lang),
            "grading": self.settings.grading.to_dict(lang),
            "rules": [
                {
                    "code": r.rule.code,
                    "family": r.rule.family,
                    "severity": r.severity,
                    "title": r.rule.title(lang),
                    "params": dict(r.params),
                    **r.source.to_dict(lang),
                    "basis": r.source.basis_zh,
                }
                for r in self.settings.rules
            ],
        }

    def to_json(self, lang: str = "zh", indent: int | None = 2) -> str:
        """Return :meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(lang), ensure_ascii=False, indent=indent)


def run_single_rules(
    declarations: list[Declaration], settings: Settings, peers: PeerBenchmarks | None = None
) -> list[list[Finding]]:
    """Return the findings of the single-declaration rules, one list per declaration (``peers``: the
    peer data the peer rules read, see :mod:`jixiao.review.peers`)."""
    return list(_single_findings(declarations, settings, peers))


def _single_findings(
    declarations: Iterable[Declaration], settings: Settings, peers: PeerBenchmarks | None
) -> Iterator[list[Finding]]:
    """Yield the single-declaration rules' findings of each declaration in turn (see run_single_rules)."""
    active = [
        (
            r.rule.check,
            r.rule,
            r.severity,
            r.provenance,
            Context(settings.profile.key, settings.framework, r.params, peers),
        )
        for r in settings.rules
        if r.rule.scope == "declaration"
    ]
    for decl in declarations:
        bucket: list[Finding] = []
        append = bucket.append
        for check, rule, severity, provenance, ctx in active:
            for hit in check(decl, ctx):
                hit.rule = rule
                hit.severity = severity
                hit.provenance = provenance
                append(hit)
        yield bucket


def run_batch_rules(
    declarations: list[Declaration], settings: Settings, peers: PeerBenchmarks | None = None
) -> list[list[Finding]]:
    """Return the findings of the batch rules (a unit's norms, boilerplate, duplicates)."""
    out: list[list[Finding]] = [[] for _ in declarations]
    for resolved in settings.rules:
        if resolved.rule.scope != "batch":
            continue
        ctx = Context(settings.profile.key, settings.framework, resolved.params, peers)
        for index, hit in resolved.rule.check(declarations, ctx):
            finding = resolved.rule.finding(hit, resolved.severity)
            finding.provenance = resolved.provenance
            out[index].append(finding)
    return out


def _sort_key(f: Finding) -> tuple[int, int, str]:
    index = f.evidence.index if f.evidence.index is not None else -1
    return (index, _SEVERITY_ORDER[f.severity], f.code)


def review(
    declarations: Iterable[Any],
    profile: str = "shanghai-2022",
    config: Mapping[str, Any] | None = None,
    peers: PeerBenchmarks | None = None,
) -> ReviewReport:
    """Return the :class:`ReviewReport` of ``declarations`` under ``profile``.

    ``peers`` is what other units targeted, the units' last actuals and the text shared across units
    (:class:`~jixiao.review.peers.PeerBenchmarks`, from a database or a corpus); without it the peer
    rules (JX-A09, JX-A10, JX-R17) are silent.
    ``declarations`` may hold other documents (self-evaluations): they are skipped and counted.
    ``config`` switches rules off or changes thresholds and the grading table (see
    :mod:`jixiao.review.profiles`). Raises InputError for an unknown profile or a bad configuration.
    """
    settings = resolve(profile, config)
    decls, skipped = _declarations_of(declarations)
    try:
        with gc_paused():
            single = run_single_rules(decls, settings, peers)
            batch = run_batch_rules(decls, settings, peers)
    finally:
        forget_rows()
        forget_claims()
    reviews = [
        _declaration_review(decl, own + shared, settings)
        for decl, own, shared in zip(decls, single, batch, strict=True)
    ]
    return ReviewReport(settings, reviews, skipped)


def review_each(
    declarations: Iterable[Any],
    profile: str = "shanghai-2022",
    config: Mapping[str, Any] | None = None,
    peers: PeerBenchmarks | None = None,
) -> Iterator[DeclarationReview]:
    """Return the reviews :func:`review` would give, one at a time, in the order of ``declarations``.

    The batch rules run before this returns (they read the whole batch); each declaration's own
    rules run when its review is asked for, so that a caller writing the results as they come (a
    bulk import streaming its rows to the database) overlaps the review with the database's work.
    Self-evaluations are skipped. Raises as :func:`review` does, before anything is yielded.
    """
    settings = resolve(profile, config)
    decls, _ = _declarations_of(declarations)
    try:
        with gc_paused():
            batch = run_batch_rules(decls, settings, peers)
    except BaseException:
        forget_rows()
        forget_claims()
        raise
    return _each_review(decls, batch, settings, peers)


def _each_review(
    decls: list[Declaration], batch: list[list[Finding]], settings: Settings, peers: PeerBenchmarks | None
) -> Iterator[DeclarationReview]:
    try:
        with gc_paused():
            for decl, own, shared in zip(decls, _single_findings(decls, settings, peers), batch, strict=True):
                yield _declaration_review(decl, own + shared, settings)
    finally:
        forget_rows()
        forget_claims()


def _declarations_of(declarations: Iterable[Any]) -> tuple[list[Declaration], int]:
    """Return the declarations among ``declarations`` and the count of the other documents."""
    if isinstance(declarations, Declaration):
        declarations = [declarations]
    decls: list[Declaration] = []
    skipped = 0
    for doc in declarations:
        if isinstance(doc, Declaration):
            decls.append(doc)
        else:
            skipped += 1
    return decls, skipped


def _declaration_review(decl: Declaration, found: list[Finding], settings: Settings) -> DeclarationReview:
    """Return the review of ``decl`` from all its findings (its own rules' first, then the batch's)."""
    findings, problems, unread = _read_problems(decl, found)
    findings.sort(key=_sort_key)
    score = settings.grading.score(findings)  # a read problem is not the filler's: no deduction
    grade = settings.grading.grade(score, any(f.severity == "error" for f in findings))
    return DeclarationReview(decl, sorted(findings + problems, key=_sort_key), score, grade, unread)


# A finding about a field the reader could not find would blame the filler for the reader's miss:
# it is replaced by this one, which says what was not read (DESIGN.md "Reading = grid + interpreter").
READ_PROBLEM = Rule(
    code="JX-R01",
    family="completeness",
    severity="info",
    title_zh=N_("表格未能完整读取"),
    message_zh=N_("读取时未在表格中找到「{label}」，与之相关的审核未进行，请对照原表核对"),
    basis="jixiao 读取结果：栏目未找到属于读取问题，不是填报问题",
    scope="declaration",
    check=lambda decl, ctx: (),
)


def _read_problems(
    decl: Declaration, findings: list[Finding]
) -> tuple[list[Finding], list[Finding], list[str]]:
    """Split off findings on fields the reader did not find; return (kept, read problems, unread paths)."""
    unread = sorted(path for path, read in decl.fields.items() if read.status == "not_found")
    if not unread:
        return findings, [], []
    kept: list[Finding] = []
    hidden: list[str] = []
    missing = set(unread)
    for f in findings:
        path = f.evidence.field
        # The unread field that holds ``path``: the path itself or a part of it ending before a "."
        # or a "["; of several, the first in sorted order (a lookup per part, not a scan of unread).
        hit = min((u for u in _containers(path) if u in missing), default=None) if path else None
        if hit is None:
            kept.append(f)
        elif hit not in hidden:
            hidden.append(hit)
    problems = []
    for path in hidden:
        label = FIELD_LABELS.get(path, path)
        problem = READ_PROBLEM.finding(Finding(Evidence(field=path), {"label": label}))
        problems.append(problem)
    # The reading is incomplete where a check could not be made, or a field every form has is missing;
    # a field the layout simply does not have (项目性质 on the Shanghai 2022 form) is not a gap.
    gaps = sorted(set(hidden) | (set(unread) & _CORE_FIELDS))
    return kept, problems, gaps


def _containers(path: str) -> list[str]:
    """Return ``path`` and each leading part of it that ends before a "." or a "[" (``a.b[0]``: ``a``, ``a.b``)."""
    return [path, *(path[:n] for n, ch in enumerate(path) if ch in ".[")]


_CORE_FIELDS = frozenset({"project.name", "year", "indicators"})


def require_declarations(docs: Iterable[Any]) -> list[Declaration]:
    """Return the declarations among ``docs``; InputError JX-E105 (no form of this kind) when there are none."""
    decls = [d for d in docs if isinstance(d, Declaration)]
    if not decls:
        raise InputError("输入中没有绩效目标申报表", "the input holds no declaration", code="JX-E105")
    return decls


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def summarise(report: ReviewReport, lang: str = "zh", top: int = 10) -> dict[str, Any]:
    """Return the batch summary of ``report`` (see :meth:`ReviewReport.summary`)."""
    grades = Counter(dr.grade for dr in report.declarations)
    by_code: Counter[str] = Counter()
    decls_by_code: dict[str, set[int]] = defaultdict(set)
    severities: Counter[str] = Counter()
    families: Counter[str] = Counter()
    indicators = measurable = 0
    units: dict[str, dict[str, Any]] = {}
    for n, dr in enumerate(report.declarations):
        inds = dr.declaration.indicators
        m = sum(1 for i in inds if i.target.measurable)
        indicators += len(inds)
        measurable += m
        u = units.setdefault(
            dr.unit,
            {
                "unit": dr.unit,
                "declarations": 0,
                "score_total": Decimal(0),
                "grades": Counter(),
                "indicators": 0,
                "measurable": 0,
                "findings": Counter(),
            },
        )
        u["declarations"] += 1
        u["score_total"] += dr.score
        u["grades"][dr.grade] += 1
        u["indicators"] += len(inds)
        u["measurable"] += m
        for f in dr.findings:
            by_code[f.code] += 1
            decls_by_code[f.code].add(n)
            severities[f.severity] += 1
            families[f.family] += 1
            u["findings"][f.severity] += 1
    n_decl = len(report.declarations)
    total_score = sum((dr.score for dr in report.declarations), Decimal(0))
    return {
        "declarations": n_decl,
        "skipped_documents": report.skipped,
        "indicators": indicators,
        "measurable_indicators": measurable,
        "quantification_ratio": _ratio(measurable, indicators),
        "mean_score": round(float(total_score / n_decl), 2) if n_decl else None,
        "grades": {g: grades.get(g, 0) for g in GRADES},
        "severity_counts": {s: severities.get(s, 0) for s in SEVERITIES},
        "families": {k: families.get(k, 0) for k in FAMILIES},
        "family_titles": {k: family_label(k, lang) for k in FAMILIES},
        "top_findings": [
            {
                "code": code,
                "title": RULES[code].title(lang),
                "family": RULES[code].family,
                "count": count,
                "declarations": len(decls_by_code[code]),
            }
            for code, count in sorted(by_code.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        ],
        "units": [
            {
                "unit": u["unit"],
                "declarations": u["declarations"],
                "mean_score": round(float(u["score_total"] / u["declarations"]), 2),
                "grades": {g: u["grades"].get(g, 0) for g in GRADES},
                "quantification_ratio": _ratio(u["measurable"], u["indicators"]),
                "findings": {s: u["findings"].get(s, 0) for s in SEVERITIES},
            }
            for u in sorted(units.values(), key=lambda u: str(u["unit"]))
        ],
    }
