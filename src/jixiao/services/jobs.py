"""Long work as jobs: one runner for every kind (imports, exports, batch review, actuals, scans).

The queue is django-tasks' database backend (the backport of Django 6's tasks): a task row in the
application's own database, picked up by ``jixiao worker`` (its ``db_worker``). What the user sees is
a :class:`~jixiao.db.jobs.models.Job` row: state, ``done`` of ``total``, the result or the error, a log.

A job's items (forms to import, declarations to export or review, pages to read) are fixed when it
is created and kept on the row; :func:`run_job` works them in chunks and is the one place that
claims, commits and resumes. Exactly once, even when a worker is killed:

* each chunk's work, its share of the result and the job's ``done`` counter are committed in one
  transaction, taken under the job's row lock. A worker that dies inside a chunk leaves neither its
  work nor its progress; the job retried (:func:`retry_job`, or the task run again) resumes at
  ``done`` and so never does an item twice;
* what a kind does once at the end (assembling an export's file) runs in the same transaction that
  marks the job done, so it, too, happens once;
* files a chunk stores (:class:`~jixiao.db.jobs.models.JobFile`) are unique per job and key.

Each kind is a :class:`Kind` in :data:`KINDS`; the import is one of them (this module), the others
live in :mod:`jixiao.services.batch_jobs`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from jixiao.db.declarations.models import Declaration, PendingImport
from jixiao.db.jobs.models import Job, JobState
from jixiao.domain.errors import InputError, JixiaoError
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

__all__ = [
    "IMPORT_CHUNK",
    "KINDS",
    "Kind",
    "can_see",
    "claim_import_job",
    "create_job",
    "in_language",
    "job_status",
    "register",
    "retry_job",
    "run_import_job",
    "run_job",
    "visible_jobs",
]

# Declarations committed per transaction: small enough that a crash loses little work and the
# progress bar moves, large enough that the unit's batch review runs on many at once.
IMPORT_CHUNK = 25


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of job: how a chunk of its items is done, and what is done once at the end.

    ``step(job, start, end)`` does items ``start``..``end - 1``, adds their share to ``job.result``
    (the runner saves it) and returns the log line; it runs inside the chunk's transaction.
    ``finish(job)``, when given, runs in the transaction that marks the job done and returns a log
    line. ``summary(job)`` is the result as the progress endpoint shows it once done.
    """

    name: str
    step: Callable[[Job, int, int], str]
    chunk: Callable[[], int]
    finish: Callable[[Job], str] | None = None
    summary: Callable[[Job], dict[str, Any]] | None = None


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add ``kind`` to :data:`KINDS` (each kind's module registers its own at import)."""
    KINDS[kind.name] = kind
    return kind


def kind_of(name: str) -> Kind:
    """Return the registered kind ``name``; InputError JX-E796 for a kind nobody registered."""
    import jixiao.services.batch_jobs  # noqa: F401  (registers the other kinds)
    import jixiao.services.file_jobs  # noqa: F401

    kind = KINDS.get(name)
    if kind is None:
        raise InputError(f"未知的后台任务类型「{name}」", f"unknown job kind '{name}'", code="JX-E796")
    return kind


def can_see(user: Any, job: Job) -> bool:
    """Return True when ``user`` may see ``job`` and its result: its owner, or an administrator."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(job.user_id == user.pk or user.is_admin_role)


def visible_jobs(user: Any) -> Any:
    """Return the jobs ``user`` may see (their own; every job for an administrator)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Job.objects.none()
    return Job.objects.all() if user.is_admin_role else Job.objects.filter(user=user)


def create_job(
    user: Any, kind: str, title: str, total: int, payload: dict[str, Any], result: dict[str, Any]
) -> Job:
    """Create a job of ``kind`` and queue it once the surrounding transaction commits."""
    kind_of(kind)
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, title=title[:300], user=user, total=total, payload=payload, result=result
        )
        # Queued only once the job is committed: a worker never sees a job that may roll back.
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    result = run_job_task.enqueue(job_id)
    Job.objects.filter(pk=job_id).update(task_id=str(result.id))


def retry_job(job: Job) -> None:
    """Queue a job that failed or whose worker died again; it resumes where its last commit left it."""
    if job.state == JobState.DONE:
        return
    Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED, error="")
    _enqueue(job.pk)


def log(job: Job, line: str) -> None:
    """Add a time-stamped line to the job's log (saved with the job by the runner)."""
    job.log += f"{timezone.localtime():%Y-%m-%d %H:%M:%S} {line}\n"


def run_job(job_id: int, chunk: int | None = None) -> dict[str, Any]:
    """Do (or resume) job ``job_id`` chunk by chunk; return its result.

    An error stops the job as ``failed`` with the error recorded (the chunks committed before it
    stay, and a retry resumes after them), then propagates so that the queue records it too.
    """
    job = Job.objects.get(pk=job_id)
    if job.state == JobState.DONE:
        return dict(job.result)
    kind = kind_of(job.kind)
    size = chunk or kind.chunk()
    Job.objects.filter(pk=job_id).update(state=JobState.RUNNING, attempts=job.attempts + 1)
    try:
        while True:
            with transaction.atomic():
                # The row lock makes a second worker on the same job wait, then see the new ``done``.
                job = Job.objects.select_for_update().get(pk=job_id)
                if job.state == JobState.DONE:
                    break  # another worker finished it while this one waited
                start = job.done
                if start >= job.total:
                    if kind.finish is not None:
                        log(job, kind.finish(job))
                    job.state = JobState.DONE
                    log(job, "完成 / done")
                    job.save(update_fields=["state", "result", "log", "updated"])
                    break
                end = min(start + size, job.total)
                log(job, kind.step(job, start, end))
                job.done = end
                job.save(update_fields=["result", "done", "log", "updated"])
    except Exception as exc:
        job = Job.objects.get(pk=job_id)
        job.state = JobState.FAILED
        zh, en = _error_texts(exc)
        job.error = zh if zh == en else f"{zh} / {en}"
        log(job, f"失败：{zh} / failed: {en}")
        job.save(update_fields=["state", "error", "log", "updated"])
        raise
    return dict(Job.objects.get(pk=job_id).result)


