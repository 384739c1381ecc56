"""Pages of operational records: import with a mapping step, the actuals of a declaration with
their lights, the binding editor with a live preview, and the drill-down to the records behind.

Views are thin over :mod:`jixiao.services.records`; a JixiaoError is shown on the page (or as a
4xx JSON body for the preview), never a 500.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.db.declarations.models import Declaration
from jixiao.db.records.models import (
    CallbackRecord,
    CaseRecord,
    GridCellRecord,
    PatrolRecord,
    RecordImport,
    RecordSource,
)
from jixiao.domain.errors import JixiaoError, NotFound
from jixiao.records.binding import METRICS, UNITS, unit_label
from jixiao.records.errors import RowsRejected
from jixiao.records.reader import read_raw
from jixiao.records.schema import FIELDS, SOURCES
from jixiao.services import evaluation as evaluation_svc
from jixiao.services import records as svc
from jixiao.web import i18n

MAX_UPLOAD = 200 * 1024 * 1024
LIGHT_ZH = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "error.html", {"message": message}, status=status)


def _declaration(request: HttpRequest, pk: int) -> Declaration | None:
    try:
        return evaluation_svc.get_evaluable(request.user, pk)
    except NotFound:
        return None


def _month(request: HttpRequest) -> int:
    try:
        month = int(request.GET.get("month") or request.POST.get("month") or 7)
    except ValueError:
        month = 7
    return min(12, max(1, month))


def _organisation(request: HttpRequest) -> Any:
    return getattr(request.user, "organisation", None)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The records of the user's unit: counts, sources, recent imports, the upload form."""
    org = _organisation(request)
    declarations = Declaration.objects.filter(
        organisation=org, status__in=evaluation_svc.EVALUABLE_STATES
    ).order_by("project_name")
    context = {
        "org": org,
        "cases": CaseRecord.objects.filter(organisation=org).count() if org else 0,
        "callbacks": CallbackRecord.objects.filter(organisation=org).count() if org else 0,
        "patrols": PatrolRecord.objects.filter(organisation=org).count() if org else 0,
        "cells": GridCellRecord.objects.filter(organisation=org).count() if org else 0,
        "has_records": svc.has_records(org) if org else False,
        "sources": RecordSource.objects.filter(organisation=org).order_by("name") if org else [],
        "imports": RecordImport.objects.filter(organisation=org)[:10] if org else [],
        "declarations": declarations,
        "source_choices": SOURCES,
        "months": range(1, 13),
    }
    return render(request, "records/index.html", context)


def _upload_path(token: str) -> Any:
    folder = svc.records_dir() / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{token}.bin"


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """Take a CSV/Excel export and go to the mapping step (nothing is imported yet)."""
    if _organisation(request) is None:
        return _error(request, _("您的账户不属于任何单位，不能导入业务记录"), 403)
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, _("请选择要导入的文件"))
        return redirect("records:index")
    if file.size and file.size > MAX_UPLOAD:
        messages.error(request, _("文件超过 200 MB，请分批导出"))
        return redirect("records:index")
    data = file.read()
    try:
        read_raw(data, file.name or "upload")
    except JixiaoError as exc:
        messages.error(request, exc.message(i18n.lang()))
        return redirect("records:index")
    token = secrets.token_urlsafe(12)
    _upload_path(token).write_bytes(data)
    kind = request.POST.get("kind") if request.POST.get("kind") in FIELDS else "case"
    request.session[f"records-upload-{token}"] = {
        "name": file.name,
        "kind": kind,
        "source": request.POST.get("source", ""),
        "source_name": request.POST.get("source_name", "").strip()[:100],
    }
    return redirect("records:mapping", token=token)


@login_required
@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest, token: str) -> HttpResponse:
    """The mapping step: each column's proposed field, editable; importing validates every row."""
    meta = request.session.get(f"records-upload-{token}")
    path = _upload_path(token)
    org = _organisation(request)
    if meta is None or not path.exists() or org is None:
        return _error(request, _("上传已过期，请重新选择文件"), 404)
    raw = read_raw(path.read_bytes(), meta["name"])
    kind = meta["kind"]
    fields = FIELDS[kind]
    row_errors: list[str] = []
    total_errors = 0
    if request.method == "POST":
        chosen = {h: request.POST.get(f"col-{i}", "") for i, h in enumerate(raw.headers)}
        mapping_ = {h: f for h, f in chosen.items() if f}
        source = request.POST.get("source") or None
        try:
            result = svc.import_records(
                request.user, org, raw, kind, mapping_, source=source, source_name=meta["source_name"]
            )
        except RowsRejected as exc:
            row_errors = [e.message(i18n.lang()) for e in exc.errors[:100]]
            total_errors = exc.total
            choices = [(h, chosen.get(h) or None, True) for h in raw.headers]
        except JixiaoError as exc:
            messages.error(request, exc.message(i18n.lang()))
            choices = [(h, chosen.get(h) or None, True) for h in raw.headers]
        else:
            path.unlink(missing_ok=True)
            request.session.pop(f"records-upload-{token}", None)
            messages.success(
                request,
                _("导入完成：%(rows)s 行（新增 %(created)s，更新 %(updated)s）")
                % {"rows": result.rows, "created": result.created_count, "updated": result.updated_count},
            )
            return redirect("records:index")
    else:
        choices = [(c.header, c.field, c.sure) for c in svc.mapping_for(raw, kind, org, meta["source_name"])]
    sample = raw.columns.slice(0, 3).to_pylist()
    columns = [
        {
            "index": i,
            "header": header,
            "field": field,
            "sure": sure,
            "samples": [row[f"c{i}"] for row in sample],
        }
        for i, (header, field, sure) in enumerate(choices)
    ]
    context = {
        "token": token,
        "meta": meta,
        "rows": raw.rows,
        "columns": columns,
        "fields": fields,
        "row_errors": row_errors,
        "total_errors": total_errors,
        "source_choices": SOURCES,
    }
    return render(request, "records/mapping.html", context, status=400 if row_errors else 200)


