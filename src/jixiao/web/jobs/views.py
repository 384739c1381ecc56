"""A job's page: a progress bar that htmx refreshes until the job is done, then its result; and the
forms that start the kinds besides the import (bulk export, batch review, recomputed actuals)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from jixiao.db.declarations.models import PendingImport
from jixiao.db.jobs.models import Job, JobState
from jixiao.domain.error_codes import http_status
from jixiao.domain.errors import JixiaoError, NotFound
from jixiao.services import batch_jobs
from jixiao.services.export import content_disposition
from jixiao.services.jobs import (
    can_see,
    created_declarations,
    in_language,
    job_status,
    retry_job,
    visible_jobs,
)
from jixiao.services.queries import DeclarationFilter
from jixiao.web import i18n
from jixiao.web.signed_in import user_of

# What each kind and export format is called on the pages.
KIND_LABELS = {
    "import": _("导入"),
    "export": _("批量导出"),
    "review": _("批量审核"),
    "actuals": _("重算实际值"),
    "scan": _("扫描件识别"),
    "corpus": _("语料分析"),
}
# What a job's items are, after its total ("· 12 页").
ITEM_LABELS = {"scan": _("页"), "corpus": _("个文件")}
EXPORT_LABELS = {
    "zip-xlsx": _("ZIP · 每份申报表一个 Excel 官方表样"),
    "zip-pdf": _("ZIP · 每份申报表一个 PDF 官方表样"),
    "bulk": _("Excel · 批量表（每个指标一行）"),
}


def _own_job(request: HttpRequest, pk: int) -> Job | None:
    # A job is its owner's (and an administrator's): nobody else sees it, nor learns that it exists.
    job = Job.objects.filter(pk=pk).first()
    return job if job is not None and can_see(user_of(request), job) else None


# A running job that has committed nothing for this long has most likely lost its worker: the page
# offers to resume it (safe even if the worker is alive: chunks are taken under the job's row lock).
STALE_AFTER = timedelta(minutes=10)


def _context(job: Job) -> dict[str, object]:
    finished = job.state in (JobState.DONE, JobState.FAILED)
    stale = job.state == JobState.RUNNING and job.updated < timezone.now() - STALE_AFTER
    done = job.state == JobState.DONE
    lang = i18n.lang()
    context: dict[str, object] = {
        "job": job,
        "log": in_language(job.log, lang),
        "error": in_language(job.error, lang),
        "kind_label": KIND_LABELS.get(job.kind, job.kind),
        "item_label": ITEM_LABELS.get(job.kind, _("份申报表")),
        "preview": _scan_preview(job) if done and job.kind == "scan" else None,
        "stale": stale,
        "status": job_status(job),
        "finished": finished,
        "declarations": list(created_declarations(job)[:50]) if done and job.kind == "import" else [],
    }
    if done and job.kind == "actuals":
        context["actual_rows"] = list(job.result.get("rows", {}).items())[:200]
    if done and job.kind == "corpus":
        context["failed_files"] = job.result.get("failed", [])[:50]
    return context


def _scan_preview(job: Job) -> str | None:
    # The preview of the forms a scan job read, while they still wait for the user's confirmation.
    pk = job.result.get("pending")
    return f"/declarations/import/{pk}/" if pk and PendingImport.objects.filter(pk=pk).exists() else None


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "error.html", {"message": NotFound().message(i18n.lang())}, status=404)


def _refused(request: HttpRequest, exc: JixiaoError) -> HttpResponse:
    return render(request, "error.html", {"message": exc.message(i18n.lang())}, status=http_status(exc.code))


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    """The user's recent jobs with their state and progress."""
    jobs = list(visible_jobs(user_of(request)).select_related("user")[:100])
    rows = [(job, KIND_LABELS.get(job.kind, job.kind)) for job in jobs]
    return render(request, "jobs/list.html", {"rows": rows})


JobView = Callable[[HttpRequest, Job], HttpResponse]


