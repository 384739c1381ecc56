"""Pages of the declarations app: dashboard, list, official-form page, editor, history, import, export.

Views are thin: they parse the request, call :mod:`jixiao.services`, and render. A JixiaoError
becomes a message on the page, never a 500.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.db.declarations.models import (
    Declaration,
    Grade,
    PendingImport,
    Status,
)
from jixiao.domain.error_codes import http_status
from jixiao.domain.errors import InputError, JixiaoError, NotFound, ServerBusy, UploadTooLarge
from jixiao.domain.framework import FRAMEWORKS, framework_for
from jixiao.domain.limits import LIMITS
from jixiao.domain.vocabulary import PROJECT_CATEGORIES, grade_label
from jixiao.formats import read_bytes
from jixiao.formats.json import dumps, from_dict
from jixiao.formats.scan import reporting as scan_reporting
from jixiao.formats.scan import scan_page_count
from jixiao.services import declarations as svc
from jixiao.services.file_jobs import claim_scan_job
from jixiao.services.imports import confirm_import, preview_import, stage_import
from jixiao.services.jobs import claim_import_job
from jixiao.services.queries import (
    DeclarationFilter,
    apply_filter,
    count_filtered,
    count_up_to,
    index_plan,
    order_plan,
    selected_rows,
)
from jixiao.services.review import engine_available, profile_for, review_objects
from jixiao.services.scope import (
    listed_declarations,
    listed_tally,
    visible_declarations,
    visible_organisations,
)
from jixiao.services.workflow import allowed_actions
from jixiao.web import i18n
from jixiao.web.benchmarks import benchmark_hint
from jixiao.web.declarations import import_progress
from jixiao.web.declarations.adjustments import adjustment_context
from jixiao.web.declarations.exante import exante_context
from jixiao.web.declarations.forms import declaration_from_post, state_from_document, state_from_post
from jixiao.web.declarations.listing import declaration_rows, option_list, organisation_picker
from jixiao.web.declarations.presentation import (
    describe_target,
    findings_by_place,
    grade_panel,
    indicator_rows,
    live_rows,
)
from jixiao.web.page_cache import cached_page
from jixiao.web.paging import SEARCH_COUNT_CAP, CountedPaginator
from jixiao.web.signed_in import user_of

PAGE_SIZE = 25
# Sortable list columns → the fields they order by (a whitelist: never order by what was posted).
SORTS: dict[str, tuple[str, ...]] = {
    "year": ("year",),
    "project_name": ("project_name",),
    "organisation": ("organisation__name",),
    "annual_amount": ("annual_amount",),
    "status": ("status",),
    "grade": ("grade",),
    "findings_count": ("findings_count",),
}
REVIEW_STATES = {
    "unit_head": [Status.SUBMITTED],
    "dept_reviewer": [Status.DEPT_REVIEW],
    "finance_reviewer": [Status.FINANCE_REVIEW, Status.APPROVED],
    "admin": [Status.DEPT_REVIEW, Status.FINANCE_REVIEW, Status.APPROVED],
    "filler": [Status.DRAFT, Status.RETURNED],
}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _error_text(exc: JixiaoError) -> str:
    return exc.message(i18n.lang())


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "error.html", {"message": NotFound().message(i18n.lang())}, status=404)


@login_required
@cached_page
def dashboard(request: HttpRequest) -> HttpResponse:
    """The per-role dashboard: counts by status, grade and year, findings to address, my queue."""
    user = request.user
    qs = listed_declarations(user)
    # The three charts from the tally (kept by the database), not from a scan of the declarations.
    by_status: Counter[str] = Counter()
    by_grade: Counter[str] = Counter()
    years: Counter[int] = Counter()
    for status, grade, year, n in (
        listed_tally(user).filter(n__gt=0).values_list("status", "grade", "year", "n")
    ):
        by_status[status] += n
        if grade:
            by_grade[grade] += n
        if year:
            years[year] += n
    by_year = sorted(years.items())
    role = "admin" if user.is_admin_role else user.role  # type: ignore[union-attr]
    # The two short lists need a few header columns, not the canonical JSON of each declaration.
    queued = REVIEW_STATES.get(role, [])
    queue = selected_rows(
        qs.filter(status__in=queued)
        .select_related("organisation")
        .only("id", "year", "project_name", "status", "organisation__name")[:10],
        sum(by_status.get(s, 0) for s in queued),
    )
    # The ten with the most findings among drafts and returned ones: the first ten of each state
    # read down the (status, findings_count) index, merged. One query over both states read every
    # row of both at 100,000 declarations to sort them; a state the user's lists hold none of
    # (a reviewer's, the drafts) is not read at all.
    to_fix = sorted(
        (
            d
            for state in (Status.DRAFT, Status.RETURNED)
            if by_status.get(state)
            for d in selected_rows(
                qs.filter(status=state, findings_count__gt=0)
                .only("id", "year", "project_name", "findings_count")
                .order_by("-findings_count", "id")[:10],
                by_status[state],
            )
        ),
        key=lambda d: (-d.findings_count, d.pk),
    )[:10]
    from jixiao.web.templatetags.jx import status_name

    chart = {
        "status": [
            {"name": status_name(s), "value": by_status.get(s, 0)} for s in Status.values if by_status.get(s)
        ],
        "grade": {
            "labels": [grade_label(g, i18n.lang()) for g in Grade.values],
            "values": [by_grade.get(g, 0) for g in Grade.values],
        },
        "year": {"labels": [str(y) for y, _n in by_year], "values": [n for _y, n in by_year]},
        "titles": {"status": _("按申报表状态"), "grade": _("按审核等级"), "year": _("按年度")},
    }
    total = sum(by_status.values())
    under_review = sum(
        by_status.get(s, 0) for s in (Status.SUBMITTED, Status.DEPT_REVIEW, Status.FINANCE_REVIEW)
    )
    return render(
        request,
        "declarations/dashboard.html",
        {
            "total": total,
            "published": by_status.get(Status.PUBLISHED, 0),
            "under_review": under_review,
            "drafts": by_status.get(Status.DRAFT, 0) + by_status.get(Status.RETURNED, 0),
            "queue": queue,
            "to_fix": to_fix,
            "chart": chart,
        },
    )


@login_required
@cached_page
def declaration_list(request: HttpRequest) -> HttpResponse:
    """The list with filters (year, organisation, status, grade), search and pagination."""
    f = DeclarationFilter(
        year=_int(request.GET.get("year")),
        organisation=_int(request.GET.get("organisation")),
        status=request.GET.get("status") or None,
        grade=request.GET.get("grade") or None,
        q=(request.GET.get("q") or "")[:100] or None,
    )
    base = listed_declarations(request.user)
    sort = request.GET.get("sort") or ""
    order = SORTS.get(sort.lstrip("-"))
    qs = apply_filter(base, f)
    if order is not None:
        qs = qs.order_by(*((("-" if sort.startswith("-") else "") + o) for o in order), "id")
    qs = qs.select_related("organisation").only(
        "id",
        "year",
        "project_name",
        "status",
        "grade",
        "findings_count",
        "annual_amount",
        "updated",
        "organisation__name",
    )
    tally = listed_tally(request.user)
    known, capped = count_filtered(tally, f), False
    searching = known is None
    if known is None:  # a search: its matches are counted, up to the cap
        known = count_up_to(qs, SEARCH_COUNT_CAP + 1)
        known, capped = min(known, SEARCH_COUNT_CAP), known > SEARCH_COUNT_CAP
    paginator = CountedPaginator(qs, PAGE_SIZE, count=known, capped=capped)
    page = paginator.get_page(request.GET.get("page"))
    if searching and not capped:
        # A search with up to the cap of matches: its page is read through the index (bounded by
        # the matches).
        with index_plan(qs.db):
            page.object_list = list(page.object_list)
    elif searching and order is None:
        # More matches than the cap, in the list's own order (which has an index): walking that
        # order finds a page soonest.
        with order_plan(qs.db):
            page.object_list = list(page.object_list)
    elif not searching:
        assert isinstance(page.object_list, QuerySet)  # the paginator slices the query
        page.object_list = selected_rows(page.object_list, known)
    # The years come from the tally too (year 0 is "no year"): a few rows, not a scan.
    years = sorted(set(tally.filter(n__gt=0, year__gt=0).values_list("year", flat=True)), reverse=True)
    params = request.GET.copy()
    params.pop("page", None)
    unsorted = params.copy()
    unsorted.pop("sort", None)
    return render(
        request,
        "declarations/list.html",
        {
            "sort": sort,
            "unsorted_query": unsorted.urlencode(),
            "columns": [
                ("year", _("年度"), ""),
                ("project_name", _("项目名称"), ""),
                ("organisation", _("单位"), ""),
                ("annual_amount", _("年度资金申请总额"), "text-end"),
                ("status", _("状态"), ""),
                ("grade", _("审核等级"), ""),
                ("findings_count", _("审核发现"), ""),
            ],
            "exports": _export_formats(),
            "job_formats": _job_formats(),
            "page": page,
            "rows": declaration_rows(page.object_list),
            "filter": f,
            "year_options": option_list(((y, y) for y in years), f.year),
            **_organisation_picker(request, f.organisation),
            "status_options": option_list(((k, str(label)) for k, label in Status.choices), f.status),
            "grade_options": option_list(((g, grade_label(g, i18n.lang())) for g in Grade.values), f.grade),
            "query_string": params.urlencode(),
            "search_cap": SEARCH_COUNT_CAP,
        },
    )


def _organisation_picker(request: HttpRequest, selected: int | None) -> dict[str, Any]:
    label = _("组织") + "：" + _("全部")
    return organisation_picker(request, visible_organisations(request.user), selected, label)


@login_required
def organisation_options(request: HttpRequest) -> HttpResponse:
    """The list filter's organisations again for the name typed in ``org_q`` (htmx)."""
    selected = _int(request.GET.get("organisation"))
    return render(request, "declarations/_org_picker.html", _organisation_picker(request, selected))