@login_required
def actuals(request: HttpRequest, pk: int) -> HttpResponse:
    """A declaration's indicators with their computed actuals, projection, light and decisions."""
    obj = _declaration(request, pk)
    if obj is None:
        return _error(request, NotFound().message(i18n.lang()), 404)
    month = _month(request)
    try:
        rows = svc.indicator_actuals(obj, month)
    except JixiaoError as exc:
        return _error(request, exc.message(i18n.lang()), 400)
    cover = svc.coverage_of(rows)
    context = {
        "obj": obj,
        "month": month,
        "months": range(1, 13),
        "rows": rows,
        "can_write": evaluation_svc.can_write(request.user, obj),
        "method": svc.METHOD_EN if i18n.is_en() else svc.METHOD_ZH,
        "coverage_note": cover.note(i18n.lang()) if cover else "",
        "light_zh": LIGHT_ZH,
    }
    return render(request, "records/actuals.html", context)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    """Accept the computed actual, or override it with a value and a reason (both are kept)."""
    obj = _declaration(request, pk)
    if obj is None:
        return _error(request, NotFound().message(i18n.lang()), 404)
    month = _month(request)
    if not evaluation_svc.can_write(request.user, obj):
        return _error(request, evaluation_svc.not_allowed().message(i18n.lang()), 403)
    try:
        decision = svc.decide(
            request.user,
            obj,
            index,
            month,
            accept=request.POST.get("decision") == "accept",
            value=request.POST.get("value", ""),
            reason=request.POST.get("reason", ""),
        )
    except JixiaoError as exc:
        messages.error(request, exc.message(i18n.lang()))
    else:
        carried = getattr(decision, "carried", None)
        done = {
            "monitoring": _("已记录，并写入运行监控表"),
            "monitoring_new": _("已记录，并写入新建的运行监控表草稿"),
            "self_evaluation": _("已记录，并写入绩效自评表"),
            "self_evaluation_new": _("已记录，并写入新建的绩效自评表草稿"),
        }
        messages.success(request, done.get(carried or "", _("已记录")))
    return redirect(f"/records/declarations/{pk}/?month={month}")


def _definition_text(row: svc.IndicatorActual) -> str:
    return json.dumps(row.binding.to_dict() if row.binding else {}, ensure_ascii=False, indent=2)


@login_required
@require_http_methods(["GET", "POST"])
def bind(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    """Edit an indicator's binding (JSON definition) with a live preview of its value."""
    obj = _declaration(request, pk)
    if obj is None:
        return _error(request, NotFound().message(i18n.lang()), 404)
    month = _month(request)
    rows = [r for r in svc.indicator_actuals(obj, month) if r.index == index]
    if not rows:
        return _error(request, NotFound().message(i18n.lang()), 404)
    row = rows[0]
    text = _definition_text(row)
    error = ""
    if request.method == "POST":
        if not evaluation_svc.can_write(request.user, obj):
            return _error(request, evaluation_svc.not_allowed().message(i18n.lang()), 403)
        text = request.POST.get("definition", "")
        try:
            svc.save_binding(request.user, obj, index, _parse(text))
        except JixiaoError as exc:
            error = exc.message(i18n.lang())
        else:
            messages.success(request, _("取数规则已保存"))
            return redirect(f"/records/declarations/{pk}/?month={month}")
    context = {
        "obj": obj,
        "row": row,
        "month": month,
        "definition": text,
        "error": error,
        "metrics": METRICS,
        "units": {key: unit_label(key, i18n.lang()) for key in UNITS},
        "fields": [f for f in FIELDS["case"]],
    }
    return render(request, "records/bind.html", context, status=400 if error else 200)


def _parse(text: str) -> Any:
    from jixiao.records.errors import BindingError

    try:
        return json.loads(text)
    except ValueError as exc:
        raise BindingError(f"不是有效的 JSON：{exc}", f"not valid JSON: {exc}") from exc


@login_required
@require_POST
def preview(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    """The live preview: the value the typed definition gives (an htmx fragment, or JSON)."""
    obj = _declaration(request, pk)
    if obj is None:
        return JsonResponse({"message": NotFound().message(i18n.lang())}, status=404)
    month = _month(request)
    try:
        result = svc.preview(obj, index, _parse(request.POST.get("definition", "")), month)
    except JixiaoError as exc:
        if request.headers.get("HX-Request"):
            return render(request, "records/_preview.html", {"error": exc.message(i18n.lang())})
        return JsonResponse(exc.to_dict(i18n.lang()), status=400)
    if request.headers.get("HX-Request"):
        cover = result["coverage"]
        note = cover[i18n.lang()] if cover else ""
        return render(
            request, "records/_preview.html", {"r": result, "coverage_note": note, "light_zh": LIGHT_ZH}
        )
    return JsonResponse(result)


@login_required
def misses(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    """The records behind a miss: e.g. the cases that were not closed within 7 days."""
    obj = _declaration(request, pk)
    if obj is None:
        return _error(request, NotFound().message(i18n.lang()), 404)
    month = _month(request)
    try:
        row, total, records = svc.drilldown(obj, index, month)
    except JixiaoError as exc:
        return _error(request, exc.message(i18n.lang()), 400)
    context = {"obj": obj, "row": row, "month": month, "total": total, "records": records}
    return render(request, "records/misses.html", context)
