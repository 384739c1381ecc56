"""Pages of the evaluation app: the self-evaluation and monitoring forms with live scoring, their
official-layout pages, the scores-and-warnings dashboard and the published self-evaluations.

Views are thin: they read the form, call :mod:`jixiao.services.evaluation` (which calls the pure
scorer in :mod:`jixiao.evaluation`) and render. A JixiaoError is shown on the page, never a 500.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.db.declarations.models import Declaration
from jixiao.db.evaluation.models import EvaluationStatus, MonitoringRecord, SelfEvaluationRecord
from jixiao.domain import workflow as wf
from jixiao.domain.errors import JixiaoError, NotFound
from jixiao.domain.model import SelfEvaluation
from jixiao.domain.vocabulary import grade_label, light_label
from jixiao.evaluation.config import DEVIATION_REASONS, LIKELIHOODS
from jixiao.evaluation.monitoring import MonitoringReport, MonitoringResult, monitor
from jixiao.evaluation.render_html import monitoring_table, self_evaluation_table
from jixiao.evaluation.report import advisories, discrepancies
from jixiao.evaluation.scoring import Evaluation, cap_words, deduction_words, evaluate
from jixiao.formats.json import from_dict
from jixiao.formats.json_monitoring import from_dict as monitoring_from_dict
from jixiao.services import evaluation as svc
from jixiao.services import evaluation_overview as overview
from jixiao.services.adjustments import scored_against_line
from jixiao.web import i18n
from jixiao.web.page_cache import cached_page, keep
from jixiao.web.steps import take_posted_step


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "error.html", {"message": NotFound().message(i18n.lang())}, status=404)


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "error.html", {"message": svc.not_allowed().message(i18n.lang())}, status=403)


def _declaration(request: HttpRequest, pk: int) -> Declaration | None:
    try:
        return svc.get_evaluable(request.user, pk)
    except NotFound:
        return None


def _writable(request: HttpRequest, pk: int, refusal: str) -> Declaration | HttpResponse:
    """Return the declaration whose reports the user may write, or the answer that says why not."""
    obj = _declaration(request, pk)
    if obj is None:
        return _not_found(request)
    if not svc.can_write(request.user, obj):
        messages.error(request, refusal)
        return redirect("evaluation:self_evaluation", pk=pk)
    return obj


def _light_label(light: str | None) -> str:
    if not light:
        return ""
    return light_label(light, i18n.lang())


# --- self-evaluation ---------------------------------------------------------------------------


def _band_words(scored: Any) -> str:
    """A qualitative band in words (达成年度指标：16–20 分), not interval notation."""
    if not scored.band or not scored.grade:
        return ""
    low, high = scored.band
    grade = _(scored.grade)
    if i18n.is_en():
        return f"{grade}: {low} to {high} points"
    return f"{grade}：{low} 至 {high} 分"


def _baseline_words(scored: Any) -> str:
    base = getattr(scored, "baseline", None)
    if base is None:
        return ""
    text = str(base.describe(i18n.lang()))
    goal = getattr(scored, "goal", None)
    if goal is not None:
        text += " → " + _("目标 %(goal)s") % {"goal": f"{goal}{base.unit or ''}"}
    return text


def _score_rows(
    doc: SelfEvaluation, ev: Evaluation, errors: dict[str, str], previous: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    rows = []
    grades = [b.grade for b in svc.rules().qualitative_bands]
    for n, (ind, scored) in enumerate(zip(doc.indicators, ev.indicators, strict=True)):
        rows.append(
            {
                "n": n,
                "level1": ind.level1,
                "level2": ind.level2,
                "name": ind.name,
                "target": ind.target.text,
                "qualitative": ind.target.kind == "qualitative",
                "relative": ind.target.kind == "relative",
                "grades": grades,
                "band_words": _band_words(scored),
                "baseline": ind.baseline or "",
                "previous": (previous or {}).get(ind.name, "") if ind.target.kind == "relative" else "",
                "baseline_words": _baseline_words(scored),
                "actual": ind.actual or "",
                "weight": "" if ind.weight is None else ind.weight,
                "score": "" if ind.score is None else ind.score,
                "note": ind.deviation_note or "",
                "computed": scored.score,
                "band": scored.band,
                "note_required": scored.note_required,
                "note_missing": scored.note_missing,
                "deduction_words": deduction_words(scored, svc.rules(), i18n.lang()) or "",
                "errors": [
                    errors[k]
                    for k in (f"actual_{n}", f"weight_{n}", f"score_{n}", f"note_{n}")
                    if k in errors
                ],
            }
        )
    return rows


def _score_context(obj: Declaration, doc: SelfEvaluation, field_errors: dict[str, str]) -> dict[str, Any]:
    previous = svc.previous_actuals(obj)
    ev = evaluate(doc, svc.rules(), previous=previous)
    lang = i18n.lang()
    errors = {**svc.form_errors(ev, lang), **field_errors}
    weight_total = sum((i.weight for i in doc.indicators if i.weight is not None), Decimal(0))
    return {
        "doc": doc,
        "ev": ev,
        "errors": errors,
        "rows": _score_rows(doc, ev, errors, previous),
        "weight_total": weight_total,
        "cap_line": cap_words(ev, lang) or "",
        "general_errors": [v for k, v in errors.items() if k in ("all", "weights") or k.startswith("budget")],
        "adjusted_line": scored_against_line(obj, lang, targets=[i.target.text for i in doc.indicators]),
    }


@login_required
@require_http_methods(["GET", "POST"])
def self_evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter or change the self-evaluation of an approved declaration, scored live as values are typed."""
    obj = _writable(request, pk, _("只有本单位的填报人或单位负责人可以填写已批复项目的绩效自评"))
    if isinstance(obj, HttpResponse):
        return obj
    record = SelfEvaluationRecord.objects.filter(declaration=obj).first()
    if record is not None and record.status == EvaluationStatus.PUBLISHED:
        messages.error(request, _("自评表已公开，不能再修改"))
        return redirect("evaluation:self_evaluation", pk=pk)
    if not svc.editable(record):
        messages.error(request, _("自评表正在审核中，退回后才能修改"))
        return redirect("evaluation:self_evaluation", pk=pk)
    if request.method == "POST":
        doc, result = svc.self_evaluation_from_post(obj, request.POST, i18n.lang())
        if not result.field_errors:
            record, ev = svc.save_self_evaluation(request.user, obj, doc)
            if ev.ok:
                messages.success(
                    request,
                    _("保存成功 · 总分 %(total)s · %(grade)s") % {"total": ev.total, "grade": ev.grade},
                )
            else:
                messages.warning(request, _("已保存，但仍有未能计分的项目，请按提示修改"))
                return render(
                    request,
                    "evaluation/self_evaluation_form.html",
                    {"obj": obj, **_score_context(obj, doc, result.field_errors)},
                    status=200,
                )
            return redirect("evaluation:self_evaluation", pk=pk)
        return render(
            request,
            "evaluation/self_evaluation_form.html",
            {"obj": obj, **_score_context(obj, doc, result.field_errors)},
            status=400,
        )
    doc = svc.self_evaluation_initial(obj)
    return render(
        request, "evaluation/self_evaluation_form.html", {"obj": obj, **_score_context(obj, doc, {})}
    )


