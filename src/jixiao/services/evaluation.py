"""Use cases of the evaluation pages: who may do what, form input to documents, save, publish,
and the dashboard's aggregates. Scoring and monitoring themselves are :mod:`jixiao.evaluation`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from jixiao.db.declarations.models import Declaration, Status
from jixiao.db.evaluation.models import (
    EvaluationStatus,
    MonitoringRecord,
    ReportTransition,
    SelfEvaluationRecord,
)
from jixiao.domain import workflow as wf
from jixiao.domain.errors import JixiaoError, MoneyError, NotAllowed, ScoringError
from jixiao.domain.i18n import tr
from jixiao.domain.model import BudgetExecution, EvaluatedIndicator, Indicator, Project, SelfEvaluation
from jixiao.domain.model import Declaration as DomainDeclaration
from jixiao.domain.money import parse_amount
from jixiao.evaluation.config import REGION_RULES
from jixiao.evaluation.monitoring import MonitoredIndicator, MonitoringReport, MonitoringResult, monitor
from jixiao.evaluation.readiness import monitoring_problems, self_evaluation_problems
from jixiao.evaluation.scoring import Evaluation, default_weights, evaluate
from jixiao.formats.json import to_dict
from jixiao.formats.json_monitoring import from_dict as monitoring_from_dict
from jixiao.formats.json_monitoring import to_dict as monitoring_to_dict
from jixiao.services.declarations import WRITER_ROLES, domain_of, get_visible, stored_as
from jixiao.services.scope import is_signed_in, visible_declarations
from jixiao.services.steps import move, note_in_history
from jixiao.services.workflow import allowed_steps, check_step, decide_on

__all__ = [
    "EDITABLE_STATES",
    "EVALUABLE_STATES",
    "editable",
    "record_problems",
    "report_actions",
    "report_transition",
    "not_allowed",
    "FormResult",
    "can_publish",
    "can_write",
    "monitoring_from_post",
    "monitoring_initial",
    "publish",
    "save_monitoring",
    "save_self_evaluation",
    "self_evaluation_from_post",
    "self_evaluation_initial",
    "visible_monitoring",
    "visible_self_evaluations",
]

# Only an approved (or published) declaration is monitored and self-evaluated (DESIGN.md lifecycle).
EVALUABLE_STATES = (Status.APPROVED, Status.PUBLISHED)
# The unit changes a report only while it is its own: being filled in, or returned to it.
EDITABLE_STATES = (EvaluationStatus.DRAFT, EvaluationStatus.RETURNED)

Report = SelfEvaluationRecord | MonitoringRecord


def editable(record: Report | None) -> bool:
    """Return True when a report (or a report not yet written) may still be changed by the unit."""
    return record is None or record.status in EDITABLE_STATES


def not_allowed() -> NotAllowed:
    """Return the error for an action the user's role, scope or the record's state forbids."""
    return NotAllowed(
        "您没有此操作的权限（角色、组织范围或当前状态不允许）",
        "you may not do this (role, organisation scope or current state)",
    )


def can_write(user: Any, obj: Declaration) -> bool:
    """Return True when the user may fill in the declaration's monitoring and self-evaluation."""
    if not is_signed_in(user) or obj.status not in EVALUABLE_STATES:
        return False
    if user.is_admin_role:
        return True
    return user.role in WRITER_ROLES and user.organisation_id == obj.organisation_id


def can_publish(user: Any, record: SelfEvaluationRecord) -> bool:
    """Return True when ``user`` may publish ``record`` now (finance, in scope, reviewed, complete)."""
    if not is_signed_in(user):
        return False
    steps = {s.key for s in allowed_steps(wf.SELF_EVALUATION, user, record)}
    return "publish" in steps and not record_problems(record)


# --- the workflow --------------------------------------------------------------------------------


def _machine(record: Report) -> wf.Machine:
    return wf.SELF_EVALUATION if isinstance(record, SelfEvaluationRecord) else wf.MONITORING


def last_year_record(obj: Declaration, *, with_declaration: bool = False) -> SelfEvaluationRecord | None:
    """Return the self-evaluation of the same unit and project in the year before ``obj``'s, if any.

    A continuing project is known by its unit and name (its declaration is a new one each year).
    """
    if obj.year is None:
        return None
    records = SelfEvaluationRecord.objects.filter(
        organisation_id=obj.organisation_id, year=obj.year - 1, project_name=obj.project_name
    )
    return (records.select_related("declaration") if with_declaration else records.only("document")).first()


