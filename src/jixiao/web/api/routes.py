"""API routers: auth, declarations, workflow, targets, organisations, public."""

from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import NinjaAPI, Path, Query, Router, Status
from ninja.decorators import decorate_view
from ninja.pagination import paginate

from jixiao.db.accounts.models import ApiToken
from jixiao.db.declarations.models import Declaration
from jixiao.domain.adjustment import invalid_adjustment
from jixiao.domain.error_codes import http_status
from jixiao.domain.errors import NotAllowed, NotFound
from jixiao.domain.model import Declaration as DomainDeclaration
from jixiao.formats.json import from_dict
from jixiao.services import adjustments as adjust
from jixiao.services import declarations as svc
from jixiao.services import exante as exante_svc
from jixiao.services.queries import DeclarationFilter, apply_filter, count_filtered, count_up_to
from jixiao.services.review import review_objects
from jixiao.services.scope import visible_declarations, visible_organisations, visible_tally
from jixiao.services.workflow import allowed_actions, transition
from jixiao.web import i18n
from jixiao.web.api.auth import AUTH
from jixiao.web.api.benchmarks import router as benchmarks_router
from jixiao.web.api.documents import check_body
from jixiao.web.api.kept import kept_answer
from jixiao.web.api.pagination import MAX_OFFSET, BoundedPagination, DocumentPagination, KnownCount
from jixiao.web.api.schemas import (
    AdjustmentIn,
    AdjustmentOut,
    AdjustmentTransitionIn,
    DeclarationDetail,
    DeclarationIn,
    DeclarationSummary,
    ErrorOut,
    ExAnteIn,
    ExAnteOut,
    FilterParams,
    HistoryOut,
    OrganisationOut,
    PublicParams,
    SaveIn,
    TargetCheckOut,
    TokenIn,
    TokenInfoOut,
    TokenOut,
    TransitionIn,
    TransitionOut,
)
from jixiao.web.declarations.presentation import describe_target
from jixiao.web.departments.api import router as departments_router
from jixiao.web.evaluation.api import router as evaluation_router
from jixiao.web.signed_in import user_of

__all__ = ["register"]

ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}

auth_router = Router(tags=["auth"])
declarations_router = Router(tags=["declarations"], auth=AUTH)
targets_router = Router(tags=["targets"])
organisations_router = Router(tags=["organisations"], auth=AUTH)
public_router = Router(tags=["public"])


def summary(obj: Declaration) -> dict[str, Any]:
    """Return the list row of a declaration."""
    return {
        "id": obj.pk,
        "year": obj.year,
        "project_name": obj.project_name,
        "organisation_id": obj.organisation_id,
        "organisation": obj.organisation.name,
        "status": obj.status,
        "grade": obj.grade,
        "review_grade": obj.review_grade,
        "findings_count": obj.findings_count,
        "version": obj.version,
        "updated": obj.updated,
    }


def detail(request: HttpRequest, obj: Declaration) -> dict[str, Any]:
    """Return the full API view of a declaration for the caller."""
    return summary(obj) | {
        "document": obj.document,
        "findings": obj.findings or [],
        "actions": [a.key for a in allowed_actions(request.user, obj)],
        "editable": svc.can_edit(request.user, obj),
    }


def _domain(document: dict[str, Any]) -> DomainDeclaration:
    check_body("declaration", document, "$.document")
    doc = from_dict(document)
    return svc.only_declarations([doc])[0]


@auth_router.post("/token", response={200: TokenOut, 401: ErrorOut, 429: ErrorOut}, auth=None)
def issue_token(request: HttpRequest, payload: TokenIn) -> Any:
    """Exchange a user name and password for an API token (same lockout as the sign-in page).

    The token expires (``expires``); its owner revokes it with ``DELETE /api/auth/tokens/{id}`` or
    ``POST /api/auth/logout``; it also dies when the owner signs out of the web or changes password.
    """
    payload.username = payload.username.replace("\x00", "")
    payload.password = payload.password.replace("\x00", "")
    # A locked (user name, address) pair is refused by the axes backend; its middleware answers 429.
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        zh, en = "用户名或密码错误", "wrong user name or password"
        body = {"code": "JX-E712", "message": en if i18n.is_en() else zh, "message_zh": zh, "message_en": en}
        return Status(http_status("JX-E712"), body)
    raw = ApiToken.issue(user, "api")
    row = ApiToken.objects.get(digest=ApiToken.hash(raw))
    return Status(200, {"token": raw, "id": row.pk, "expires": row.expires})