@login_required
@require_POST
def self_evaluation_score(request: HttpRequest, pk: int) -> HttpResponse:
    """Score the form as typed, without saving: an htmx partial, or JSON for other callers."""
    obj = _declaration(request, pk)
    if obj is None:
        return JsonResponse({"message": NotFound().message(i18n.lang())}, status=404)
    doc, result = svc.self_evaluation_from_post(obj, request.POST, i18n.lang())
    context = _score_context(obj, doc, result.field_errors)
    if request.headers.get("HX-Request"):
        return render(request, "evaluation/_score_panel.html", context)
    ev: Evaluation = context["ev"]
    return JsonResponse(
        {
            "budget": {"rate": _s(ev.budget.rate), "score": _s(ev.budget.score)},
            "indicators": [
                {
                    "name": r.name,
                    "weight": _s(r.weight),
                    "score": _s(r.score),
                    "band": ([str(r.band[0]), str(r.band[1])] if r.band else None),
                    "note_required": r.note_required,
                }
                for r in ev.indicators
            ],
            "total_score": _s(ev.total),
            "grade": ev.grade,
            "errors": context["errors"],
        }
    )


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@login_required
def self_evaluation_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The self-evaluation in the official layout, with what the rules flag and the publish action."""
    obj = _declaration(request, pk)
    if obj is None:
        return _not_found(request)
    record = SelfEvaluationRecord.objects.filter(declaration=obj).first()
    context: dict[str, Any] = {
        "obj": obj,
        "record": record,
        "can_write": svc.can_write(request.user, obj) and svc.editable(record),
        **_workflow_context(request, record),
    }
    if record is not None:
        doc = from_dict(record.document)
        assert isinstance(doc, SelfEvaluation)
        if svc.editable(record):
            doc = svc.align_to_declaration(obj, doc)
        context["adjusted_line"] = scored_against_line(
            obj, i18n.lang(), targets=[i.target.text for i in doc.indicators]
        )
        ev = svc.evaluate_for(obj, doc)
        lang = i18n.lang()
        context.update(
            {
                "table": mark_safe(
                    self_evaluation_table(doc, ev, svc.rules(), lang=i18n.lang())
                ),  # escaped by the renderer
                "errors": [e.message(lang) for e in ev.errors],
                "notes": [d.to_dict(lang)["message"] for d in discrepancies(doc, ev, svc.rules())]
                if ev.ok
                else [],
                "advisories": [f"{a.code} {a.message(lang)}" for a in advisories(doc, ev)] if ev.ok else [],
            }
        )
    context["monitoring"] = MonitoringRecord.objects.filter(declaration=obj).order_by("cutoff_month")
    return render(request, "evaluation/self_evaluation_page.html", context)


def _workflow_context(request: HttpRequest, record: Any) -> dict[str, Any]:
    """The workflow card: the steps the user may take, what blocks them, who did what so far."""
    if record is None:
        return {"actions": [], "transitions": [], "problems": []}
    lang = i18n.lang()
    problems = svc.record_problems(record) if record.status != EvaluationStatus.PUBLISHED else []
    return {
        "actions": svc.report_actions(request.user, record),
        "transitions": record.transitions.select_related("actor").all(),
        "problems": [p.en if lang == "en" else p.zh for p in problems],
        "status_labels": dict(EvaluationStatus.choices),
    }


def _take_step(request: HttpRequest, record: Any, key: str) -> bool:
    label = next((s.label_en if i18n.is_en() else s.label for s in _steps_of(record) if s.key == key), key)
    return take_posted_step(
        request,
        lambda comment, confirmed: svc.report_transition(
            request.user, record, key, comment=comment, confirmed=confirmed
        ),
        label,
    )


def _steps_of(record: Any) -> list[Any]:
    machine = wf.SELF_EVALUATION if isinstance(record, SelfEvaluationRecord) else wf.MONITORING
    return list(machine.steps.values())


@login_required
@require_POST
def self_evaluation_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a workflow step on the self-evaluation (submit, review, return, publish)."""
    obj = _declaration(request, pk)
    record = SelfEvaluationRecord.objects.filter(declaration=obj).first() if obj is not None else None
    if record is None:
        return _not_found(request)
    if not _take_step(request, record, (request.POST.get("action") or "")[:30]):
        return _forbidden(request)
    return redirect("evaluation:self_evaluation", pk=pk)


