"""Long work as jobs: a large import confirmed in the browser runs in a worker, with its progress.

The queue is django-tasks' database backend (the backport of Django 6's tasks): a task row in the
application's own database, picked up by ``jixiao worker`` (its ``db_worker``). What the user sees is
a :class:`~jixiao.db.jobs.models.Job` row: state, ``done`` of ``total``, the result or the error, a log.

Exactly once, even when a worker is killed:

* the confirmation is claimed once, in one transaction that deletes the pending import and creates
  the job (of several confirmations, the first takes it and the others find nothing);
* the job then works in chunks; each chunk's declarations, their review and the job's ``done``
  counter are committed in one transaction. A worker that dies inside a chunk leaves neither its
  declarations nor its progress; the job retried (:func:`retry_job`, or the task run again) resumes
  at ``done`` and so never creates a declaration twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from jixiao.db.declarations.models import Declaration, PendingImport
from jixiao.db.jobs.models import Job, JobState
from jixiao.domain.limits import check_documents
from jixiao.formats.json import from_dict
from jixiao.services.declarations import (
    EDITABLE_STATES,
    import_documents,
    only_declarations,
    save_declaration,
)
from jixiao.services.imports import Choice, _match
from jixiao.services.review import review_objects

__all__ = ["IMPORT_CHUNK", "claim_import_job", "job_status", "retry_job", "run_import_job"]

# Declarations committed per transaction: small enough that a crash loses little work and the
# progress bar moves, large enough that the unit's batch review runs on many at once.
IMPORT_CHUNK = 25


def claim_import_job(user: Any, pk: int, choices: Mapping[int, Choice] | None = None) -> Job | None:
    """Claim the user's pending import ``pk`` as a job and queue it; None when it is already claimed.

    The matches to update are resolved now, as the user saw them in the preview, so that the
    declarations the job itself creates are never taken for matches.
    """
    pending = PendingImport.objects.filter(pk=pk, user=user).first()
    if pending is None:
        return None
    raw = [d for d in pending.documents]
    docs = only_declarations(from_dict(d) for d in raw)
    check_documents(list(docs))
    plan: list[list[Any]] = []
    for n, doc in enumerate(docs):
        choice = (choices or {}).get(n, "new") if choices is not None else "new"
        if (
            choice == "update"
            and (match := _match(user, doc)) is not None
            and match.status in EDITABLE_STATES
        ):
            plan.append(["update", match.pk, match.version])
        elif choice == "skip":
            plan.append(["skip"])
        else:
            plan.append(["new"])
    with transaction.atomic():
        claimed, _ = PendingImport.objects.filter(pk=pk, user=user).delete()
        if not claimed:
            return None  # another confirmation took it in the meantime
        job = Job.objects.create(
            kind="import",
            title=pending.file_name[:300],
            user=user,
            total=len(docs),
            payload={"documents": [_to_dict(d) for d in docs], "plan": plan},
            result={"created": [], "updated": [], "skipped": 0},
        )
        # Queued only once the claim is committed: a worker never sees a job that may roll back.
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _to_dict(doc: Any) -> dict[str, Any]:
    from jixiao.formats.json import to_dict

    return to_dict(doc)


def _enqueue(job_id: int) -> None:
    result = import_job_task.enqueue(job_id)
    Job.objects.filter(pk=job_id).update(task_id=str(result.id))


def retry_job(job: Job) -> None:
    """Queue a job that failed or whose worker died again; it resumes where its last commit left it."""
    if job.state == JobState.DONE:
        return
    Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED, error="")
    _enqueue(job.pk)


def _log(job: Job, line: str) -> None:
    job.log += f"{timezone.localtime():%Y-%m-%d %H:%M:%S} {line}\n"


def run_import_job(job_id: int, chunk: int | None = None) -> dict[str, Any]:
    """Do (or resume) import job ``job_id`` chunk by chunk; return its result.

    An error stops the job as ``failed`` with the error recorded (the chunks committed before it
    stay, and a retry resumes after them), then propagates so that the queue records it too.
    """
    chunk = chunk or IMPORT_CHUNK
    job = Job.objects.get(pk=job_id)
    if job.state == JobState.DONE:
        return dict(job.result)
    Job.objects.filter(pk=job_id).update(state=JobState.RUNNING, attempts=job.attempts + 1)
    docs = only_declarations(from_dict(d) for d in job.payload["documents"])
    plan = job.payload["plan"]
    try:
        while True:
            with transaction.atomic():
                # The row lock makes a second worker on the same job wait, then see the new ``done``.
                job = Job.objects.select_for_update().get(pk=job_id)
                start = job.done
                if start >= job.total:
                    break
                end = min(start + chunk, job.total)
                created_docs, updated = [], []
                skipped = 0
                for n in range(start, end):
                    step = plan[n]
                    if step[0] == "skip":
                        skipped += 1
                    elif step[0] == "update":
                        updated.append(save_declaration(job.user, step[1], docs[n], step[2]))
                    else:
                        created_docs.append(docs[n])
                created = import_documents(job.user, created_docs) if created_docs else []
                review_objects(created + updated)
                job.result["created"] += [d.pk for d in created]
                job.result["updated"] += [d.pk for d in updated]
                job.result["skipped"] += skipped
                job.done = end
                _log(
                    job,
                    f"第 {start + 1}–{end} 份：新建 {len(created)}，更新 {len(updated)}，跳过 {skipped}"
                    f" / forms {start + 1}–{end}: {len(created)} created, {len(updated)} updated, {skipped} skipped",
                )
                job.save(update_fields=["result", "done", "log", "updated"])
    except Exception as exc:
        job = Job.objects.get(pk=job_id)
        job.state = JobState.FAILED
        job.error = str(exc) or type(exc).__name__
        _log(job, f"失败 / failed: {job.error}")
        job.save(update_fields=["state", "error", "log", "updated"])
        raise
    job.state = JobState.DONE
    _log(job, "完成 / done")
    job.save(update_fields=["state", "log", "updated"])
    return dict(job.result)


@task()
def import_job_task(job_id: int) -> dict[str, Any]:
    """The queued task of an import job (run by ``jixiao worker``)."""
    return run_import_job(job_id)


def job_status(job: Job) -> dict[str, Any]:
    """What the progress endpoint returns: state, done, total, percent, result or error."""
    out: dict[str, Any] = {
        "id": job.pk,
        "kind": job.kind,
        "state": job.state,
        "state_label": job.get_state_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "error": job.error,
    }
    if job.state == JobState.DONE:
        out["result"] = {
            "created": len(job.result.get("created", [])),
            "updated": len(job.result.get("updated", [])),
            "skipped": job.result.get("skipped", 0),
        }
    return out


def created_declarations(job: Job) -> Any:
    """The declarations an import job created or updated (for the result page)."""
    ids = list(job.result.get("created", [])) + list(job.result.get("updated", []))
    return Declaration.objects.filter(pk__in=ids)
