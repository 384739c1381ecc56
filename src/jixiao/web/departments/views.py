"""Department pages: the list, one department's targets with their workflow, the self-evaluation
with the roll-up of its projects, Excel/PDF downloads, import of a filled-in form.

Views are thin: they read the request, call :mod:`jixiao.services.departments` and render. A
JixiaoError is shown on the page (a form error or a 4xx page), never a 500.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from jixiao.db.departments.models import DepartmentDeclarationRecord, DepartmentSelfEvaluationRecord
from jixiao.domain import workflow as wf
from jixiao.domain.errors import InputError, JixiaoError, NotAllowed, NotFound, ValidationError
from jixiao.domain.vocabulary import GRADES
from jixiao.services import departments as svc
from jixiao.services.export import content_disposition
from jixiao.web import i18n
from jixiao.web.steps import take_posted_step

STATUS_LABELS = {key: zh for key, (zh, _en) in wf.STATES.items()} | {"draft": "草稿"}


def _error(request: HttpRequest, exc: JixiaoError, status: int) -> HttpResponse:
    return render(request, "error.html", {"message": exc.message(i18n.lang())}, status=status)


def _record(request: HttpRequest, pk: int) -> DepartmentDeclarationRecord | None:
    try:
        return svc.get_declaration(request.user, pk)
    except NotFound:
        return None


def _status_label(status: str) -> str:
    zh, en = wf.STATES.get(status, (status, status))
    return en if i18n.is_en() else zh


def _step_label(record: Any, key: str) -> str:
    machine = (
        wf.DEPARTMENT_DECLARATION
        if isinstance(record, DepartmentDeclarationRecord)
        else wf.DEPARTMENT_SELF_EVALUATION
    )
    step = machine.steps.get(key)
    if step is None:
        return key
    return step.label_en if i18n.is_en() else step.label


def _workflow_context(request: HttpRequest, record: Any) -> dict[str, Any]:
    actions = svc.actions(request.user, record)
    blocked = [p for p in svc.problems(record)] if any("complete" in a.requires for a in actions) else []
    return {
        "actions": actions,
        "problems": [p.en if i18n.is_en() else p.zh for p in blocked],
        "transitions": [
            {"t": t, "step": _step_label(record, t.action), "to": _status_label(t.to_status)}
            for t in record.transitions.select_related("actor").all()
        ],
        "status_text": _status_label(record.status),
        "grades": GRADES,
    }


@login_required
def department_list(request: HttpRequest) -> HttpResponse:
    """The department declarations in the user's scope, and where to start one."""
    records = svc.visible_department_declarations(request.user).select_related("self_evaluation")
    own = svc.own_department(request.user)
    rows = [
        {
            "record": r,
            "status": _status_label(r.status),
            "self_evaluation": getattr(r, "self_evaluation", None) if hasattr(r, "self_evaluation") else None,
        }
        for r in records.order_by("-year", "organisation__name", "id")
    ]
    return render(
        request,
        "departments/list.html",
        {"rows": rows, "own": own, "can_write": own is not None and svc.can_write(request.user, own)},
    )


@login_required
def department_template(request: HttpRequest) -> HttpResponse:
    """A department declaration to fill in Excel: the framework's rows, the projects' sum filled in."""
    from jixiao.formats.render.department import department_xlsx
    from jixiao.services.export import file_name

    own = svc.own_department(request.user)
    if own is None:
        return _error(request, NotFound(), 404)
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        return _error(
            request,
            ValidationError(
                "年度应为 2000–2100 之间的四位数字", "the year must be four digits, 2000–2100", code="JX-E752"
            ),
            400,
        )
    data = department_xlsx([svc.template_declaration(own, year)])
    response = HttpResponse(data, content_type=svc.CONTENT_TYPES["xlsx"])
    name = file_name(year, own.name, "部门整体绩效目标表", ext="xlsx")
    response["Content-Disposition"] = content_disposition(name, f"department-{year}.xlsx")
    return response


@login_required
@require_POST
def department_import(request: HttpRequest) -> HttpResponse:
    """Store a filled-in department declaration (Excel, PDF or canonical JSON) for the user's department."""
    from jixiao.formats.interpret_department import read_department_bytes

    own = svc.own_department(request.user)
    upload = request.FILES.get("file")
    try:
        if own is None or not svc.can_write(request.user, own):
            raise NotAllowed("您不能申报部门整体绩效目标", "you may not declare department-wide targets")
        if upload is None:
            raise InputError("请选择要上传的文件", "choose a file to upload", code="JX-E110")
        docs = read_department_bytes(upload.read(), upload.name)
        record = svc.import_department_documents(request.user, own, docs)
    except NotAllowed as exc:
        return _error(request, exc, 403)
    except JixiaoError as exc:
        messages.error(request, exc.message(i18n.lang()))
        return redirect("departments:list")
    messages.success(request, _("已导入部门整体绩效目标") + " ✓")
    return redirect("departments:detail", pk=record.pk)