@login_required
@require_POST
def self_evaluation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the self-evaluation (finance bureau or admin; reviewed, complete and confirmed)."""
    obj = _declaration(request, pk)
    record = SelfEvaluationRecord.objects.filter(declaration=obj).first() if obj is not None else None
    if record is None:
        return _not_found(request)
    if not _take_step(request, record, "publish"):
        return _forbidden(request)
    return redirect("evaluation:self_evaluation", pk=pk)


# --- monitoring --------------------------------------------------------------------------------


def _monitor_rows(
    report: MonitoringReport, result: MonitoringResult, errors: dict[str, str]
) -> list[dict[str, Any]]:
    lights = {s.index: s.light for s in result.indicators}
    rows = []
    for n, row in enumerate(report.indicators):
        rows.append(
            {
                "n": n,
                "level1": row.level1,
                "level2": row.level2,
                "name": row.name,
                "target": row.target.text,
                "progress": row.progress or "",
                "forecast": row.forecast or "",
                "likelihood": row.likelihood or "",
                "reasons": row.reasons,
                "other_reason": row.other_reason or "",
                "measures": row.measures or "",
                "light": lights.get(n),
                "light_label": _light_label(lights.get(n)),
                "errors": [v for k, v in errors.items() if k.endswith(f"_{n}")],
            }
        )
    return rows


def _monitor_context(report: MonitoringReport, field_errors: dict[str, str]) -> dict[str, Any]:
    result = monitor(report, svc.rules())
    lang = i18n.lang()
    errors = {**svc.monitoring_form_errors(result, lang), **field_errors}
    return {
        "report": report,
        "result": result,
        "errors": errors,
        "rows": _monitor_rows(report, result, errors),
        "likelihoods": LIKELIHOODS,
        "reasons": DEVIATION_REASONS,
        "months": range(1, 13),
        "budget_light_label": _light_label(result.budget_light),
        "warnings": [w.message_en if lang == "en" else w.message_zh for w in result.warnings],
        "general_errors": [
            v for k, v in errors.items() if k in ("all", "budget_executed") or k.startswith("budget")
        ],
    }


def _month(request: HttpRequest) -> int:
    month = _int(request.POST.get("month") if request.method == "POST" else request.GET.get("month"), 7) or 7
    return min(max(month, 1), 12)


@login_required
@require_http_methods(["GET", "POST"])
def monitoring_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter the monitoring report of an approved declaration at a cut-off month (default July)."""
    obj = _writable(request, pk, _("只有本单位的填报人或单位负责人可以填写已批复项目的运行监控"))
    if isinstance(obj, HttpResponse):
        return obj
    month = _month(request)
    existing = MonitoringRecord.objects.filter(declaration=obj, cutoff_month=month).first()
    if not svc.editable(existing):
        messages.error(request, _("监控表正在审核中或已公开，退回后才能修改"))
        return redirect("evaluation:monitoring_page", pk=pk, month=month)
    if request.method == "POST":
        report, result = svc.monitoring_from_post(obj, request.POST, month, i18n.lang())
        if not result.field_errors:
            _record, checked = svc.save_monitoring(request.user, obj, report)
            if checked.errors:
                messages.warning(request, _("已保存，但监控表仍有需要补充的内容"))
                return _monitoring_form(request, obj, month, report, {})
            messages.success(request, _("保存成功"))
            return redirect("evaluation:monitoring_page", pk=pk, month=month)
        return _monitoring_form(request, obj, month, report, result.field_errors, status=400)
    return _monitoring_form(request, obj, month, svc.monitoring_initial(obj, month), {})


