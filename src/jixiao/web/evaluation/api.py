"""REST endpoints of the evaluation area (django-ninja), under ``/api/evaluation/``.

* ``POST /api/evaluation/score``: canonical JSON self-evaluation(s) in, the ``jixiao score`` report
  out (computed, printed, discrepancies); a pure computation, no sign-in needed.
* ``POST /api/evaluation/monitor``: canonical JSON monitoring report(s) in, lights and warnings out.
* ``GET /api/evaluation/self-evaluations``: the self-evaluations in the caller's scope.
* ``GET /api/evaluation/self-evaluations/{declaration_id}``: one, as canonical JSON with its scores.
* ``GET /api/evaluation/results?year=2022``: 评价结果应用 for finance (per department, unit, project).

Errors are JixiaoErrors, turned into 4xx JSON by the API's one error boundary
(:func:`jixiao.web.api.api.install_error_handlers`).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate

from jixiao.domain.errors import Location, NotFound, ScoringError, ValidationError
from jixiao.domain.limits import LIMITS, check_document, check_document_count, check_indicator_count
from jixiao.domain.model import SelfEvaluation
from jixiao.evaluation.config import REGION_RULES
from jixiao.evaluation.monitoring import monitor
from jixiao.evaluation.report import score_report
from jixiao.formats.json import from_dict
from jixiao.formats.json_monitoring import from_dict as monitoring_from_dict
from jixiao.services import evaluation as svc
from jixiao.web import i18n
from jixiao.web.api.auth import AUTH
from jixiao.web.api.documents import MONITORING, SELF_EVALUATION, check_body, one_or_many
from jixiao.web.api.pagination import BoundedPagination

__all__ = ["router"]

router = Router(tags=["evaluation"])


# The regions whose scoring rules exist (jixiao.evaluation.config), as the schema's pattern.
_REGIONS = "^(" + "|".join(sorted(REGION_RULES)) + ")$"


def _body(document: dict[str, Any]) -> dict[str, Any]:
    """Return the OpenAPI request body: one canonical JSON document or an array of them."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": one_or_many(document)}},
        }
    }


_SCORE_BODY = _body(SELF_EVALUATION)
_MONITOR_BODY = _body(MONITORING)