@login_required
def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One department's targets: header, funds, goals, indicators, the workflow and downloads."""
    record = _record(request, pk)
    if record is None:
        return _error(request, NotFound(), 404)
    doc = svc.declaration_of(record)
    sev = DepartmentSelfEvaluationRecord.objects.filter(declaration=record).first()
    return render(
        request,
        "departments/detail.html",
        {
            "record": record,
            "doc": doc,
            "funds": [(_(label), getattr(doc.funds, key)) for key, label in _FUNDS],
            "self_evaluation": sev,
            "can_evaluate": record.status in svc.EVALUABLE
            and svc.can_write(request.user, record.organisation),
            **_workflow_context(request, record),
        },
    )


_FUNDS = (
    ("total", gettext_noop("年度预算总额")),
    ("appropriation", gettext_noop("当年财政拨款")),
    ("carryover", gettext_noop("上年结转资金")),
    ("other", gettext_noop("其他资金")),
    ("basic", gettext_noop("基本支出")),
    ("project", gettext_noop("项目支出")),
)


def _step(request: HttpRequest, record: Any) -> bool:
    key = (request.POST.get("action") or "")[:30]
    grade = (request.POST.get("grade") or "")[:2]
    return take_posted_step(
        request,
        lambda comment, confirmed: svc.take_step(
            request.user, record, key, grade=grade, comment=comment, confirmed=confirmed
        ),
        _("操作完成"),
    )


@login_required
@require_POST
def department_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a workflow step on the department's targets."""
    record = _record(request, pk)
    if record is None:
        return _error(request, NotFound(), 404)
    if not _step(request, record):
        return _error(request, NotAllowed("您不能执行此操作", "you may not take this step"), 403)
    return redirect("departments:detail", pk=pk)


def _download(request: HttpRequest, record: Any, fmt: str, pk: int, what: str) -> HttpResponse:
    try:
        data, content_type, name = svc.export_department(record, fmt)
    except JixiaoError as exc:
        return _error(request, exc, 400)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name, f"department-{what}-{record.year}-{pk}.{fmt}")
    return response


@login_required
def department_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The department's targets as Excel or PDF."""
    record = _record(request, pk)
    if record is None:
        return _error(request, NotFound(), 404)
    return _download(request, record, fmt, pk, "targets")


@login_required
def self_evaluation_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The department self-evaluation: its projects rolled up, the score, its own indicators' actuals.

    POST saves the outcome and the actuals (the roll-up is recomputed from the projects each time).
    """
    record = _record(request, pk)
    if record is None:
        return _error(request, NotFound(), 404)
    sev = DepartmentSelfEvaluationRecord.objects.filter(declaration=record).first()
    writable = svc.can_write(request.user, record.organisation) and record.status in svc.EVALUABLE
    editable = writable and (sev is None or sev.status in svc.REPORT_EDITABLE)
    if request.method == "POST":
        if not editable:
            return _error(
                request, NotAllowed("您不能修改此自评表", "you may not change this self-evaluation"), 403
            )
        n = 0
        actuals: dict[int, tuple[str | None, str | None]] = {}
        while f"actual_{n}" in request.POST and n < 1000:
            actuals[n] = (request.POST.get(f"actual_{n}"), request.POST.get(f"note_{n}"))
            n += 1
        try:
            sev = svc.refresh_self_evaluation(
                request.user, record, outcome=request.POST.get("outcome") or "", actuals=actuals
            )
        except JixiaoError as exc:
            messages.error(request, exc.message(i18n.lang()))
        else:
            messages.success(request, _("已保存，汇总已按各项目自评重新计算") + " ✓")
        return redirect("departments:self_evaluation", pk=pk)
    doc = svc.self_evaluation_of(sev) if sev is not None else None
    points = svc.rollup_points(doc) if doc is not None else None
    context: dict[str, Any] = {"record": record, "sev": sev, "doc": doc, "editable": editable}
    if doc is not None:
        f = doc.rollup
        pts = points.points if points else (None, None, None)
        weights = points.weights if points else (None, None, None)
        graded = [p for p in doc.projects if p.grade is not None]
        context["score_rows"] = [
            (_("预算执行率"), f.execution_rate, weights[0], pts[0]),
            (_("项目自评优良率"), f.good_share, weights[1], pts[1]),
            (_("指标完成率"), f.met_share, weights[2], pts[2]),
        ]
        context["graded"] = len(graded)
        context["missing"] = [p.name for p in doc.projects if p.grade is None]
        context.update(_workflow_context(request, sev))
    return render(request, "departments/self_evaluation.html", context)


@login_required
@require_POST
def self_evaluation_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a workflow step on the department self-evaluation."""
    record = _record(request, pk)
    sev = DepartmentSelfEvaluationRecord.objects.filter(declaration=record).first() if record else None
    if sev is None:
        return _error(request, NotFound(), 404)
    if not _step(request, sev):
        return _error(request, NotAllowed("您不能执行此操作", "you may not take this step"), 403)
    return redirect("departments:self_evaluation", pk=pk)


@login_required
def self_evaluation_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The department self-evaluation with its roll-up as Excel or PDF."""
    record = _record(request, pk)
    sev = DepartmentSelfEvaluationRecord.objects.filter(declaration=record).first() if record else None
    if sev is None:
        return _error(request, NotFound(), 404)
    return _download(request, sev, fmt, pk, "self-evaluation")