def _monitoring_form(
    request: HttpRequest,
    obj: Declaration,
    month: int,
    report: MonitoringReport,
    errors: dict[str, str],
    status: int = 200,
) -> HttpResponse:
    """The monitoring editor showing ``report`` checked, with the form's ``errors`` at their fields."""
    context = {
        "obj": obj,
        "month": month,
        **_monitor_context(report, errors),
        "adjusted_line": scored_against_line(
            obj, i18n.lang(), targets=[i.target.text for i in report.indicators]
        ),
    }
    return render(request, "evaluation/monitoring_form.html", context, status=status)


@login_required
@require_POST
def monitoring_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Lights and warnings of the form as typed, without saving (htmx partial or JSON)."""
    obj = _declaration(request, pk)
    if obj is None:
        return JsonResponse({"message": NotFound().message(i18n.lang())}, status=404)
    report, result = svc.monitoring_from_post(obj, request.POST, _month(request), i18n.lang())
    context = _monitor_context(report, result.field_errors)
    if request.headers.get("HX-Request"):
        return render(request, "evaluation/_monitor_panel.html", context)
    return JsonResponse(
        {
            "project": report.project.name,
            **context["result"].to_dict(i18n.lang()),
            "form_errors": context["errors"],
        }
    )


@login_required
def monitoring_page(request: HttpRequest, pk: int, month: int) -> HttpResponse:
    """A saved monitoring report in the official layout with its traffic lights."""
    obj = _declaration(request, pk)
    record = MonitoringRecord.objects.filter(declaration=obj, cutoff_month=month).first() if obj else None
    if obj is None or record is None:
        return _not_found(request)
    report = monitoring_from_dict(record.document)
    result = monitor(report, svc.rules())
    return render(
        request,
        "evaluation/monitoring_page.html",
        {
            "obj": obj,
            "record": record,
            "table": mark_safe(monitoring_table(report, result, svc.rules(), lang=i18n.lang())),
            "warnings": [w.message_en if i18n.is_en() else w.message_zh for w in result.warnings],
            "can_write": svc.can_write(request.user, obj) and svc.editable(record),
            "adjusted_line": scored_against_line(
                obj, i18n.lang(), targets=[i.target.text for i in report.indicators]
            ),
            **_workflow_context(request, record),
        },
    )


@login_required
@require_POST
def monitoring_action(request: HttpRequest, pk: int, month: int) -> HttpResponse:
    """Take a workflow step on a monitoring report (submit, review, return, publish)."""
    obj = _declaration(request, pk)
    record = MonitoringRecord.objects.filter(declaration=obj, cutoff_month=month).first() if obj else None
    if record is None:
        return _not_found(request)
    if not _take_step(request, record, (request.POST.get("action") or "")[:30]):
        return _forbidden(request)
    return redirect("evaluation:monitoring_page", pk=pk, month=month)


# --- dashboard and public pages ------------------------------------------------------------------


def _years(records: QuerySet[Any]) -> list[int | None]:
    return list(records.order_by().values_list("year", flat=True).distinct())


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Scores and warnings of the user's unit or department, with charts and traffic lights.

    Kept under the data version (jixiao.web.page_cache) and the date: which self-evaluations are
    late changes at midnight, with no write.
    """
    secret = request.META.get("CSRF_COOKIE")
    identity = f"{secret}:{timezone.localdate().isoformat()}" if secret else None
    return keep(request, "evaluation.dashboard", identity, lambda: _dashboard(request))