def actuals_of(document: Mapping[str, Any]) -> dict[str, str]:
    """Return the 实际完成值 by 三级指标 name that a stored self-evaluation records."""
    return {
        str(i.get("name")): str(i["actual"])
        for i in document.get("indicators") or []
        if i.get("name") and i.get("actual")
    }


def previous_actuals(obj: Declaration) -> dict[str, str]:
    """Return last year's 实际完成值 by 三级指标 of the same unit and project, when jixiao holds them.

    The baseline of a relative target (较上年提高5个百分点) is the unit's own previous self-evaluation.
    """
    record = last_year_record(obj)
    return {} if record is None else actuals_of(record.document)


def previous_actuals_of_year(year: int, organisations: Any) -> dict[tuple[int, str], dict[str, str]]:
    """Return :func:`previous_actuals` of every project of ``organisations`` (ids or a query of
    them) in ``year``, by (organisation id, project name): one query for a whole year's report."""
    out: dict[tuple[int, str], dict[str, str]] = {}
    records = SelfEvaluationRecord.objects.filter(year=year - 1, organisation_id__in=organisations)
    # By the model's order, as last_year_record takes the first of several.
    for org_id, name, document in records.order_by("project_name", "id").values_list(
        "organisation_id", "project_name", "document"
    ):
        out.setdefault((org_id, name), actuals_of(document))
    return out


def evaluate_for(
    obj: Declaration, doc: SelfEvaluation, previous: Mapping[str, str] | None = None
) -> Evaluation:
    """Return ``doc`` scored with the region's rules and last year's actuals of the same project
    (``previous``, when the caller has read them already: see :func:`previous_actuals_of_year`)."""
    return evaluate(doc, rules(), previous=previous_actuals(obj) if previous is None else previous)


def record_problems(record: Report) -> list[wf.Problem]:
    """Return what the rules find missing in a stored report (empty when it may move on)."""
    if isinstance(record, SelfEvaluationRecord):
        doc = stored_as(record.document, SelfEvaluation)
        return self_evaluation_problems(doc, evaluate_for(record.declaration, doc))
    return monitoring_problems(monitor(monitoring_from_dict(record.document), rules()))


def report_actions(user: Any, record: Report | None) -> list[wf.Step]:
    """Return the workflow steps ``user`` may take on ``record`` now (buttons)."""
    if record is None:
        return []
    return allowed_steps(_machine(record), user, record)


def report_transition(
    user: Any, record: Report, key: str, *, comment: str = "", confirmed: bool = False
) -> Report:
    """Take workflow step ``key`` on a self-evaluation or monitoring report and record who did it.

    A step that requires a complete report is refused (JX-E706) with the list of what is missing;
    publishing needs ``confirmed`` (JX-E708); returns need a comment (JX-E705).
    """
    machine = _machine(record)
    step = check_step(machine, user, record, key)
    decision = decide_on(machine, step, user, record, record_problems, comment=comment, confirmed=confirmed)
    sev = isinstance(record, SelfEvaluationRecord)
    updates: dict[str, Any] = {}
    if decision.to_state == EvaluationStatus.PUBLISHED and sev:
        updates = {"published": timezone.now(), "published_by": user}
    with transaction.atomic():
        move(
            record,
            decision,
            user,
            ReportTransition,
            updates,
            self_evaluation=record if sev else None,
            monitoring=None if sev else record,
        )
        # One history row per step, so the history shows who moved it and why.
        note_in_history(record, user, step.label, decision.comment)
    return record


def visible_self_evaluations(user: Any) -> QuerySet[SelfEvaluationRecord]:
    """Return the self-evaluations the user may read (for the public: published ones of published
    declarations, since a self-evaluation repeats its declaration's name and indicators)."""
    if not is_signed_in(user):
        return SelfEvaluationRecord.objects.filter(
            status=EvaluationStatus.PUBLISHED, declaration__in=visible_declarations(None)
        )
    return SelfEvaluationRecord.objects.filter(declaration__in=visible_declarations(user))