def _items(request: HttpRequest) -> list[tuple[str, Any]]:
    """Return (path, object) for each document of a JSON body (an object or an array of objects)."""
    try:
        data = json.loads(request.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(
            f"请求体不是有效的 JSON：{exc}", f"the body is not valid JSON: {exc}", where=Location(field="$")
        ) from None
    except RecursionError:
        raise ValidationError(
            "请求体嵌套过深", "the body is nested too deeply", where=Location(field="$")
        ) from None
    if isinstance(data, list):
        if not data:
            raise ValidationError("请求体中没有文档", "the body holds no document", where=Location(field="$"))
        check_document_count(len(data))
        return [(f"$[{n}]", item) for n, item in enumerate(data)]
    return [("$", data)]


@router.post("/score", openapi_extra=_SCORE_BODY, summary="重新计算自评表得分 / score self-evaluations")
def score(
    request: HttpRequest,
    region: str | None = Query(None, pattern=_REGIONS),  # type: ignore[type-arg]
) -> list[dict[str, Any]]:
    """Return the score report of each self-evaluation in the body (default: the configured region)."""
    out = []
    for path, item in _items(request):
        check_body("self_evaluation", item, path)
        doc = from_dict(item, path)
        if not isinstance(doc, SelfEvaluation):
            raise ValidationError(
                f"字段 {path}.kind：应为 self_evaluation",
                f"field {path}.kind: expected self_evaluation",
                where=Location(field=f"{path}.kind"),
            )
        check_document(doc, path)  # the limits of every entry point: indicators, texts, year
        try:
            out.append(score_report(doc, region or settings.JIXIAO_REGION, i18n.lang()))
        except ScoringError as exc:
            # A document that was read but cannot be scored (a unit that does not match its target,
            # no full-year budget): the answer says why, as the monitoring check does, instead of
            # refusing a request the schema allows.
            out.append({"project": doc.project.name, "computed": None, "errors": [exc.to_dict(i18n.lang())]})
    return out


@router.post("/monitor", openapi_extra=_MONITOR_BODY, summary="检查运行监控表 / check monitoring reports")
def check_monitoring(
    request: HttpRequest,
    region: str | None = Query(None, pattern=_REGIONS),  # type: ignore[type-arg]
    month: int | None = Query(None, ge=1, le=12),  # type: ignore[type-arg]
) -> list[dict[str, Any]]:
    """Return the lights, warnings and errors of each monitoring report in the body."""
    out = []
    for path, item in _items(request):
        check_body("monitoring", item, path)
        report = monitoring_from_dict(item, path)
        check_indicator_count(len(report.indicators), f"{path}.indicators")
        rules = region or settings.JIXIAO_REGION
        out.append({"project": report.project.name, **monitor(report, rules, month).to_dict(i18n.lang())})
    return out


class _SelfEvaluationRow(Schema):
    declaration_id: int
    year: int | None
    project_name: str
    organisation: str
    total_score: str | None
    grade: str
    status: str


@router.get(
    "/self-evaluations",
    auth=AUTH,
    response=list[_SelfEvaluationRow],
    summary="自评表列表 / self-evaluations in scope",
)
@paginate(BoundedPagination)
def list_self_evaluations(request: HttpRequest, year: int | None = Query(None, ge=1900, le=2200)) -> Any:  # type: ignore[type-arg]
    """Return the self-evaluations the caller may see, newest year first (limit/offset pages)."""
    qs = svc.visible_self_evaluations(request.user).select_related("organisation")
    if year is not None:
        qs = qs.filter(year=year)
    return [
        {
            "declaration_id": r.declaration_id,
            "year": r.year,
            "project_name": r.project_name,
            "organisation": r.organisation.name,
            "total_score": None if r.total_score is None else str(r.total_score),
            "grade": r.grade,
            "status": r.status,
        }
        for r in qs.order_by("-year", "project_name", "id")
    ]


@router.get("/self-evaluations/{declaration_id}", auth=AUTH, summary="一份自评表 / one self-evaluation")
def get_self_evaluation(
    request: HttpRequest,
    declaration_id: int = Path(..., ge=1, le=2**63 - 1),  # type: ignore[type-arg]
) -> dict[str, Any]:
    """Return one self-evaluation as canonical JSON with its recomputed score report."""
    record = svc.visible_self_evaluations(request.user).filter(declaration_id=declaration_id).first()
    if record is None:
        raise NotFound()
    doc = from_dict(record.document)
    assert isinstance(doc, SelfEvaluation)
    return {
        "document": record.document,
        "status": record.status,
        "report": score_report(doc, svc.rules(), i18n.lang()) if record.errors_count == 0 else None,
    }


@router.get(
    "/results",
    auth=AUTH,
    summary="评价结果应用 / results applied to next year's budget",
)
def results_report(
    request: HttpRequest,
    year: int = Query(..., ge=LIMITS.min_year, le=LIMITS.max_year),  # type: ignore[type-arg]
    organisation: int | None = None,
) -> dict[str, Any]:
    """Return the year's results per department and unit with a suggested budget consequence per project.

    Finance and admin only (JX-E710 otherwise); a year that is not one within the limits is refused
    by the schema (JX-E501, 422). The page and the command also read 「2022年」. ``organisation``
    narrows the report to that organisation's subtree (JX-E720, 404, outside the caller's scope).
    """
    from jixiao.services import results as results_svc

    lang = i18n.lang()
    report = results_svc.results_report(request.user, year, organisation=organisation, lang=lang)
    return report.to_dict(lang)