def _dashboard(request: HttpRequest) -> HttpResponse:
    year = _int(request.GET.get("year"))
    data = overview.dashboard_data(request.user, year)
    chart = {
        "grades": {
            "labels": [grade_label(g, i18n.lang()) for g in data["grades"]],
            "values": list(data["grades"].values()),
        },
        "lights": [{"name": _light_label(k), "value": v, "key": k} for k, v in data["lights"].items()],
        "units": {
            "labels": [u["unit"] for u in data["units"] if u["average"] is not None],
            "values": [float(u["average"]) for u in data["units"] if u["average"] is not None],
        },
        "titles": {
            "grades": _("自评等级分布"),
            "lights": _("运行监控预警"),
            "units": _("各单位平均自评得分"),
        },
    }
    for rec in data["monitoring"]:
        rec.light_label = _light_label(rec.light)
    years = sorted(
        {y for y in _years(svc.visible_self_evaluations(request.user)) if y}
        | {y for y in _years(svc.visible_monitoring(request.user)) if y},
        reverse=True,
    )
    late = overview.late_by_department(request.user) if request.user.role != "filler" else []  # type: ignore[union-attr]
    return render(
        request,
        "evaluation/dashboard.html",
        {**data, "chart": chart, "year": year, "years": years, "late": late},
    )