def _detail_context(obj: Declaration) -> dict[str, Any]:
    doc = obj.document
    places = findings_by_place(obj.findings or [])
    panel = (
        grade_panel(obj.findings or [], obj.review_grade, profile_for(obj.year), i18n.lang())
        if engine_available() and obj.review_grade
        else None
    )
    rows = indicator_rows(doc.get("indicators") or [], places["indicators"])
    last_year = _last_year(obj, rows)
    return {
        "panel": panel,
        "obj": obj,
        "doc": doc,
        "rows": rows,
        "places": places,
        "warnings": doc.get("warnings") or [],
        "last_year": last_year,
    }


def _last_year(obj: Declaration | None, rows: list[dict[str, Any]]) -> int | None:
    """Put last year's result beside each indicator of a continuing project (same unit and name).

    Returns the previous year when jixiao holds its self-evaluation, else None (nothing to show).
    """
    from jixiao.services.results import last_year_results

    if obj is None or obj.year is None:
        return None
    previous = last_year_results(obj)
    if not previous:
        return None
    for row in rows:
        found = previous.get(str(row.get("name") or "").strip())
        row["last"] = found
    return obj.year - 1


@login_required
def declaration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The declaration laid out like the official form, findings beside the fields they concern."""
    try:
        obj = svc.get_visible(request.user, pk)
    except NotFound:
        return _not_found(request)
    context = _detail_context(obj)
    context.update(
        {
            "actions": allowed_actions(request.user, obj),
            "can_edit": svc.can_edit(request.user, obj),
            "transitions": obj.transitions.select_related("actor").all(),
            "engine": engine_available(),
            "grades": Grade.values,
            "exports": _export_formats(),
            **adjustment_context(request.user, obj),
            **exante_context(obj),
        }
    )
    return render(request, "declarations/detail.html", context)


def _editor_context(
    request: HttpRequest,
    state: dict[str, Any],
    obj: Declaration | None,
    errors: dict[str, str] | None = None,
    version: int | None = None,
) -> dict[str, Any]:
    year = _int(state.get("year")) or (obj.year if obj else None)
    framework = framework_for(year, settings.JIXIAO_REGION)
    from jixiao.domain.targets import try_parse_target

    places = findings_by_place(obj.findings or []) if obj is not None else findings_by_place([])
    doc, _problems = declaration_from_post(state)
    live = live_rows(doc, _check(doc), i18n.lang()) if doc.indicators else []
    last_year = _last_year(obj, state["rows"])
    for n, row in enumerate(state["rows"]):
        row["findings"] = places["indicators"].get(n, []) if not errors else []
        row["check"] = describe_target(row["target"], i18n.lang()) if row["target"] else None
        row["invalid"] = bool(row["target"]) and try_parse_target(row["target"]).kind == "invalid"
        row["status"] = live[n]["status"] if n < len(live) and row["target"] else ""
    return {
        "state": state,
        "obj": obj,
        "limits": LIMITS.as_dict(),
        "errors": errors or {},
        "other_findings": [
            f for key in ("project", "dates", "funding", "goals", "general") for f in places[key]
        ],
        "version": version if version is not None else (obj.version if obj else 0),
        "framework": framework,
        "framework_levels": {k: list(v) for k, v in framework.levels.items()},
        "frameworks": FRAMEWORKS,
        "project_categories": PROJECT_CATEGORIES,
        "suggestions": _suggestions(request),
        "empty_row": {"level1": next(iter(framework.levels), ""), "level2": "", "name": "", "target": ""},
        "this_year": _today().year,
        "last_year": last_year,
    }


def _suggestions(request: HttpRequest) -> list[str]:
    from jixiao.services.library import editor_names

    return editor_names(request.user)


@login_required
@require_http_methods(["GET", "POST"])
def declaration_new(request: HttpRequest) -> HttpResponse:
    """Create a declaration: the editor with an empty form; saving creates a draft."""
    if not svc.can_create(request.user):
        messages.error(request, _("您没有新建申报表的权限"))
        return redirect("declaration_list")
    if request.method == "POST":
        state = state_from_post(request.POST)
        doc, errors = declaration_from_post(state)
        if not errors:
            try:
                obj = svc.create_declaration(request.user, doc)
            except JixiaoError as exc:
                messages.error(request, _error_text(exc))
            else:
                review_objects([obj])
                messages.success(request, _("保存成功"))
                return redirect("declaration_edit", pk=obj.pk)
        return render(
            request, "declarations/edit.html", _editor_context(request, state, None, errors), status=400
        )
    user_org = request.user.organisation  # type: ignore[union-attr]
    # 年度 and 主管部门 come pre-filled: next year's budget is declared this year (the budget cycle),
    # and the department is the unit's parent in the organisation tree.
    parent = user_org.parent if user_org is not None and user_org.parent_id else None
    state = state_from_document(
        {
            "year": _today().year + 1,
            "project": {
                "implementing_unit": user_org.name if user_org else "",
                "competent_department": parent.name
                if parent is not None and parent.kind == "department"
                else "",
            },
            "indicators": [],
        }
    )
    return render(request, "declarations/edit.html", _editor_context(request, state, None))


@login_required
@require_http_methods(["GET", "POST"])
def declaration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft or returned declaration; a stale version shows a conflict and keeps the input."""
    try:
        obj = svc.get_visible(request.user, pk)
    except NotFound:
        return _not_found(request)
    if not svc.can_edit(request.user, obj):
        messages.error(request, _("当前状态下您不能修改此申报表（审核中或已批复的申报表只能通过流程变更）"))
        return redirect("declaration_detail", pk=pk)
    if request.method == "POST":
        state = state_from_post(request.POST)
        version = _int(request.POST.get("version")) or 0
        doc, errors = declaration_from_post(state)
        status = 400
        if not errors:
            try:
                obj = svc.save_declaration(request.user, pk, doc, version)
            except JixiaoError as exc:
                errors["all"] = _error_text(exc)
                status = http_status(exc.code)  # 409 for a conflict: from the catalogue
            else:
                review_objects([obj])
                messages.success(request, _("保存成功"))
                if request.POST.get("then") == "view":
                    return redirect("declaration_detail", pk=pk)
                return redirect("declaration_edit", pk=pk)
        return render(
            request,
            "declarations/edit.html",
            _editor_context(request, state, obj, errors, version),
            status=status,
        )
    return render(
        request, "declarations/edit.html", _editor_context(request, state_from_document(obj.document), obj)
    )


