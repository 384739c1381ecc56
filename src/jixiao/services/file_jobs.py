"""The job kinds that work on files rather than declarations: OCR of a long scan, and a corpus run.

Each is a :class:`~jixiao.services.jobs.Kind` worked by :func:`jixiao.services.jobs.run_job`, whose
chunks commit their work with the job's progress. What makes each kind safe to retry:

* **scan** keeps the uploaded file as the job's input (``JobFile`` role ``input``) and each page's
  cell grid as a part unique per job and page, stored in the chunk's transaction: a page committed
  is never read again, a page whose chunk was cut off is read again and stored once. The form is
  read from the grids, and the pending import the preview shows is made, in the transaction that
  marks the job done, so there is one pending import per job;
* **corpus** writes each chunk's rows as one Parquet part per table named by the chunk's first file
  (:func:`jixiao.corpus.dataset.write_chunk`): a chunk done again replaces its own parts, and the
  parts a cut-off chunk left are removed before the chunk is written again, so the dataset holds
  each file's rows once. The counts are in ``job.result``, committed with ``done``.

The corpus is read from and written to paths the worker must see (on several machines, a shared
file system), as a Dask cluster's workers must.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.db import transaction

from jixiao.db.jobs.models import Job, JobFile
from jixiao.domain.errors import FormatError, InputError, Location
from jixiao.services.jobs import Kind, create_job, register

__all__ = [
    "CORPUS_CHUNK",
    "SCAN_CHUNK",
    "claim_corpus_job",
    "claim_scan_job",
    "job_owner",
]

# Pages per committed chunk: a page is seconds of OCR (all cores on it), so the bar moves per page
# and a crash loses at most one page's work.
SCAN_CHUNK = 1
# Files per committed chunk of a corpus run: a short text form takes a few milliseconds to read and
# review, a PDF or a scan far more; 50 keeps a part file per chunk and table reasonably large.
CORPUS_CHUNK = int(os.environ.get("JIXIAO_CORPUS_CHUNK", "50"))


# -- OCR of a long scan --------------------------------------------------------------------------


def claim_scan_job(user: Any, data: bytes, name: str, pages: int) -> Job:
    """Queue the reading of a scan of ``pages`` pages (an image file or an image-only PDF), page by
    page; once done, its forms wait as the user's pending import, as an upload's do.

    FormatError JX-E492 beyond :data:`~jixiao.formats.scan.MAX_SCAN_PAGES` pages.
    """
    from jixiao.formats.scan import MAX_SCAN_PAGES

    if pages > MAX_SCAN_PAGES:
        raise FormatError(
            f"扫描件页数过多（{pages} 页，上限 {MAX_SCAN_PAGES} 页），请拆分后上传",
            f"the scan has too many pages ({pages}, limit {MAX_SCAN_PAGES}); split it and upload again",
            code="JX-E492",
            where=Location(file=name),
        )
    with transaction.atomic():  # the job is queued once its input is stored with it
        job = create_job(user, "scan", name, pages, {"name": name}, {"pending": None, "documents": 0})
        JobFile.objects.create(job=job, role="input", key="", name=name, data=data)
    return job


def _scan_step(job: Job, start: int, end: int) -> str:
    from jixiao.formats.scan import grid_to_dict, page_grids

    name = job.payload["name"]
    have = set(
        JobFile.objects.filter(job=job, role="part", key__in=[str(p) for p in range(start, end)]).values_list(
            "key", flat=True
        )
    )
    missing = [p for p in range(start, end) if str(p) not in have]
    if missing:
        data = bytes(JobFile.objects.get(job=job, role="input").data)
        first, last = missing[0], missing[-1] + 1
        for page, grid in zip(range(first, last), page_grids(data, name, first, last), strict=True):
            if page in missing:
                JobFile.objects.create(
                    job=job,
                    role="part",
                    key=str(page),
                    name=f"page-{page + 1}.json",
                    content_type="application/json",
                    data=json.dumps(grid_to_dict(grid), ensure_ascii=False).encode(),
                )
    pages = f"{start + 1}" if end == start + 1 else f"{start + 1}–{end}"
    return f"第 {pages} 页：已识别 / page {pages}: recognised"


def _scan_finish(job: Job) -> str:
    from jixiao.formats.scan import documents_from_grids, grid_from_dict
    from jixiao.services.declarations import only_declarations
    from jixiao.services.imports import stage_import

    name = job.payload["name"]
    parts = sorted(JobFile.objects.filter(job=job, role="part").only("key", "data"), key=lambda p: int(p.key))
    grids = [grid_from_dict(json.loads(bytes(p.data))) for p in parts]
    docs = only_declarations(documents_from_grids(grids, name))
    pending = stage_import(job.user, name, docs, replace=False)
    job.result["pending"] = pending.pk
    job.result["documents"] = len(docs)
    # The forms are the pending import's now: the file and the pages are not needed again.
    JobFile.objects.filter(job=job, role__in=("input", "part")).delete()
    return f"找到 {len(docs)} 份申报表，等待导入确认 / {len(docs)} declarations found, waiting for the import's confirmation"


def _scan_summary(job: Job) -> dict[str, Any]:
    return {
        "pages": job.total,
        "documents": job.result.get("documents", 0),
        "pending": job.result.get("pending"),
    }


register(Kind("scan", _scan_step, chunk=lambda: SCAN_CHUNK, finish=_scan_finish, summary=_scan_summary))


# -- a corpus run ----------------------------------------------------------------------------------


def job_owner(username: str | None) -> Any:
    """Return the account a job started from the command line belongs to: ``username``, or without
    one the first administrator. InputError JX-E798 when there is no such active account."""
    from jixiao.db.accounts.models import Role, User

    users = User.objects.filter(is_active=True)
    if username:
        found = users.filter(username=username).first()
        if found is None:
            raise InputError(f"没有用户「{username}」", f"no user '{username}'", code="JX-E798")
        return found
    found = (users.filter(role=Role.ADMIN) | users.filter(is_superuser=True)).order_by("id").first()
    if found is None:
        raise InputError(
            "没有管理员账户作为任务的所有者，请用 --user 指定",
            "no administrator account to own the job: name one with --user",
            code="JX-E798",
        )
    return found


def _unwritable(out: str | Path, exc: OSError) -> InputError:
    return InputError(
        f"无法写入输出目录：{exc.strerror}",
        f"cannot write the output folder: {exc.strerror}",
        code="JX-E108",
        where=Location(file=str(out)),
    )


def claim_corpus_job(user: Any, folders: list[str], out: str | Path, profile: str = "shanghai-2022") -> Job:
    """Queue a corpus run over the form files under ``folders`` into the Parquet dataset ``out``.

    InputError JX-E101 for a folder that does not exist, JX-E170 when the folders hold no form
    file, JX-E120 for an unknown profile, JX-E108 when ``out`` cannot be written. The files are
    listed now, so that the job's total and its chunks are fixed.
    """
    from jixiao.corpus.dataset import empty_dataset
    from jixiao.corpus.run import corpus_files
    from jixiao.review.profiles import resolve

    resolve(profile, None)  # an unknown profile is the user's error, not one failure per file
    files = [str(Path(f).resolve()) for f in corpus_files(folders)]
    target = Path(out).resolve()
    try:
        empty_dataset(target)
    except OSError as exc:
        raise _unwritable(out, exc) from None
    return create_job(
        user,
        "corpus",
        str(target),
        len(files),
        {"files": files, "out": str(target), "profile": profile},
        {"documents": 0, "indicators": 0, "findings": 0, "failures": {}, "failed": []},
    )


# The failed files the job keeps in its row (every one is in the dataset's failures table).
_FAILED_KEPT = 200


def _corpus_step(job: Job, start: int, end: int) -> str:
    from jixiao.corpus.dataset import write_chunk
    from jixiao.corpus.rows import files_rows

    rows = files_rows(job.payload["files"][start:end], job.payload["profile"])
    out = Path(job.payload["out"])
    try:
        counts = write_chunk(out, start, rows)
    except OSError as exc:
        raise _unwritable(out, exc) from None
    result = job.result
    for table in ("documents", "indicators", "findings"):
        result[table] += counts[table]
    failed = [r.failure for r in rows if r.failure is not None]
    for failure in failed:
        result["failures"][failure["code"]] = result["failures"].get(failure["code"], 0) + 1
        if len(result["failed"]) < _FAILED_KEPT:
            result["failed"].append([failure["file"], failure["code"]])
    return (
        f"第 {start + 1}–{end} 个文件：{counts['documents']} 张表，{len(failed)} 个读取失败"
        f" / files {start + 1}–{end}: {counts['documents']} forms, {len(failed)} failed"
    )


def _corpus_finish(job: Job) -> str:
    from jixiao.corpus.dataset import complete_dataset

    complete_dataset(Path(job.payload["out"]))
    return f"数据集：{job.payload['out']} / dataset: {job.payload['out']}"


def _corpus_summary(job: Job) -> dict[str, Any]:
    r = job.result
    return {
        "files": job.total,
        "documents": r.get("documents", 0),
        "indicators": r.get("indicators", 0),
        "findings": r.get("findings", 0),
        "failed": sum(r.get("failures", {}).values()),
        "failures": r.get("failures", {}),
        "out": job.payload.get("out", ""),
    }


register(
    Kind(
        "corpus",
        _corpus_step,
        chunk=lambda: CORPUS_CHUNK,
        finish=_corpus_finish,
        summary=_corpus_summary,
    )
)
