"""The job kinds besides the import: bulk export, batch review of a unit's year, recomputed actuals.

Each is a :class:`~jixiao.services.jobs.Kind` worked by :func:`jixiao.services.jobs.run_job`, whose
chunks commit their work with the job's progress. What makes each kind safe to retry:

* **export** stores one part per declaration (``JobFile`` unique per job and key) and assembles the
  zip or the workbook in the transaction that marks the job done;
* **review** writes the engine's findings, which are the same however often they are written, and
  lists each declaration it reviewed once (the chunk's list is committed with ``done``);
* **actuals** keeps one entry per declaration, keyed by its id.

The items (declaration ids) are fixed when the job is created, from what the user may see then;
each chunk checks again, so that a declaration that left the user's scope meanwhile is left out
(and logged), never exported or reviewed.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from typing import Any

from jixiao.db.accounts.models import Organisation
from jixiao.db.declarations.models import Declaration
from jixiao.db.jobs.models import Job, JobFile
from jixiao.domain.errors import InputError, NotAllowed, ValidationError
from jixiao.formats.json import from_dict
from jixiao.services.jobs import Kind, create_job, register
from jixiao.services.queries import DeclarationFilter, apply_filter
from jixiao.services.scope import in_scope, listed_declarations, visible_declarations

__all__ = [
    "ACTUALS_CHUNK",
    "EXPORT_CHUNK",
    "EXPORT_FORMATS",
    "MAX_JOB_ITEMS",
    "REVIEW_CHUNK",
    "claim_actuals_job",
    "claim_export_job",
    "claim_review_job",
    "nothing_to_do",
    "result_file",
]

# Declarations per committed chunk: a chunk is a few seconds of work, so the bar moves and a crash
# loses little; an official form takes ~20 ms to write, a review of 50 with its peers ~1 s.
EXPORT_CHUNK = 50
REVIEW_CHUNK = 50
ACTUALS_CHUNK = 20

# One job holds its item ids in its row; beyond this a user should narrow the filter.
MAX_JOB_ITEMS = 100_000

# format → (file extension, MIME type of the result): a zip of one official form per declaration
# (Excel or PDF), or one workbook of the bulk sheet (one row per indicator). The web names them.
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "zip-xlsx": ("zip", "application/zip"),
    "zip-pdf": ("zip", "application/zip"),
    "bulk": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def nothing_to_do() -> InputError:
    return InputError(
        "没有可处理的申报表（未勾选，或筛选结果为空）",
        "there is no declaration to work on (none ticked, or the filter finds none)",
        code="JX-E795",
    )


def _checked_ids(ids: list[int]) -> list[int]:
    if not ids:
        raise nothing_to_do()
    if len(ids) > MAX_JOB_ITEMS:
        raise ValidationError(
            f"一次后台任务最多处理 {MAX_JOB_ITEMS} 份申报表（本次 {len(ids)} 份），请缩小筛选范围",
            f"one job works on at most {MAX_JOB_ITEMS} declarations ({len(ids)} asked): narrow the filter",
            code="JX-E797",
        )
    return ids


def _ids_of(qs: Any, *order: str) -> list[int]:
    """Return the ids ``qs`` finds in ``order`` (by id unless given), checked by :func:`_checked_ids`
    (one more than the limit is read, so that a query over it is refused, not cut)."""
    return _checked_ids(
        list(qs.order_by(*(order or ("id",))).values_list("id", flat=True)[: MAX_JOB_ITEMS + 1])
    )


def _tally(
    job: Job,
    span: tuple[int, int, int],
    key: str,
    worked: list[int],
    verb: tuple[str, str],
    left_out: tuple[str, str],
) -> str:
    """Add a chunk's worked ids to ``job.result[key]`` and the ids it could not take (deleted, or
    out of the user's scope since the job was made) to ``missing``; return the chunk's log line.

    ``span`` is the chunk's (start, end, items asked), ``verb`` and ``left_out`` the line's words.
    """
    start, end, wanted = span
    job.result[key] += worked
    missing = wanted - len(worked)
    job.result["missing"] += missing
    zh = f"第 {start + 1}–{end} 份：{verb[0]} {len(worked)}"
    en = f"declarations {start + 1}–{end}: {len(worked)} {verb[1]}"
    if missing:
        zh += f"；{missing} 份{left_out[0]}"
        en += f"; {missing} {left_out[1]}"
    return f"{zh} / {en}"


# -- bulk export -----------------------------------------------------------------------------------


def claim_export_job(
    user: Any, fmt: str, ids: list[int] | None = None, filt: DeclarationFilter | None = None
) -> Job:
    """Queue an export of the declarations ``ids`` (ticked in the list) or, without ids, of those
    the list's filter ``filt`` finds, as one file in ``fmt`` (:data:`EXPORT_FORMATS`).

    Only declarations the user's list shows are included. InputError JX-E796 for an unknown
    format, JX-E795 when nothing is left; ValidationError JX-E797 beyond :data:`MAX_JOB_ITEMS`.
    """
    if fmt not in EXPORT_FORMATS or (fmt == "zip-pdf" and not _pdf_available()):
        raise InputError(
            f"导出格式「{fmt}」尚不可用", f"export format '{fmt}' is not available", code="JX-E796"
        )
    qs = listed_declarations(user)
    qs = qs.filter(pk__in=ids) if ids else apply_filter(qs, filt or DeclarationFilter())
    found = _ids_of(qs, "-year", "project_name", "id")
    years = sorted(
        {y for y in Declaration.objects.filter(pk__in=found[:1000]).values_list("year", flat=True) if y}
    )
    # The title is the years only: the page says what it is in the reader's language.
    title = "-".join(str(y) for y in years[:3]) + ("…" if len(years) > 3 else "")
    return create_job(
        user,
        "export",
        title,
        len(found),
        {"ids": found, "fmt": fmt},
        {"included": [], "missing": 0, "file": ""},
    )


def _pdf_available() -> bool:
    from jixiao.services.export import available_formats

    return "pdf" in available_formats()


def _part_name(obj: Declaration, ext: str) -> str:
    from jixiao.services.export import file_name

    # The id keeps two projects of the same name and year apart inside the zip.
    return file_name(obj.year, obj.project_name, "申报表", obj.pk, ext=ext)


def _export_step(job: Job, start: int, end: int) -> str:
    from jixiao.services.export import export_documents

    wanted = job.payload["ids"][start:end]
    fmt = job.payload["fmt"]
    objs = {o.pk: o for o in visible_declarations(job.user).filter(pk__in=wanted)}
    included = [pk for pk in wanted if pk in objs]
    if fmt.startswith("zip-"):
        inner = fmt.removeprefix("zip-")
        done = set(
            JobFile.objects.filter(job=job, role="part", key__in=[str(pk) for pk in included]).values_list(
                "key", flat=True
            )
        )
        for pk in included:
            if str(pk) in done:
                continue
            data, content_type = export_documents([from_dict(objs[pk].document)], inner)
            JobFile.objects.create(
                job=job,
                role="part",
                key=str(pk),
                name=_part_name(objs[pk], inner),
                content_type=content_type,
                data=data,
            )
    return _tally(
        job,
        (start, end, len(wanted)),
        "included",
        included,
        ("导出", "exported"),
        ("已删除或不在权限范围内，未导出", "deleted or out of scope, left out"),
    )


def _export_finish(job: Job) -> str:
    from jixiao.services.export import export_documents, file_name

    fmt = job.payload["fmt"]
    ext, content_type = EXPORT_FORMATS[fmt]
    included: list[int] = job.result["included"]
    if fmt == "bulk":
        by_pk = {o.pk: o for o in Declaration.objects.filter(pk__in=included).only("id", "document")}
        data, content_type = export_documents(
            [from_dict(by_pk[pk].document) for pk in included if pk in by_pk], "bulk"
        )
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            # A part at a time: the parts of a large export need not all be in memory at once.
            for part in JobFile.objects.filter(job=job, role="part").order_by("id").iterator(chunk_size=50):
                archive.writestr(part.name, bytes(part.data))
        data = buffer.getvalue()
        JobFile.objects.filter(job=job, role="part").delete()
    name = file_name(job.title, f"申报表{len(included)}份", ext=ext)
    JobFile.objects.update_or_create(
        job=job,
        role="result",
        key="",
        defaults={"name": name, "content_type": content_type, "data": data},
    )
    job.result["file"] = name
    job.result["size"] = len(data)
    return f'文件「{name}」（{len(data)} 字节） / file "{name}" ({len(data)} bytes)'


def _export_summary(job: Job) -> dict[str, Any]:
    return {
        "exported": len(job.result.get("included", [])),
        "missing": job.result.get("missing", 0),
        "file": job.result.get("file", ""),
        "size": job.result.get("size", 0),
    }


def result_file(job: Job) -> JobFile | None:
    """Return the file a finished job made (an export's zip or workbook), or None."""
    return JobFile.objects.filter(job=job, role="result").first()


register(
    Kind(
        "export",
        _export_step,
        chunk=lambda: EXPORT_CHUNK,
        finish=_export_finish,
        summary=_export_summary,
    )
)


# -- batch review of a unit's year -----------------------------------------------------------------


def claim_review_job(user: Any, organisation_id: int, year: int) -> Job:
    """Queue the review of every declaration of unit ``organisation_id`` in ``year``.

    NotAllowed JX-E710 when the unit is outside the user's scope (an unknown unit answers the
    same, so a job reveals nothing); InputError JX-E795 when the unit has no declaration that year.
    """
    from jixiao.services.review import engine_available

    org = Organisation.objects.filter(pk=organisation_id).first()
    if org is None or not in_scope(user, org):
        raise NotAllowed("您无权审核该单位的申报表", "you may not review this unit's declarations")
    if not engine_available():
        raise InputError("审核引擎未安装", "the review engine is not installed", code="JX-E796")
    ids = _ids_of(listed_declarations(user).filter(organisation=org, year=year))
    return create_job(
        user,
        "review",
        f"{year} {org.name}",
        len(ids),
        {"ids": ids, "organisation": org.pk, "year": year},
        {"reviewed": [], "missing": 0},
    )


def _review_step(job: Job, start: int, end: int) -> str:
    from jixiao.services.review import review_objects

    wanted = job.payload["ids"][start:end]
    objs = list(visible_declarations(job.user).filter(pk__in=wanted).order_by("id"))
    # With the unit's other declarations of the year: the batch rules (the same indicator in
    # every project, the unit's own norms) need them, as a save's review does.
    review_objects(objs)
    return _tally(
        job,
        (start, end, len(wanted)),
        "reviewed",
        [o.pk for o in objs],
        ("已审核", "reviewed"),
        ("已删除或不在权限范围内", "deleted or out of scope"),
    )


def _review_finish(job: Job) -> str:
    rows = Declaration.objects.filter(pk__in=job.result["reviewed"]).values_list(
        "review_grade", "findings_count"
    )
    grades: Counter[str] = Counter()
    findings = 0
    for grade, count in rows:
        grades[grade or "-"] += 1
        findings += count or 0
    job.result["grades"] = dict(sorted(grades.items()))
    job.result["findings"] = findings
    return f"共 {findings} 条审核意见 / {findings} findings in all"


def _review_summary(job: Job) -> dict[str, Any]:
    return {
        "reviewed": len(job.result.get("reviewed", [])),
        "missing": job.result.get("missing", 0),
        "grades": job.result.get("grades", {}),
        "findings": job.result.get("findings", 0),
    }


register(
    Kind(
        "review",
        _review_step,
        chunk=lambda: REVIEW_CHUNK,
        finish=_review_finish,
        summary=_review_summary,
    )
)


# -- actuals recomputed from the operational records --------------------------------------------


def claim_actuals_job(user: Any, month: int) -> Job:
    """Queue the recomputation, from the unit's operational records, of every bound indicator's
    value at ``month`` for the unit's approved and published declarations.

    ValidationError JX-E820 for a month outside 1–12 or a unit without records; JX-E795 when the
    unit has no such declaration. Values are computed, not written into any form: carrying one
    into a report stays the person's decision on the actuals page.
    """
    from jixiao.services.evaluation import EVALUABLE_STATES
    from jixiao.services.records import has_records

    if not 1 <= month <= 12:
        raise ValidationError(
            "截止月份应在 1 到 12 之间", "the cut-off month should be 1 to 12", code="JX-E820"
        )
    org = getattr(user, "organisation", None)
    if org is None or not has_records(org):
        raise ValidationError(
            "本单位还没有导入业务记录", "no records have been imported for this unit", code="JX-E820"
        )
    ids = _ids_of(visible_declarations(user).filter(organisation=org, status__in=EVALUABLE_STATES))
    return create_job(
        user,
        "actuals",
        org.name,
        len(ids),
        {"ids": ids, "month": month},
        {"rows": {}, "missing": 0},
    )


def _actuals_step(job: Job, start: int, end: int) -> str:
    from jixiao.services.records import coverage_of, indicator_actuals

    wanted = job.payload["ids"][start:end]
    month = int(job.payload["month"])
    objs = list(visible_declarations(job.user).filter(pk__in=wanted).order_by("id"))
    computed = 0
    for obj in objs:
        rows = []
        computed_rows = indicator_actuals(obj, month)
        for row in computed_rows:
            if row.actual is None:
                continue
            rows.append(
                {
                    "index": row.index,
                    "name": row.indicator.name,
                    "target": row.indicator.target.text,
                    "value": row.actual.text(),
                    "numerator": row.actual.numerator,
                    "denominator": row.actual.denominator,
                    "light": (row.forecast.light if row.forecast else None) or "",
                }
            )
        computed += len(rows)
        # Keyed by the declaration: a chunk done again replaces its entries, never adds to them.
        cover = coverage_of(computed_rows)  # the records stop inside the cut-off month
        job.result["rows"][str(obj.pk)] = {
            "project": obj.project_name,
            "indicators": rows,
            "coverage": cover.to_dict() if cover else None,
        }
    missing = len(wanted) - len(objs)
    job.result["missing"] += missing
    return (
        f"第 {start + 1}–{end} 份：计算 {computed} 个指标 / declarations {start + 1}–{end}: "
        f"{computed} indicators computed"
    )


def _actuals_summary(job: Job) -> dict[str, Any]:
    rows = job.result.get("rows", {})
    return {
        "declarations": len(rows),
        "indicators": sum(len(r["indicators"]) for r in rows.values()),
        "missing": job.result.get("missing", 0),
    }


register(
    Kind(
        "actuals",
        _actuals_step,
        chunk=lambda: ACTUALS_CHUNK,
        summary=_actuals_summary,
    )
)