def _token_row(t: ApiToken) -> dict[str, Any]:
    return {
        "id": t.pk,
        "name": t.name,
        "prefix": t.prefix,
        "created": t.created,
        "last_used": t.last_used,
        "expires": t.expires,
    }


@auth_router.get("/tokens", response={200: list[TokenInfoOut], 401: ErrorOut}, auth=AUTH)
def list_tokens(request: HttpRequest) -> Any:
    """The caller's own API tokens (never their values)."""
    return [_token_row(t) for t in ApiToken.objects.filter(user=user_of(request)).order_by("-created")[:500]]


@auth_router.delete("/tokens/{int:token_id}", response={204: None, 401: ErrorOut, 404: ErrorOut}, auth=AUTH)
def revoke_token(request: HttpRequest, token_id: int = Path(..., ge=1, le=2**63 - 1)) -> Any:  # type: ignore[type-arg]
    """Revoke one of the caller's tokens (another user's token is 404, as if it did not exist)."""
    deleted, _ = ApiToken.objects.filter(user=user_of(request), pk=token_id).delete()
    if not deleted:
        raise NotFound()
    return Status(204, None)


@auth_router.post("/logout", response={204: None, 401: ErrorOut}, auth=AUTH)
def api_logout(request: HttpRequest) -> Any:
    """Revoke the token this request was made with (a session caller: every token of the user)."""
    token = getattr(request, "api_token", None)
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).delete()
    else:
        ApiToken.objects.filter(user=user_of(request)).delete()
    return Status(204, None)


@declarations_router.get("/", response=list[DeclarationSummary])
@decorate_view(kept_answer)
@paginate(BoundedPagination)
def list_declarations(request: HttpRequest, filters: Query[FilterParams]) -> Any:
    """The declarations in the caller's scope, filtered, newest year first (limit/offset pages)."""
    f = DeclarationFilter(**filters.dict())
    rows = (
        apply_filter(visible_declarations(request.user), f)
        .select_related("organisation")
        .defer("document", "findings", "search_text")
    )
    # Without a search the count is the tally's sum (no scan); a search's matches are counted.
    known = count_filtered(visible_tally(request.user), f)
    if known is None:  # a search: its matches counted exactly, through the index
        known = count_up_to(rows, MAX_OFFSET + 500)
    return KnownCount(rows, known)


@declarations_router.get("/{int:pk}", response={200: DeclarationDetail, **ERRORS})
def get_declaration(request: HttpRequest, pk: int) -> Any:
    """One declaration with its canonical JSON, findings and the caller's possible actions."""
    return detail(request, svc.get_visible(request.user, pk))


@declarations_router.post("/", response={201: DeclarationDetail, **ERRORS})
def create_declaration(request: HttpRequest, payload: DeclarationIn) -> Any:
    """Create a draft from canonical JSON in the caller's unit (or ``organisation`` in scope)."""
    org = None
    if payload.organisation is not None:
        org = visible_organisations(request.user).filter(pk=payload.organisation).first()
        if org is None:
            raise NotAllowed("组织不在您的权限范围内", "the organisation is outside your scope")
    obj = svc.create_declaration(request.user, _domain(payload.document), org)
    review_objects([obj])
    return Status(201, detail(request, Declaration.objects.select_related("organisation").get(pk=obj.pk)))


@declarations_router.put("/{int:pk}", response={200: DeclarationDetail, 409: ErrorOut, **ERRORS})
def save_declaration(request: HttpRequest, pk: int, payload: SaveIn) -> Any:
    """Replace the document; ``version`` must be the current one, else 409 and nothing changes."""
    obj = svc.save_declaration(request.user, pk, _domain(payload.document), payload.version)
    review_objects([obj])
    return detail(request, Declaration.objects.select_related("organisation").get(pk=obj.pk))


@declarations_router.post("/{int:pk}/transitions", response={200: DeclarationDetail, 409: ErrorOut, **ERRORS})
def take_transition(request: HttpRequest, pk: int, payload: TransitionIn) -> Any:
    """Take a workflow action (checked for role, scope and state) and record it."""
    obj = transition(
        request.user,
        pk,
        payload.action,
        grade=payload.grade,
        comment=payload.comment,
        expected_version=payload.version,
    )
    return detail(request, Declaration.objects.select_related("organisation").get(pk=obj.pk))


@declarations_router.get("/{int:pk}/transitions", response={200: list[TransitionOut], **ERRORS})
def list_transitions(request: HttpRequest, pk: int) -> Any:
    """The recorded workflow steps of a declaration: who, when, why."""
    obj = svc.get_visible(request.user, pk)
    return [
        {
            "action": t.action,
            "from_status": t.from_status,
            "to_status": t.to_status,
            "grade": t.grade,
            "comment": t.comment,
            "actor": str(t.actor) if t.actor else None,
            "actor_role": t.actor_role,
            "at": t.at,
        }
        for t in obj.transitions.select_related("actor")
    ]


