"""REST endpoints of department-wide targets and self-evaluation, under ``/api/departments/``.

* ``GET /api/departments``: the department declarations in the caller's scope;
* ``POST /api/departments``: a canonical JSON ``department_declaration`` for the caller's department
  (created, or the draft of that year updated);
* ``GET /api/departments/{id}``: one, as canonical JSON with its status and the steps the caller may take;
* ``POST /api/departments/{id}/action``: a workflow step (``action``, ``grade``, ``comment``, ``confirm``);
* ``GET /api/departments/{id}/self-evaluation``: the self-evaluation with the roll-up of its projects;
* ``POST /api/departments/{id}/self-evaluation``: recompute the roll-up, with ``outcome`` and ``actuals``.

Errors are JixiaoErrors, turned into 4xx JSON by the API's one error boundary.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema

from jixiao.db.departments.models import DepartmentSelfEvaluationRecord
from jixiao.domain.errors import Location, NotAllowed, NotFound, ValidationError
from jixiao.formats.json_department import from_dict
from jixiao.services import departments as svc
from jixiao.web import i18n
from jixiao.web.api.auth import AUTH
from jixiao.web.api.documents import DEPARTMENT_DECLARATION, check_body

__all__ = ["router"]

router = Router(tags=["departments"])

_ID = Path(..., ge=1, le=2**63 - 1)  # type: ignore[type-arg]


def _json(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValidationError(
            f"请求体不是有效的 JSON：{exc}", f"the body is not valid JSON: {exc}", where=Location(field="$")
        ) from None


def _steps(request: HttpRequest, record: Any) -> list[dict[str, Any]]:
    return [
        {"action": s.key, "label": s.label_en if i18n.is_en() else s.label, "needs_grade": s.needs_grade}
        for s in svc.actions(request.user, record)
    ]


def _declaration(record: Any, request: HttpRequest) -> dict[str, Any]:
    return {
        "id": record.pk,
        "year": record.year,
        "department": record.organisation.name,
        "status": record.status,
        "grade": record.grade,
        "document": record.document,
        "actions": _steps(request, record),
    }


@router.get("", auth=AUTH, summary="部门整体绩效目标列表 / department-wide targets in scope")
def list_departments(
    request: HttpRequest,
    year: int | None = Query(None, ge=1900, le=2200),  # type: ignore[type-arg]
) -> dict[str, Any]:
    """Return ``{items, count}``: id, year, department, status, grade, total budget and roll-up score."""
    qs = svc.visible_department_declarations(request.user).order_by("-year", "organisation__name", "id")
    if year is not None:
        qs = qs.filter(year=year)
    scores = {s.declaration_id: s for s in DepartmentSelfEvaluationRecord.objects.filter(declaration__in=qs)}
    items = [
        {
            "id": r.pk,
            "year": r.year,
            "department": r.organisation.name,
            "status": r.status,
            "grade": r.grade,
            "total_budget": None if r.total_budget is None else str(r.total_budget),
            "rollup_score": None
            if r.pk not in scores or scores[r.pk].score is None
            else str(scores[r.pk].score),
            "rollup_grade": scores[r.pk].grade if r.pk in scores else "",
        }
        for r in qs[:500]
    ]
    return {"items": items, "count": len(items)}


# The body is read raw (the reader of jixiao.formats names the field it refuses), so its schema is
# published here. A form that names another department than the caller's is a conflict with what
# the caller may file (409), as is a second creation of the year's targets racing this one.
_DOCUMENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": DEPARTMENT_DECLARATION}},
    },
    "responses": {
        "409": {
            "description": "表上的部门不是您的部门，或当年的目标刚被创建 / the form names another "
            "department than yours, or the year's targets were created meanwhile",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
        }
    },
}


@router.post(
    "",
    auth=AUTH,
    openapi_extra=_DOCUMENT_BODY,
    summary="申报部门整体绩效目标 / declare department-wide targets",
)
def post_department(request: HttpRequest) -> dict[str, Any]:
    """Store a canonical JSON department declaration for the caller's own department."""
    data = _json(request)
    check_body("department_declaration", data)
    doc = from_dict(data)
    own = svc.own_department(request.user)
    if own is None:
        raise NotAllowed("您不能申报部门整体绩效目标", "you may not declare department-wide targets")
    record = svc.import_department_documents(request.user, own, [doc])
    return _declaration(record, request)


@router.get("/{record_id}", auth=AUTH, summary="一份部门整体绩效目标 / one department declaration")
def get_department(request: HttpRequest, record_id: int = _ID) -> dict[str, Any]:
    """Return the declaration as canonical JSON with its status and the caller's steps."""
    return _declaration(svc.get_declaration(request.user, record_id), request)


class _Step(Schema):
    action: str
    grade: str = ""
    comment: str = ""
    confirm: bool = False


@router.post("/{record_id}/action", auth=AUTH, summary="部门整体绩效目标流程操作 / take a workflow step")
def department_action(request: HttpRequest, body: _Step, record_id: int = _ID) -> dict[str, Any]:
    """Take a workflow step on the declaration (JX-E70x when it is not possible now)."""
    record = svc.get_declaration(request.user, record_id)
    svc.take_step(
        request.user,
        record,
        body.action[:30],
        grade=body.grade[:2],
        comment=body.comment,
        confirmed=body.confirm,
    )
    return _declaration(record, request)


def _self_evaluation(request: HttpRequest, record_id: int) -> Any:
    record = svc.get_declaration(request.user, record_id)
    sev = DepartmentSelfEvaluationRecord.objects.filter(declaration=record).first()
    if sev is None:
        raise NotFound()
    return sev


@router.get("/{record_id}/self-evaluation", auth=AUTH, summary="部门整体自评 / the roll-up self-evaluation")
def get_self_evaluation(request: HttpRequest, record_id: int = _ID) -> dict[str, Any]:
    """Return the self-evaluation as canonical JSON (projects and roll-up included) with its status."""
    sev = _self_evaluation(request, record_id)
    return {"status": sev.status, "document": sev.document, "actions": _steps(request, sev)}


class _Actual(Schema):
    actual: str | None = None
    deviation_note: str | None = None


class _Refresh(Schema):
    outcome: str | None = None
    actuals: list[_Actual] = []


@router.post(
    "/{record_id}/self-evaluation", auth=AUTH, summary="汇总部门整体自评 / roll up the self-evaluation"
)
def post_self_evaluation(request: HttpRequest, body: _Refresh, record_id: int = _ID) -> dict[str, Any]:
    """Recompute the roll-up from the projects and store the outcome and the indicators' actuals."""
    record = svc.get_declaration(request.user, record_id)
    sev = svc.refresh_self_evaluation(
        request.user,
        record,
        outcome=body.outcome,
        actuals={n: (a.actual, a.deviation_note) for n, a in enumerate(body.actuals[:1000])},
    )
    return {"status": sev.status, "document": sev.document, "actions": _steps(request, sev)}


@router.post(
    "/{record_id}/self-evaluation/action", auth=AUTH, summary="部门整体自评流程操作 / self-evaluation step"
)
def self_evaluation_action(request: HttpRequest, body: _Step, record_id: int = _ID) -> dict[str, Any]:
    """Take a workflow step on the self-evaluation (submit, pass, return, publish)."""
    sev = _self_evaluation(request, record_id)
    svc.take_step(request.user, sev, body.action[:30], comment=body.comment, confirmed=body.confirm)
    return {"status": sev.status, "document": sev.document, "actions": _steps(request, sev)}