def public_list(request: HttpRequest) -> HttpResponse:
    """Published self-evaluations, no sign-in."""
    records = (
        svc.visible_self_evaluations(None)
        .select_related("organisation")
        .order_by("-year", "organisation__name", "project_name")[:500]
    )
    return render(request, "evaluation/public_list.html", {"records": records})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published self-evaluation in the official layout."""
    record = svc.visible_self_evaluations(None).select_related("organisation").filter(pk=pk).first()
    if record is None:
        return render(
            request,
            "error.html",
            {"message": "未找到已公开的自评表 / no such published self-evaluation"},
            status=404,
        )
    doc = from_dict(record.document)
    assert isinstance(doc, SelfEvaluation)
    return render(
        request,
        "evaluation/public_detail.html",
        {
            "record": record,
            "table": mark_safe(
                self_evaluation_table(doc, evaluate(doc, svc.rules()), svc.rules(), lang=i18n.lang())
            ),
        },
    )


def _attachment(data: bytes, content_type: str, name: str, fallback: str) -> HttpResponse:
    from jixiao.services.export import content_disposition

    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name, fallback)
    return response


@login_required
def self_evaluation_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The self-evaluation in the official layout as Excel or PDF, named after the project."""
    from jixiao.services.export import export_self_evaluation, file_name

    obj = _declaration(request, pk)
    record = SelfEvaluationRecord.objects.filter(declaration=obj).first() if obj is not None else None
    if record is None or fmt not in ("xlsx", "pdf"):
        return _not_found(request)
    try:
        data, content_type = export_self_evaluation(record, fmt)
    except JixiaoError as exc:
        return render(request, "error.html", {"message": exc.message(i18n.lang())}, status=400)
    name = file_name(record.year, record.project_name, "绩效自评表", ext=fmt)
    return _attachment(data, content_type, name, f"self-evaluation-{record.year or ''}-{pk}.{fmt}")


@login_required
def monitoring_export(request: HttpRequest, pk: int, month: int, fmt: str) -> HttpResponse:
    """A monitoring report with its lights as Excel or PDF, named after the project and months."""
    from jixiao.services.export import export_monitoring, file_name

    obj = _declaration(request, pk)
    record = MonitoringRecord.objects.filter(declaration=obj, cutoff_month=month).first() if obj else None
    if record is None or fmt not in ("xlsx", "pdf"):
        return _not_found(request)
    try:
        data, content_type = export_monitoring(record, fmt, svc.rules())
    except JixiaoError as exc:
        return render(request, "error.html", {"message": exc.message(i18n.lang())}, status=400)
    name = file_name(record.year, record.project_name, f"运行监控表1-{month}月", ext=fmt)
    return _attachment(data, content_type, name, f"monitoring-{record.year or ''}-{pk}-{month}.{fmt}")


# --- 评价结果应用 (results applied to next year's budget) ------------------------------------------


def _results_year(request: HttpRequest, years: list[int]) -> int:
    """The year asked for (JX-E640/JX-E752 when it is not one), else the latest with results."""
    from jixiao.services.results import parse_year

    text = request.GET.get("year")
    if text not in (None, ""):
        return parse_year(text)
    from django.utils import timezone

    return years[0] if years else timezone.localdate().year - 1