def _adjustment(request: HttpRequest, adj: Any) -> dict[str, Any]:
    return {
        "id": adj.pk,
        "declaration_id": adj.declaration_id,
        "status": adj.status,
        "grade": adj.grade,
        "reason": adj.reason,
        "approved_on": adj.approved_on.isoformat() if adj.approved_on else None,
        "changes": [
            {"field": c.field, "label": c.label, "before": c.before, "after": c.after}
            for c in adjust.adjustment_changes(adj)
        ],
        "actions": [s.key for s in adjust.adjustment_actions(request.user, adj)],
        "original": adj.original,
        "adjusted": adj.adjusted,
    }


@declarations_router.get("/{int:pk}/adjustments", response={200: list[AdjustmentOut], **ERRORS})
def list_adjustments(request: HttpRequest, pk: int) -> Any:
    """The declaration's 绩效目标调整 (proposed, under review, approved with their date), oldest first."""
    obj = svc.get_visible(request.user, pk)
    return [_adjustment(request, a) for a in obj.adjustments.order_by("id")]


def _position(key: str) -> int:
    try:
        return int(key)
    except ValueError:
        raise invalid_adjustment(
            f"指标序号「{key[:20]}」应为整数（0 为第一个指标）",
            f"the indicator position '{key[:20]}' must be an integer (0 is the first)",
            "targets",
        ) from None


@declarations_router.post("/{int:pk}/adjustments", response={201: AdjustmentOut, 409: ErrorOut, **ERRORS})
def propose_adjustment(request: HttpRequest, pk: int, payload: AdjustmentIn) -> Any:
    """Propose a target adjustment of an approved declaration (a draft the unit then submits)."""
    adj = adjust.propose(
        request.user,
        pk,
        targets={_position(k): v for k, v in list(payload.targets.items())[:500]},
        annual=payload.annual_amount,
        reason=payload.reason,
    )
    return Status(201, _adjustment(request, adj))


@declarations_router.post(
    "/adjustments/{int:pk}/transitions", response={200: AdjustmentOut, 409: ErrorOut, **ERRORS}
)
def adjustment_transition(request: HttpRequest, pk: int, payload: AdjustmentTransitionIn) -> Any:
    """Take a workflow step on an adjustment (submit, forward, send_back, dept_review, finance_review)."""
    adj = adjust.adjustment_transition(
        request.user, pk, payload.action, grade=payload.grade, comment=payload.comment
    )
    return _adjustment(request, adj)


def _exante(obj: Declaration) -> dict[str, Any]:
    from jixiao.db.exante.models import ExAnteSheet
    from jixiao.evaluation.exante import ITEMS

    sheet = ExAnteSheet.objects.filter(declaration=obj).first()
    ratings = exante_svc.ratings_of(sheet)
    assessment = exante_svc.sheet_assessment(obj)
    return {
        "required": exante_svc.required_for(obj),
        "complete": assessment.complete,
        "total": str(assessment.total),
        "conclusion": assessment.conclusion,
        "conclusion_en": assessment.conclusion_en,
        "threshold": str(exante_svc.region_rules().threshold),
        "opinion": sheet.opinion if sheet else "",
        "items": [
            {
                "key": i.key,
                "section": i.section,
                "item": i.zh,
                "item_en": i.en,
                "rating": ratings[i.key].rating if i.key in ratings else "",
                "note": ratings[i.key].note if i.key in ratings else "",
                "points": str(assessment.points[i.key]) if i.key in assessment.points else None,
            }
            for i in ITEMS
        ],
        "missing": [i.key for i in assessment.missing],
    }


@declarations_router.get("/{int:pk}/ex-ante", response={200: ExAnteOut, **ERRORS})
def get_exante(request: HttpRequest, pk: int) -> Any:
    """The declaration's 事前绩效评估: required or not, every item, the total and conclusion."""
    return _exante(svc.get_visible(request.user, pk))


@declarations_router.put("/{int:pk}/ex-ante", response={200: ExAnteOut, **ERRORS})
def save_exante(request: HttpRequest, pk: int, payload: ExAnteIn) -> Any:
    """Save the sheet (incomplete sheets too); the total and conclusion are computed, never sent."""
    from jixiao.evaluation.exante import Rating

    obj = svc.get_visible(request.user, pk)
    ratings = {
        k[:60]: Rating(v.rating.strip(), v.note.strip()) for k, v in list(payload.ratings.items())[:100]
    }
    exante_svc.save_sheet(request.user, obj, ratings, payload.opinion)
    return _exante(obj)