def visible_monitoring(user: Any) -> QuerySet[MonitoringRecord]:
    """Return the monitoring reports in the user's subtree (none for the public)."""
    if not is_signed_in(user):
        return MonitoringRecord.objects.none()
    return MonitoringRecord.objects.filter(declaration__in=visible_declarations(user))


def get_evaluable(user: Any, pk: int) -> Declaration:
    """Return declaration ``pk`` when visible (NotFound otherwise)."""
    return get_visible(user, pk)


# --- form input ------------------------------------------------------------------------------


@dataclass
class FormResult:
    """A document built from a form, with the errors of fields that could not even be read."""

    field_errors: dict[str, str] = field(default_factory=dict)


_Row = TypeVar("_Row", EvaluatedIndicator, MonitoredIndicator)


def _report_row(cls: type[_Row], ind: Indicator, **values: Any) -> _Row:
    """Return the report's row for declared indicator ``ind``: its levels, name and target as
    declared, ``values`` what the report adds (actual, score; progress, forecast)."""
    return cls(level1=ind.level1, level2=ind.level2, name=ind.name, target=ind.target, **values)


def _budget(post: Mapping[str, Any], errors: dict[str, str], lang: str, **values: Any) -> BudgetExecution:
    """Return the 预算执行 amounts entered in the form (initial, adjusted, executed)."""
    return BudgetExecution(
        initial=_amount(post, "budget_initial", errors, lang),
        adjusted=_amount(post, "budget_adjusted", errors, lang),
        executed=_amount(post, "budget_executed", errors, lang),
        **values,
    )


def _amount(post: Mapping[str, Any], name: str, errors: dict[str, str], lang: str) -> Decimal | None:
    text = str(post.get(name) or "").strip()
    if not text:
        return None
    try:
        return parse_amount(text)
    except MoneyError as exc:
        errors[name] = exc.message(lang)
        return None