def _results_picker(request: HttpRequest, selected: int | None) -> dict[str, Any]:
    """The report's organisation filter: a department and its units, or one unit."""
    from jixiao.services.scope import visible_organisations
    from jixiao.web.declarations.listing import organisation_picker

    label = _("主管部门") + " / " + _("单位") + "：" + _("全部")
    return organisation_picker(request, visible_organisations(request.user), selected, label, small=True)


def _project_rows(report: Any, lang: str) -> list[dict[str, Any]]:
    rows = []
    for p in report.projects:
        rows.append(
            {
                "p": p,
                "suggestion": p.suggestion_text(lang),
                "reasons": p.reasons_text(lang),
                "missed": p.missed_text(lang).splitlines(),
                "notes": p.notes_text(lang).splitlines(),
                "key": p.suggestion.key if p.suggestion and p.evaluated else "none",
            }
        )
    return rows


@login_required
@cached_page
def results_page(request: HttpRequest) -> HttpResponse:
    """评价结果应用 for finance: per department and unit, grades, scores, execution, misses, suggestions.

    Kept under the data version (jixiao.web.page_cache): a province's year scores thousands of
    self-evaluations, seconds of work that only a write to them, their declarations or the
    organisations changes.
    """
    from jixiao.services import results as results_svc

    if not results_svc.can_see_results(request.user):
        return _forbidden(request)
    lang = i18n.lang()
    years = results_svc.results_years(request.user)
    try:
        year = _results_year(request, years)
    except JixiaoError as exc:
        return render(
            request,
            "evaluation/results.html",
            {"error": exc.message(lang), "years": years, "year": None, "report": None},
            status=400,
        )
    organisation = _int(request.GET.get("organisation"))
    picker = _results_picker(request, organisation)
    try:
        count = results_svc.results_count(request.user, year, organisation)
        if organisation is None and count > results_svc.RESULTS_ON_ONE_PAGE:
            # A province's year: the page asks for a department or unit first.
            return render(
                request,
                "evaluation/results.html",
                {"report": None, "years": years, "year": year, "too_many": count, **picker},
            )
        report = results_svc.results_report(request.user, year, organisation=organisation, lang=lang)
    except JixiaoError as exc:
        return render(
            request,
            "evaluation/results.html",
            {"error": exc.message(lang), "years": years, "year": year, "report": None, **picker},
            status=exc_status(exc),
        )
    return render(
        request,
        "evaluation/results.html",
        {
            **picker,
            "report": report,
            "organisation": organisation,
            "rows": _project_rows(report, lang),
            "years": years,
            "year": year,
            "rules": [
                {
                    "condition": r.condition(lang),
                    "title": r.title(lang),
                    "weight": r.weight,
                    "status": r.provenance.label(lang),
                }
                for r in report.rules
            ],
        },
    )


@login_required
def results_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The results report as Excel or PDF for the budget meeting, named after the year."""
    from jixiao.services import results as results_svc
    from jixiao.services.export import file_name

    if not results_svc.can_see_results(request.user):
        return _forbidden(request)
    if fmt not in ("xlsx", "pdf"):
        return _not_found(request)
    try:
        year = _results_year(request, results_svc.results_years(request.user))
        organisation = _int(request.GET.get("organisation"))
        report = results_svc.results_report(request.user, year, organisation=organisation)
        data, content_type = results_svc.export_results(report, fmt)
    except JixiaoError as exc:
        return render(request, "error.html", {"message": exc.message(i18n.lang())}, status=exc_status(exc))
    name = file_name(year, "绩效评价结果应用", ext=fmt)
    return _attachment(data, content_type, name, f"results-{year}.{fmt}")


def exc_status(exc: JixiaoError) -> int:
    """Return the HTTP status of a JixiaoError from the error catalogue."""
    from jixiao.domain.error_codes import http_status

    return http_status(exc.code)