@login_required
def declaration_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change with who, when and a field-level diff (read-only)."""
    try:
        obj = svc.get_visible(request.user, pk)
    except NotFound:
        return _not_found(request)
    from jixiao.web.declarations.history import history_entries

    return render(request, "declarations/history.html", {"obj": obj, "entries": history_entries(obj)})


@login_required
def export_json(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the declaration as canonical JSON (an array of one document)."""
    try:
        obj = svc.get_visible(request.user, pk)
    except NotFound:
        return _not_found(request)
    body = dumps([from_dict(obj.document)])
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = _download_name(obj, "json")
    return response


def _download_name(obj: Declaration, ext: str) -> str:
    """``2022-城运案件托底处置费-申报表.xlsx`` (with an ASCII fallback for old clients)."""
    from jixiao.services.export import content_disposition, file_name

    return content_disposition(
        file_name(obj.year, obj.project_name, "申报表", ext=ext),
        f"declaration-{obj.year or ''}-{obj.pk}.{ext}",
    )


@login_required
@require_GET
def export_selected(request: HttpRequest) -> HttpResponse:
    """Download the declarations ticked in the list (``?ids=``) in one file: ``fmt`` xlsx (a sheet
    each), bulk (one row per indicator), pdf or json. Only declarations the user may see are
    included; at most 500."""
    from jixiao.services.export import content_disposition, export_documents, file_name

    fmt = request.GET.get("fmt") or "xlsx"
    ids = [i for i in (_int(v) for v in request.GET.getlist("ids")[:500]) if i is not None]
    objs = list(visible_declarations(request.user).filter(pk__in=ids).order_by("-year", "project_name", "id"))
    if not objs:
        messages.error(request, _("请先勾选要导出的申报表"))
        return redirect("declaration_list")
    docs = [from_dict(o.document) for o in objs]
    if fmt == "json":
        data, content_type, ext = dumps(docs).encode(), "application/json; charset=utf-8", "json"
    else:
        try:
            data, content_type = export_documents(docs, fmt)
        except JixiaoError as exc:
            return render(request, "error.html", {"message": _error_text(exc)}, status=400)
        ext = "pdf" if fmt == "pdf" else "xlsx"
    years: list[int | str] = [*sorted({o.year for o in objs if o.year})] or [""]
    name = file_name(*years, f"申报表{len(objs)}份", ext=ext)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(name, f"declarations-{len(objs)}.{ext}")
    return response