def _number(post: Mapping[str, Any], name: str, errors: dict[str, str], lang: str) -> Decimal | None:
    text = str(post.get(name) or "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
        if not value.is_finite() or abs(value) > 1000:
            raise InvalidOperation
        return value
    except InvalidOperation:
        errors[name] = tr("请输入 0–100 之间的数字", lang)
        return None


def _text(post: Mapping[str, Any], name: str, limit: int = 2000) -> str | None:
    text = str(post.get(name) or "").strip()[:limit]
    return text or None


def align_to_declaration(obj: Declaration, doc: SelfEvaluation) -> SelfEvaluation:
    """Return a self-evaluation still being written with the targets now in force.

    After a 绩效目标调整 the declaration's targets and 年度资金总额 change; a draft written before keeps
    its actuals and notes but is scored against the adjusted targets and the adjusted 全年预算数
    (domain-rules.md §5.2: 全年预算数 = 调整后预算数).
    """
    from jixiao.services.adjustments import in_force

    decl = domain_of(obj)
    changed = False
    if len(decl.indicators) == len(doc.indicators):
        for row, ind in zip(doc.indicators, decl.indicators, strict=True):
            if row.name == ind.name and row.target.text != ind.target.text:
                row.target, changed = ind.target, True
                if ind.target.kind != "qualitative":
                    row.score = None  # computed again; an evaluator's qualitative score stays
    annual = decl.funding.annual
    if in_force(obj) is not None and annual is not None and doc.budget.adjusted != annual:
        doc.budget.adjusted, changed = annual, True
    if changed:  # the figures stored with the draft were computed on the old targets
        doc.budget.execution_rate = doc.budget.score = doc.total_score = None
        doc.grade = None
    return doc


def self_evaluation_initial(obj: Declaration) -> SelfEvaluation:
    """Return the saved self-evaluation of ``obj``, or a new one from its approved declaration.

    A new one carries the declaration's indicators with the default weights (50/30/10 split,
    domain-rules.md §5.1) and its annual amount as 年初预算数 and 全年预算数.
    """
    from jixiao.services.adjustments import original_annual

    record = SelfEvaluationRecord.objects.filter(declaration=obj).first()
    if record is not None:
        doc = stored_as(record.document, SelfEvaluation)
        return align_to_declaration(obj, doc) if editable(record) else doc
    decl = domain_of(obj)
    rows = [_report_row(EvaluatedIndicator, i) for i in decl.indicators]
    try:
        weights: list[Decimal | None] = list(default_weights(rows, rules()))
    except ScoringError:
        weights = [None] * len(rows)
    for row, weight in zip(rows, weights, strict=True):
        row.weight = weight
    annual = decl.funding.annual
    initial = original_annual(obj) or annual  # 年初预算数 is the budget before a mid-year adjustment
    return SelfEvaluation(
        year=decl.year,
        project=decl.project,
        goals=decl.goals,
        budget=BudgetExecution(initial=initial, adjusted=annual, weight=Decimal(10)),
        indicators=rows,
    )


def self_evaluation_from_post(
    obj: Declaration, post: Mapping[str, Any], lang: str = "zh"
) -> tuple[SelfEvaluation, FormResult]:
    """Return the self-evaluation typed in the form, over the declaration's own indicators.

    Names and targets always come from the approved declaration (the unit cannot change them here);
    the form gives the budget, each 实际完成值, 分值, the evaluator's 得分 for qualitative rows and the
    deviation notes.
    """
    decl: DomainDeclaration = domain_of(obj)
    result = FormResult()
    errors = result.field_errors
    budget = _budget(post, errors, lang, weight=Decimal(10))
    rows = []
    for n, ind in enumerate(decl.indicators):
        rows.append(
            _report_row(
                EvaluatedIndicator,
                ind,
                actual=_text(post, f"actual_{n}", 200),
                baseline=_text(post, f"baseline_{n}", 100) if ind.target.kind == "relative" else None,
                weight=_number(post, f"weight_{n}", errors, lang),
                score=_number(post, f"score_{n}", errors, lang),
                deviation_note=_text(post, f"note_{n}"),
            )
        )
    doc = SelfEvaluation(
        year=decl.year,
        project=decl.project,
        goals=decl.goals,
        budget=budget,
        outcome=_text(post, "outcome"),
        indicators=rows,
    )
    return doc, result


def _by_form_field(errors: Iterable[Any], lang: str, field: Callable[[str | None], str]) -> dict[str, str]:
    """Map each error's message to the form field ``field`` names for its path (the last one wins)."""
    return {field(err.where.field): err.message_en if lang == "en" else err.message_zh for err in errors}


def form_errors(ev: Evaluation, lang: str) -> dict[str, str]:
    """Map the scorer's errors to form field names (``indicators[2].score`` → ``score_2``)."""
    return _by_form_field(ev.errors, lang, _form_field)


def _form_field(path: str | None) -> str:
    if not path:
        return "all"
    if path.startswith("budget"):
        return "budget_" + (path.split(".", 1)[1] if "." in path else "executed")
    if path.startswith("indicators["):
        index = path[len("indicators[") : path.index("]")]
        attr = path.split(".")[-1] if "." in path else "actual"
        return {"deviation_note": "note"}.get(attr, attr) + f"_{index}"
    return "weights" if path.startswith("indicators") else "all"


@transaction.atomic
def save_self_evaluation(
    user: Any, obj: Declaration, doc: SelfEvaluation
) -> tuple[SelfEvaluationRecord, Evaluation]:
    """Store ``doc`` with the scores the rules give (recomputed here, never typed in)."""
    if not can_write(user, obj):
        raise not_allowed()
    record = SelfEvaluationRecord.objects.select_for_update().filter(declaration=obj).first()
    if not editable(record):
        raise not_allowed()
    ev = evaluate_for(obj, doc)
    # Store the computed figures as the form's printed ones: what this system prints is what it computed.
    doc.budget.execution_rate = ev.budget.rate
    doc.budget.score = ev.budget.score
    for row, scored in zip(doc.indicators, ev.indicators, strict=True):
        if scored.score is not None:
            row.score = scored.score
    doc.total_score, doc.grade = ev.total, ev.grade
    fields = {
        "organisation": obj.organisation,
        "year": doc.year,
        "project_name": doc.project.name[:300],
        "document": to_dict(doc),
        "budget_score": ev.budget.score,
        "total_score": ev.total,
        "grade": ev.grade or "",
        "errors_count": len(ev.errors),
        "updated_by": user,
    }
    if record is None:
        record = SelfEvaluationRecord.objects.create(declaration=obj, **fields)
    else:
        for key, value in fields.items():
            setattr(record, key, value)
        record.save()
    return record, ev


def publish(user: Any, record: SelfEvaluationRecord, *, confirmed: bool = False) -> None:
    """Publish a reviewed, fully scored self-evaluation on the public pages (asks for confirmation)."""
    report_transition(user, record, "publish", confirmed=confirmed)


# --- monitoring --------------------------------------------------------------------------------


def monitoring_initial(obj: Declaration, month: int) -> MonitoringReport:
    """Return the saved report of ``obj`` at ``month``, or a new one from the declaration."""
    record = MonitoringRecord.objects.filter(declaration=obj, cutoff_month=month).first()
    if record is not None:
        return monitoring_from_dict(record.document)
    decl = domain_of(obj)
    annual = decl.funding.annual
    return MonitoringReport(
        year=decl.year,
        project=decl.project,
        cutoff_month=month,
        goals=decl.goals,
        budget=BudgetExecution(initial=annual, adjusted=annual),
        indicators=[_report_row(MonitoredIndicator, i) for i in decl.indicators],
    )


def monitoring_from_post(
    obj: Declaration, post: Any, month: int, lang: str = "zh"
) -> tuple[MonitoringReport, FormResult]:
    """Return the monitoring report typed in the form, over the declaration's own indicators."""
    decl = domain_of(obj)
    result = FormResult()
    errors = result.field_errors
    rows = []
    for n, ind in enumerate(decl.indicators):
        likelihood = _text(post, f"likelihood_{n}", 20)
        reasons = [
            r
            for r in (post.getlist(f"reasons_{n}") if hasattr(post, "getlist") else [])
            if isinstance(r, str)
        ][:5]
        rows.append(
            _report_row(
                MonitoredIndicator,
                ind,
                progress=_text(post, f"progress_{n}", 200),
                forecast=_text(post, f"forecast_{n}", 500),
                likelihood=likelihood,
                reasons=reasons,
                other_reason=_text(post, f"other_reason_{n}", 500),
                measures=_text(post, f"measures_{n}"),
            )
        )
    report = MonitoringReport(
        year=decl.year,
        project=decl.project,
        cutoff_month=month,
        goals=decl.goals,
        budget=_budget(post, errors, lang),
        progress_summary=_text(post, "progress_summary"),
        indicators=rows,
    )
    return report, result


def monitoring_form_errors(result: MonitoringResult, lang: str) -> dict[str, str]:
    """Map the monitor's errors to form field names."""
    return _by_form_field(result.errors, lang, _monitoring_field)


def _monitoring_field(path: str | None) -> str:
    path = path or ""
    if path.startswith("indicators["):
        index = path[len("indicators[") : path.index("]")]
        return f"{path.split('.')[-1]}_{index}"
    if path.startswith("budget"):
        return "budget_executed"
    return "all"


@transaction.atomic
def save_monitoring(
    user: Any, obj: Declaration, report: MonitoringReport
) -> tuple[MonitoringRecord, MonitoringResult]:
    """Store the report with its lights and warnings at its cut-off month."""
    if not can_write(user, obj):
        raise not_allowed()
    existing = MonitoringRecord.objects.filter(declaration=obj, cutoff_month=report.cutoff_month).first()
    if not editable(existing):
        raise not_allowed()
    result = monitor(report, rules())
    fields = {
        "organisation": obj.organisation,
        "year": report.year,
        "project_name": report.project.name[:300],
        "document": monitoring_to_dict(report),
        "budget_rate": result.budget_rate,
        "budget_progress": result.budget_progress,
        "light": result.light or "",
        "warnings": [w.to_dict("zh") | {"message_en": w.message_en} for w in result.warnings],
        "errors_count": len(result.errors),
        "updated_by": user,
    }
    record, _ = MonitoringRecord.objects.update_or_create(
        declaration=obj, cutoff_month=report.cutoff_month, defaults=fields
    )
    return record, result


# --- dashboard ---------------------------------------------------------------------------------


def evaluation_error_text(exc: JixiaoError, lang: str) -> str:
    """Return a JixiaoError as one line in ``lang``."""
    return exc.message(lang)


def project_of(obj: Declaration) -> Project:
    """Return the project header of a declaration."""
    return domain_of(obj).project


def rules() -> Any:
    """Return the region rules the web pages score with (the configured region, JIXIAO_REGION)."""
    return REGION_RULES[settings.JIXIAO_REGION]