def _error_texts(exc: Exception) -> tuple[str, str]:
    # A catalogued error keeps its code and both languages; anything else its one message.
    if isinstance(exc, JixiaoError):
        return exc.message("zh"), exc.message("en")
    text = str(exc) or type(exc).__name__
    return text, text


def in_language(text: str, lang: str) -> str:
    """Return a job's log or error in ``lang``: each line is written ``中文 / English`` (the time
    stamp before both), and the page shows the reader's half."""
    out = []
    for line in text.splitlines():
        stamp = ""
        if len(line) > 20 and line[4] == "-" and line[13] == ":" and line[19] == " ":
            stamp, line = line[:20], line[20:]
        zh, sep, en = line.partition(" / ")
        out.append(stamp + ((en if lang == "en" else zh) if sep else line))
    return "\n".join(out)


@task()
def run_job_task(job_id: int) -> dict[str, Any]:
    """The queued task of any job (run by ``jixiao worker``)."""
    return run_job(job_id)


@task()
def import_job_task(job_id: int) -> dict[str, Any]:
    """Import jobs queued before the runner was shared name this task; it runs them the same way."""
    return run_job(job_id)


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
        kind = kind_of(job.kind)
        out["result"] = kind.summary(job) if kind.summary else {}
    return out


# -- the import: a large file confirmed in the browser -------------------------------------------


def claim_import_job(user: Any, pk: int, choices: Mapping[int, Choice] | None = None) -> Job | None:
    """Claim the user's pending import ``pk`` as a job and queue it; None when it is already claimed.

    The confirmation is claimed once, in one transaction that deletes the pending import and
    creates the job (of several confirmations, the first takes it and the others find nothing).
    The matches to update are resolved now, as the user saw them in the preview, so that the
    declarations the job itself creates are never taken for matches.
    """
    pending = PendingImport.objects.filter(pk=pk, user=user).first()
    if pending is None:
        return None
    docs = only_declarations(from_dict(d) for d in pending.documents)
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
        claimed, _n = PendingImport.objects.filter(pk=pk, user=user).delete()
        if not claimed:
            return None  # another confirmation took it in the meantime
        return create_job(
            user,
            "import",
            pending.file_name,
            len(docs),
            {"documents": [_to_dict(d) for d in docs], "plan": plan},
            {"created": [], "updated": [], "skipped": 0},
        )


def _to_dict(doc: Any) -> dict[str, Any]:
    from jixiao.formats.json import to_dict

    return to_dict(doc)


def _import_step(job: Job, start: int, end: int) -> str:
    docs = only_declarations(from_dict(d) for d in job.payload["documents"][start:end])
    plan = job.payload["plan"][start:end]
    created_docs, updated = [], []
    skipped = 0
    for doc, step in zip(docs, plan, strict=True):
        if step[0] == "skip":
            skipped += 1
        elif step[0] == "update":
            updated.append(save_declaration(job.user, step[1], doc, step[2]))
        else:
            created_docs.append(doc)
    # Each chunk's declarations are reviewed on their own as they go in; the rules that compare a
    # unit's declarations of a year run once, at the end, over all of them (_import_finish).
    # Reviewed with the peers in every chunk, an import of n forms into one unit reviewed the
    # unit's year again each time: n²/50 reviews, 48 s for 1,000 forms.
    created = import_documents(job.user, created_docs, review=True, with_peers=False) if created_docs else []
    review_objects(updated, with_peers=False)
    job.result["created"] += [d.pk for d in created]
    job.result["updated"] += [d.pk for d in updated]
    job.result["skipped"] += skipped
    return (
        f"第 {start + 1}–{end} 份：新建 {len(created)}，更新 {len(updated)}，跳过 {skipped}"
        f" / forms {start + 1}–{end}: {len(created)} created, {len(updated)} updated, {skipped} skipped"
    )


def _import_finish(job: Job) -> str:
    """Review the imported declarations together with the unit's other declarations of the year."""
    ids = [*job.result.get("created", []), *job.result.get("updated", [])]
    review_objects(list(Declaration.objects.filter(pk__in=ids)))
    return "已与同单位同年度的申报表一并审核 / reviewed with the unit's other declarations of the year"


def _import_summary(job: Job) -> dict[str, Any]:
    return {
        "created": len(job.result.get("created", [])),
        "updated": len(job.result.get("updated", [])),
        "skipped": job.result.get("skipped", 0),
    }


register(
    Kind(
        "import",
        _import_step,
        chunk=lambda: IMPORT_CHUNK,  # read when the job runs (a test or a setting may change it)
        finish=_import_finish,
        summary=_import_summary,
    )
)


def run_import_job(job_id: int, chunk: int | None = None) -> dict[str, Any]:
    """Do (or resume) import job ``job_id``: :func:`run_job` for an import."""
    return run_job(job_id, chunk)


def created_declarations(job: Job) -> Any:
    """The declarations an import job created or updated (for the result page)."""
    ids = list(job.result.get("created", [])) + list(job.result.get("updated", []))
    return Declaration.objects.filter(pk__in=ids)