def _own_job_view(*, json: bool = False) -> Callable[[JobView], Callable[[HttpRequest, int], HttpResponse]]:
    """Give the view the user's job ``pk``; answer 404 (the page, or JSON for the polling views) when
    the job does not exist or is another user's, the same either way."""

    def wrap(view: JobView) -> Callable[[HttpRequest, int], HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, pk: int) -> HttpResponse:
            job = _own_job(request, pk)
            if job is not None:
                return view(request, job)
            if json:
                return JsonResponse(
                    {"code": "JX-E404", "message": NotFound().message(i18n.lang())}, status=404
                )
            return _not_found(request)

        return wrapper

    return wrap


@login_required
@require_GET
@_own_job_view()
def job_detail(request: HttpRequest, job: Job) -> HttpResponse:
    """The job's page: progress while it runs, the result (or the error) when it has finished."""
    response = render(request, "jobs/detail.html", _context(job))
    # Never restored from the browser's back-forward cache: a page restored as it was while the job
    # ran would poll again, and a finished scan's poll goes on to its preview; fetched again, the
    # page shows the finished job and stays.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
@_own_job_view(json=True)
def job_progress(request: HttpRequest, job: Job) -> HttpResponse:
    """The progress panel alone (htmx swaps it in every second until the job has finished)."""
    context = _context(job)
    response = render(request, "jobs/_progress.html", context)
    if context["preview"] and request.headers.get("HX-Request"):
        # A scan read while the page watched: the page goes on to its preview, as an upload does.
        response["HX-Redirect"] = str(context["preview"])
    return response


@login_required
@require_GET
@_own_job_view(json=True)
def job_status_json(request: HttpRequest, job: Job) -> HttpResponse:
    """``{"state", "done", "total", "percent", "result" | "error"}`` of the user's job."""
    return JsonResponse(job_status(job))


@login_required
@require_POST
@_own_job_view()
def job_retry(request: HttpRequest, job: Job) -> HttpResponse:
    """Queue a failed job again: it resumes after the last chunk it committed."""
    retry_job(job)
    return redirect("job_detail", pk=job.pk)


@login_required
@require_GET
@_own_job_view()
def job_download(request: HttpRequest, job: Job) -> HttpResponse:
    """The file a finished job made (an export's zip or workbook), for its owner only."""
    found = batch_jobs.result_file(job) if job.state == JobState.DONE else None
    if found is None:
        return _not_found(request)
    response = HttpResponse(bytes(found.data), content_type=found.content_type)
    ext = found.name.rsplit(".", 1)[-1]
    response["Content-Disposition"] = content_disposition(found.name, f"job-{job.pk}.{ext}")
    return response


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _start(request: HttpRequest, claim: Callable[[], Job]) -> HttpResponse:
    # Claiming checks what the job may do (nothing to work on, too many items, a limit): a refusal is
    # shown with its message, a claimed job's page follows its progress.
    try:
        job = claim()
    except JixiaoError as exc:
        return _refused(request, exc)
    return redirect("job_detail", pk=job.pk)


@login_required
@require_POST
def start_export(request: HttpRequest) -> HttpResponse:
    """Export the ticked declarations (``ids``) or, with none ticked, every one the list's filter finds."""
    post = request.POST
    ids = [i for i in (_int(v) for v in post.getlist("ids")) if i is not None]
    filt = DeclarationFilter(
        year=_int(post.get("year")),
        organisation=_int(post.get("organisation")),
        status=post.get("status") or None,
        grade=post.get("grade") or None,
        q=(post.get("q") or "")[:100] or None,
    )
    return _start(
        request,
        lambda: batch_jobs.claim_export_job(user_of(request), post.get("job_fmt") or "zip-xlsx", ids, filt),
    )


@login_required
@require_POST
def start_review(request: HttpRequest) -> HttpResponse:
    """Review every declaration of one unit in one year (``organisation``, ``year``) again."""
    org, year = _int(request.POST.get("organisation")), _int(request.POST.get("year"))

    def claim() -> Job:
        if org is None or year is None:
            raise batch_jobs.nothing_to_do()
        return batch_jobs.claim_review_job(user_of(request), org, year)

    return _start(request, claim)


@login_required
@require_POST
def start_actuals(request: HttpRequest) -> HttpResponse:
    """Recompute, from the unit's records, every bound indicator's value up to ``month``."""
    month = _int(request.POST.get("month"))
    return _start(
        request, lambda: batch_jobs.claim_actuals_job(user_of(request), month if month is not None else 0)
    )