def _job_formats() -> list[tuple[str, Any]]:
    """Return the formats of the background export (a PDF zip only when the PDF writer is installed)."""
    from jixiao.web.jobs.views import EXPORT_LABELS

    pdf = "pdf" in _export_formats()
    return [(key, label) for key, label in EXPORT_LABELS.items() if key != "zip-pdf" or pdf]


def _export_formats() -> list[str]:
    """Return the extra export formats whose writers are installed."""
    from jixiao.services.export import available_formats

    return available_formats()


@login_required
def export_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Download the declaration as Excel or PDF through the formats writers, when installed."""
    try:
        obj = svc.get_visible(request.user, pk)
    except NotFound:
        return _not_found(request)
    from jixiao.services.export import export_bytes

    try:
        data, content_type = export_bytes(obj, fmt)
    except ServerBusy as exc:
        response = render(request, "error.html", {"message": _error_text(exc)}, status=503)
        response["Retry-After"] = "5"
        return response
    except JixiaoError as exc:
        return render(request, "error.html", {"message": _error_text(exc)}, status=400)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = _download_name(obj, fmt)
    return response


@login_required
@require_POST
def live_check(request: HttpRequest) -> JsonResponse:
    """The editor's live check: the declaration as typed, reviewed as the save reviews it.

    Returns per indicator row its status (ok / warning / error), the grammar's reading and the
    findings, and the grade the save would give with its deductions.
    """
    state = state_from_post(request.POST)
    doc, errors = declaration_from_post(state)
    lang = i18n.lang()
    check = _check(doc)
    panel = (
        grade_panel(check.findings, check.grade, profile_for(doc.year), lang) if check is not None else None
    )
    rows = live_rows(doc, check, lang)
    for row, ind in zip(rows, doc.indicators, strict=True):
        row["benchmark"] = benchmark_hint(ind.name, ind.target)  # 指标对标 beside the row being typed
    return JsonResponse(
        {
            "rows": rows,
            "grade": check.grade if check is not None else None,
            "score": str(check.score) if check is not None else None,
            "deductions": [d.to_dict() for d in panel["deductions"]] if panel else [],
            "errors": errors,
        }
    )


def _check(doc: Any) -> Any:
    """Return the review of ``doc`` as typed (None without the review engine)."""
    if not engine_available():
        return None
    from jixiao.review.checking import check_declaration
    from jixiao.services.review import review_peers

    try:
        return check_declaration(doc, profile_for(doc.year), review_peers())
    except JixiaoError:
        return None


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


@login_required
@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    """The fillable Excel template of ``?kind=`` for ``?year=``, with the lists of the framework the
    editor uses for that year (the region's), named so a person can tell it from the others."""
    from urllib.parse import quote

    from jixiao.formats.xlsx import template_xlsx

    kind = request.GET.get("kind") or "declaration"
    if kind not in ("declaration", "self_evaluation"):
        return HttpResponseBadRequest("kind")
    year = _int(request.GET.get("year")) or _today().year
    if not 2000 <= year <= 2100:
        year = _today().year
    framework = framework_for(year, "shanghai")
    data = template_xlsx(kind, year=year, framework=framework.key)
    title = "绩效目标申报表" if kind == "declaration" else "绩效自评表"
    name = f"{title}模板-{year}.xlsx"
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{kind}-template-{year}.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def target_check(request: HttpRequest) -> JsonResponse:
    """How a target text reads under the grammar (the editor's live check; also used by the API)."""
    text = (request.GET.get("text") or "")[:300]
    return JsonResponse(describe_target(text, i18n.lang()))


@require_GET
def framework_levels(request: HttpRequest) -> HttpResponse:
    """The 一级 → 二级 tree of the framework in force for ``?year=`` (the editor follows the year).

    An HTML fragment, as the editor's own page carries it: each name is a form value in Chinese (what
    the declaration stores) and an option's text in the reader's language.
    """
    framework = framework_for(_int(request.GET.get("year")), "shanghai")
    return render(
        request,
        "declarations/_framework.html",
        {"framework": framework, "framework_levels": {k: list(v) for k, v in framework.levels.items()}},
    )


@login_required
@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    """Indicator names from the library and the declarations in scope matching ``q``."""
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:50]
    level2 = (request.GET.get("level2") or "").replace("\x00", "").strip()[:50]
    from jixiao.services.library import matching_indicators

    found = matching_indicators(request.user, q, level2)
    return JsonResponse({"results": found})


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a file (text, JSON; Excel and PDF via the same readers) and show its preview."""
    if not svc.can_create(request.user):
        messages.error(request, _("您没有导入申报表的权限"))
        return redirect("declaration_list")
    this_year = _today().year
    context: dict[str, Any] = {
        "limit_mb": settings.MAX_UPLOAD_BYTES / 1024 / 1024,
        "this_year": this_year,
        "last_year": this_year - 1,
        "scan_job_pages": settings.SCAN_JOB_PAGES,
    }
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InputError("请选择要上传的文件", "choose a file to upload", code="JX-E110")
            if upload.size is not None and upload.size > settings.MAX_UPLOAD_BYTES:
                raise UploadTooLarge(upload.size, settings.MAX_UPLOAD_BYTES)
            data = upload.read(settings.MAX_UPLOAD_BYTES + 1)
            if len(data) > settings.MAX_UPLOAD_BYTES:
                raise UploadTooLarge(len(data), settings.MAX_UPLOAD_BYTES)
            name = (upload.name or "upload").replace("\x00", "")[:200]
            scan_pages = scan_page_count(data)
            if scan_pages is not None and scan_pages >= settings.SCAN_JOB_PAGES:
                # A long scan is read page by page in a job; its page shows the pages read, then
                # leads to this same preview.
                job = claim_scan_job(user_of(request), data, name, scan_pages)
                return redirect("job_detail", pk=job.pk)
            token = request.POST.get("progress_token", "")
            if import_progress.valid_token(token):
                user_id = user_of(request).pk

                def pages(done: int, total: int) -> None:
                    import_progress.write(user_id, token, done, total)

                with scan_reporting(pages):  # a scan reports its pages to the waiting page
                    docs = svc.only_declarations(read_bytes(data, name))
            else:
                docs = svc.only_declarations(read_bytes(data, name))
            # Refused at the preview (no declaration, over the limits), before anything waits.
            pending = stage_import(user_of(request), name, docs)
        except JixiaoError as exc:
            context["error"] = _error_text(exc)
            return render(request, "declarations/import.html", context, status=400)
        return redirect("import_preview", pk=pending.pk)
    return render(request, "declarations/import.html", context)


@login_required
@require_GET
def import_pages(request: HttpRequest) -> JsonResponse:
    """How many pages of the scan being uploaded with ``token`` are read: ``{"done": n, "total": m}``."""
    token = request.GET.get("token", "")
    if not import_progress.valid_token(token):
        return JsonResponse({"code": "JX-E501", "message": "token: 32 hex digits"}, status=422)
    return JsonResponse(import_progress.read(user_of(request).pk, token) or {"done": 0, "total": 0})


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Show per document its review, reader warnings and existing match; POST imports the chosen ones.

    Each document is created, updates its match (same unit, year and name) as a new version, or is
    skipped, as chosen; the whole confirmation is one transaction.
    """
    if request.method == "POST":
        if PendingImport.objects.filter(pk=pk).exclude(user=user_of(request)).exists():
            return _not_found(request)  # someone else's preview
        choices: dict[int, Any] | None = None
        if request.POST.get("choices") == "1":
            choices = {}
            for key, value in request.POST.items():
                if key.startswith("choice_") and value in ("new", "update", "skip"):
                    n = _int(key[len("choice_") :])
                    if n is not None:
                        choices[n] = value
            pending_docs = (
                PendingImport.objects.filter(pk=pk, user=user_of(request))
                .values_list("documents", flat=True)
                .first()
            )
            for n in range(len(pending_docs or [])):
                if request.POST.get(f"include_{n}") != "1":
                    choices[n] = "skip"
        # A large import runs as a job in a worker (the page shows its progress); a small one here.
        size = len(
            PendingImport.objects.filter(pk=pk, user=user_of(request))
            .values_list("documents", flat=True)
            .first()
            or []
        )
        if size >= settings.IMPORT_JOB_MIN:
            try:
                job = claim_import_job(user_of(request), pk, choices)
            except JixiaoError as exc:
                messages.error(request, _error_text(exc))
                return redirect("import_preview", pk=pk)
            if job is None:
                messages.info(request, _("此文件已导入，没有再次导入"))
                return redirect("/declarations/?q=&status=draft")
            return redirect("job_detail", pk=job.pk)
        # Idempotent: a second confirmation (double click, another tab) finds nothing to import.
        try:
            result = confirm_import(request.user, pk, choices)
        except JixiaoError as exc:
            messages.error(request, _error_text(exc))
            return redirect("import_preview", pk=pk)
        if result is None:
            messages.info(request, _("此文件已导入，没有再次导入"))
        else:
            text = _("导入 %(n)s 份申报表") % {"n": len(result.created)}
            if result.updated:
                text += " · " + _("更新为新版本 %(n)s") % {"n": len(result.updated)}
            if result.skipped:
                text += " · " + _("跳过 %(n)s") % {"n": result.skipped}
            messages.success(request, text)
        return redirect("/declarations/?q=&status=draft")
    pending = PendingImport.objects.filter(pk=pk, user=user_of(request)).first()
    if pending is None:
        return _not_found(request)
    items = preview_import(request.user, pending)
    docs = [
        {
            "item": item,
            "doc": item.doc,
            "rows": indicator_rows(
                item.doc.get("indicators") or [], findings_by_place(item.findings)["indicators"]
            ),
            "errors": sum(1 for f in item.findings if f.get("severity") == "error"),
            "warnings_count": sum(1 for f in item.findings if f.get("severity") == "warning"),
        }
        for item in items
    ]
    return render(
        request,
        "declarations/import_preview.html",
        {"pending": pending, "docs": docs, "matched": sum(1 for i in items if i.match is not None)},
    )


@login_required
@require_POST
def rereview(request: HttpRequest, pk: int) -> HttpResponse:
    """Run the review engine again on one declaration."""
    try:
        obj = svc.get_visible(request.user, pk)
    except NotFound:
        return _not_found(request)
    before = (obj.review_grade, obj.findings_count)
    review_objects([obj])
    obj.refresh_from_db()
    text = _("重新审核完成：机审等级 %(grade)s · 审核发现 %(findings)s") % {
        "grade": obj.review_grade or "—",
        "findings": obj.findings_count,
    }
    if before != (obj.review_grade, obj.findings_count):
        text += _("（原为 %(grade)s · %(findings)s）") % {"grade": before[0] or "—", "findings": before[1]}
    else:
        text += _("（与上次相同）")
    messages.success(request, text)
    return redirect("declaration_detail", pk=pk)


def bad_request(message: str) -> HttpResponseBadRequest:
    """Return a 400 with a JSON error body."""
    return HttpResponseBadRequest(
        json.dumps({"message": message}, ensure_ascii=False), content_type="application/json"
    )
