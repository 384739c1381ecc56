"""A job's page: a progress bar that htmx refreshes until the job is done, then its result."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from jixiao.db.jobs.models import Job, JobState
from jixiao.domain.errors import NotFound
from jixiao.services.jobs import created_declarations, job_status, retry_job
from jixiao.web import i18n
from jixiao.web.signed_in import user_of


def _own_job(request: HttpRequest, pk: int) -> Job | None:
    # A job shows the user's own import: nobody else's jobs are visible, not even their existence.
    return Job.objects.filter(pk=pk, user=user_of(request)).first()


# A running job that has committed nothing for this long has most likely lost its worker: the page
# offers to resume it (safe even if the worker is alive: chunks are taken under the job's row lock).
STALE_AFTER = timedelta(minutes=10)


def _context(job: Job) -> dict[str, object]:
    finished = job.state in (JobState.DONE, JobState.FAILED)
    stale = job.state == JobState.RUNNING and job.updated < timezone.now() - STALE_AFTER
    return {
        "job": job,
        "stale": stale,
        "status": job_status(job),
        "finished": finished,
        "declarations": list(created_declarations(job)[:50]) if job.state == JobState.DONE else [],
    }


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's page: progress while it runs, the result (or the error) when it has finished."""
    job = _own_job(request, pk)
    if job is None:
        return render(request, "error.html", {"message": NotFound().message(i18n.lang())}, status=404)
    return render(request, "jobs/detail.html", _context(job))


@login_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress panel alone (htmx swaps it in every second until the job has finished)."""
    job = _own_job(request, pk)
    if job is None:
        return JsonResponse({"code": "JX-E404", "message": NotFound().message(i18n.lang())}, status=404)
    return render(request, "jobs/_progress.html", _context(job))


@login_required
@require_GET
def job_status_json(request: HttpRequest, pk: int) -> JsonResponse:
    """``{"state", "done", "total", "percent", "result" | "error"}`` of the user's job ``pk``."""
    job = _own_job(request, pk)
    if job is None:
        return JsonResponse({"code": "JX-E404", "message": NotFound().message(i18n.lang())}, status=404)
    return JsonResponse(job_status(job))


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a failed job again: it resumes after the last chunk it committed."""
    job = _own_job(request, pk)
    if job is None:
        return render(request, "error.html", {"message": NotFound().message(i18n.lang())}, status=404)
    retry_job(job)
    return redirect("job_detail", pk=pk)