def _history_rows(kind: str, records: Any) -> list[dict[str, Any]]:
    """Return one row per historical version: who, when, what kind of change, the changed fields."""
    from jixiao.web.declarations.history import diff_documents

    rows: list[dict[str, Any]] = []
    previous = None
    for record in records:
        changed: list[str] = []
        if previous is not None:
            delta = record.diff_against(previous)
            changed = sorted(c.field for c in delta.changes if c.field != "document")
        document = getattr(record, "document", None) or {}
        fields = diff_documents(previous.document if previous is not None else None, document)
        rows.append(
            {
                "record": kind,
                "at": record.history_date,
                "by": str(record.history_user) if record.history_user else None,
                "type": {"+": "created", "~": "changed", "-": "deleted"}.get(record.history_type, "changed"),
                "status": getattr(record, "status", None),
                "changed": changed,
                "fields": [{k: f[k] for k in ("field", "before", "after")} for f in fields],
            }
        )
        previous = record
    return rows


@declarations_router.get("/{int:pk}/history", response={200: list[HistoryOut], **ERRORS})
def record_history(request: HttpRequest, pk: int) -> Any:
    """Every change to the declaration, its self-evaluation and its monitoring reports: who, when,
    which fields (before and after), for whoever may see the declaration; newest first."""
    from jixiao.db.evaluation.models import MonitoringRecord, SelfEvaluationRecord

    obj = svc.get_visible(request.user, pk)
    order = ("history_date", "history_id")
    rows = _history_rows("declaration", obj.history.select_related("history_user").order_by(*order))
    evaluation = SelfEvaluationRecord.history.filter(declaration_id=obj.pk).select_related("history_user")
    rows += _history_rows("self_evaluation", evaluation.order_by(*order))
    for month in (
        MonitoringRecord.history.filter(declaration_id=obj.pk)
        .values_list("cutoff_month", flat=True)
        .distinct()
    ):
        reports = MonitoringRecord.history.filter(declaration_id=obj.pk, cutoff_month=month)
        rows += _history_rows(f"monitoring_{month}", reports.select_related("history_user").order_by(*order))
    return sorted(rows, key=lambda r: r["at"], reverse=True)[:1000]


@targets_router.get("/check", response=TargetCheckOut)
def check_target(request: HttpRequest, text: str = "") -> Any:
    """How a 指标目标值 reads under the target grammar (kind and explanation, or why not)."""
    return describe_target(text[:300], i18n.lang())


@organisations_router.get("/", response=list[OrganisationOut])
@paginate(BoundedPagination)
def list_organisations(request: HttpRequest) -> Any:
    """The organisations in the caller's subtree (limit/offset pages)."""
    return [
        {"id": o.pk, "name": o.name, "kind": o.kind, "parent_id": o.parent_id}
        for o in visible_organisations(request.user)
    ]


@public_router.get("/declarations", response={200: list[dict[str, Any]], 422: ErrorOut})
@paginate(DocumentPagination)
def public_declarations(request: HttpRequest, filters: Query[PublicParams]) -> Any:
    """Published declarations as canonical JSON (no sign-in), by year and organisation, in pages.

    Whole documents are large (a form of 60 indicators is about 40 KB), so a page holds at most
    100 of them (``?limit=``, ``?offset=``); ``count`` says how many there are in all.
    """
    qs = visible_declarations(None).order_by("organisation__name", "project_name", "id")
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.organisation is not None:
        qs = qs.filter(organisation_id=filters.organisation)
    return PublicDocuments(qs.values_list("document", flat=True))


class PublicDocuments:
    """A lazily sliced queryset of documents, each without where it came from (the source file)."""

    def __init__(self, documents: Any) -> None:
        self.documents = documents

    def count(self) -> int:
        """Return how many documents there are (the pagination's ``count``)."""
        return int(self.documents.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        return [{k: v for k, v in doc.items() if k != "source"} for doc in self.documents[key]]


def register(api: NinjaAPI) -> None:
    """Add every router to ``api``."""
    api.add_router("/auth", auth_router)
    api.add_router("/declarations", declarations_router)
    api.add_router("/targets", targets_router)
    api.add_router("/organisations", organisations_router)
    api.add_router("/public", public_router)
    api.add_router("/evaluation", evaluation_router)
    api.add_router("/departments", departments_router)
    api.add_router("/benchmarks", benchmarks_router)
