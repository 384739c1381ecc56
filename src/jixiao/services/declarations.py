"""Use cases on declarations: create, save with optimistic locking, import, export.

Each write is one transaction. A save carries the version the user started from; a stale version
raises :class:`ConflictError` and changes nothing ("two people saving the same
declaration never silently lose an update").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import F

from jixiao.db.accounts.models import Organisation, Role
from jixiao.db.declarations.models import Declaration, Indicator, Status
from jixiao.domain.bulk import gc_paused
from jixiao.domain.errors import ConflictError, InputError, Location, NotAllowed, NotFound
from jixiao.domain.limits import check_document
from jixiao.domain.model import Declaration as DomainDeclaration
from jixiao.domain.model import Document
from jixiao.formats.json import from_dict, to_dict
from jixiao.services.scope import in_scope, visible_declarations

__all__ = [
    "EDITABLE_STATES",
    "can_create",
    "can_edit",
    "create_declaration",
    "domain_of",
    "get_visible",
    "import_documents",
    "only_declarations",
    "save_declaration",
    "stored_as",
    "without_nul",
]

# The batch size of the ORM's bulk writes an import once used; kept for the tests that import more
# than one such batch (an import now writes all its rows by one COPY or executemany).
IMPORT_BATCH = 500

# A declaration under review or approved changes only through the workflow (DESIGN.md, lifecycle).
EDITABLE_STATES = (Status.DRAFT, Status.RETURNED)
WRITER_ROLES = (Role.FILLER, Role.UNIT_HEAD)


def get_visible(user: Any, pk: int) -> Declaration:
    """Return declaration ``pk`` if the user may see it, else raise :class:`NotFound`."""
    obj = visible_declarations(user).select_related("organisation").filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj


D = TypeVar("D")


def stored_as(data: Any, kind: type[D]) -> D:
    """Return the document of ``kind`` that ``data`` describes: a stored record's canonical JSON,
    which was read as that kind when it was saved, so another kind is a programming error."""
    doc = from_dict(data)
    assert isinstance(doc, kind)
    return doc


def domain_of(obj: Declaration) -> DomainDeclaration:
    """Return the domain Declaration held in the model's canonical JSON."""
    return stored_as(obj.document, DomainDeclaration)


def can_create(user: Any, organisation: Organisation | None = None) -> bool:
    """Return True when the user may create declarations for ``organisation`` (default: their own)."""
    if not getattr(user, "is_authenticated", False):
        return False
    org = organisation or user.organisation
    if org is None:
        return False
    if user.is_admin_role:
        return True
    return user.role in WRITER_ROLES and user.organisation_id == org.pk


def can_edit(user: Any, obj: Declaration) -> bool:
    """Return True when the user may edit: fillers/unit heads of the unit, draft or returned only."""
    if not getattr(user, "is_authenticated", False) or obj.status not in EDITABLE_STATES:
        return False
    if user.is_admin_role:
        return True
    return user.role in WRITER_ROLES and user.organisation_id == obj.organisation_id


def _search_text(doc: DomainDeclaration) -> str:
    parts = [doc.project.name, doc.goals.overall or "", doc.goals.annual or ""]
    parts += [i.name for i in doc.indicators]
    return "\n".join(parts)


def without_nul(value: Any) -> Any:
    """Return ``value`` with NUL characters removed from every string (PostgreSQL cannot store them)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    return value


def _stored(doc: DomainDeclaration) -> tuple[DomainDeclaration, dict[str, Any], str]:
    """Return the document as it is stored (NUL removed, no file name), its canonical JSON and its text."""
    data = to_dict(doc)
    # The uploader's file name (a path on their machine, "内部讨论稿.xlsx") is not part of the
    # form: it stays with the pending import and never reaches a stored or published document.
    data["source"]["file"] = None
    text = json.dumps(data, ensure_ascii=False)
    # JSON text writes a NUL as the escape \\u0000 (a typed backslash is doubled, so at worst a false
    # alarm that sends the document through the full copy): one C-speed scan instead of a walk.
    if "\\u0000" in text:
        data = without_nul(data)
        text = json.dumps(data, ensure_ascii=False)
    # The stored copy is read back from its JSON, as every later reading of it (domain_of) will be.
    stored = stored_as(data, DomainDeclaration)
    return stored, data, text


def _columns_of(obj: Declaration, doc: DomainDeclaration, data: dict[str, Any]) -> None:
    obj.year = doc.year
    obj.project_name = (doc.project.name or "")[:300]
    obj.category = (doc.project.category or "")[:100]
    obj.implementing_unit = (doc.project.implementing_unit or "")[:300]
    obj.annual_amount = doc.funding.annual
    obj.document = data
    obj.search_text = _search_text(doc)


def _apply(obj: Declaration, doc: DomainDeclaration) -> DomainDeclaration:
    """Copy the domain document into the model's columns (header, search text, JSON).

    Returns the cleaned copy that was stored, for the indicator rows.
    """
    stored, data, _ = _stored(doc)
    _columns_of(obj, stored, data)
    return stored


def _indicator_rows(obj: Declaration, doc: DomainDeclaration) -> list[Indicator]:
    """The searchable mirror of ``doc``'s indicators (the cleaned copy :func:`_apply` stored)."""
    return [
        Indicator(
            declaration=obj,
            position=n,
            level1=i.level1[:50],
            level2=i.level2[:50],
            name=i.name[:300],
            target_text=i.target.text[:300],
            target_kind=i.target.kind,
        )
        for n, i in enumerate(doc.indicators)
    ]


def _write_indicators(obj: Declaration, doc: DomainDeclaration) -> None:
    Indicator.objects.filter(declaration=obj).delete()
    Indicator.objects.bulk_create(_indicator_rows(obj, doc))


def only_declarations(docs: Iterable[Document]) -> list[DomainDeclaration]:
    """Return ``docs`` if all are declarations; a self-evaluation raises InputError JX-E150."""
    out: list[DomainDeclaration] = []
    for n, doc in enumerate(docs):
        if not isinstance(doc, DomainDeclaration):
            raise InputError(
                f"第 {n + 1} 份文档是自评表，此处只能导入申报表",
                f"document {n + 1} is a self-evaluation; only declarations can be imported here",
                code="JX-E150",
                where=Location(field=f"$[{n}].kind"),
            )
        out.append(doc)
    return out


def _check_savable(doc: DomainDeclaration) -> None:
    """Refuse a declaration without a project name or over a limit, before anything is written."""
    if not doc.project.name or not doc.project.name.strip():
        raise InputError(
            "项目名称不能为空",
            "the project name is required",
            code="JX-E151",
            where=Location(field="project.name"),
        )
    check_document(doc)  # the limits of every entry point (web, API, import, admin): never truncate


def create_declaration(
    user: Any, doc: DomainDeclaration, organisation: Organisation | None = None, status: str = Status.DRAFT
) -> Declaration:
    """Create a declaration for ``organisation`` (default: the user's) and return it."""
    org = organisation or getattr(user, "organisation", None)
    if org is None or not can_create(user, org):
        raise NotAllowed("您没有在该单位新建申报表的权限", "you may not create declarations for this unit")
    _check_savable(doc)
    with transaction.atomic():
        obj = Declaration(organisation=org, status=status, created_by=user if user.pk else None)
        stored = _apply(obj, doc)
        obj._history_user = user if user.pk else None  # type: ignore[attr-defined]
        obj.save()
        Indicator.objects.bulk_create(_indicator_rows(obj, stored))
    return obj


def save_declaration(user: Any, pk: int, doc: DomainDeclaration, expected_version: int) -> Declaration:
    """Save ``doc`` over declaration ``pk`` if nobody saved since ``expected_version``.

    Raises :class:`NotFound`, :class:`NotAllowed` (state or role), or :class:`ConflictError`.
    """
    obj = get_visible(user, pk)
    if not can_edit(user, obj):
        raise NotAllowed(
            f"当前状态「{obj.get_status_display()}」下您不能修改此申报表（审核中或已批复的申报表只能通过流程变更）",
            f"you cannot edit this declaration in state '{obj.status}' (under review or approved "
            "declarations change only through the workflow)",
        )
    _check_savable(doc)
    with transaction.atomic():
        # The conditional UPDATE is the lock: of two saves from the same version only one matches.
        claimed = Declaration.objects.filter(
            pk=pk, version=expected_version, status__in=EDITABLE_STATES
        ).update(version=F("version") + 1)
        if not claimed:
            current = Declaration.objects.filter(pk=pk).first()
            if current is not None and current.status not in EDITABLE_STATES:
                raise NotAllowed(
                    "此申报表已进入审核流程，不能再修改", "this declaration is now in the workflow"
                )
            last = current.history.first() if current is not None else None
            by = str(last.history_user) if last is not None and last.history_user else None
            raise ConflictError(current.version if current else 0, by)
        obj = Declaration.objects.get(pk=pk)
        stored = _apply(obj, doc)
        obj._history_user = user  # type: ignore[attr-defined]
        obj.save()
        _write_indicators(obj, stored)
    return obj


# The columns an import writes, in the order of the rows built by _import_row.
_IMPORT_FIELDS = (
    "organisation",
    "year",
    "project_name",
    "category",
    "implementing_unit",
    "annual_amount",
    "status",
    "grade",
    "document",
    "search_text",
    "findings",
    "findings_count",
    "review_grade",
    "version",
    "created_by",
    "created",
    "updated",
)
_INDICATOR_FIELDS = ("declaration", "position", "level1", "level2", "name", "target_text", "target_kind")


def import_documents(
    user: Any,
    docs: Sequence[DomainDeclaration],
    organisation: Organisation | None = None,
    status: str = Status.DRAFT,
    *,
    review: bool = False,
    with_peers: bool = True,
) -> list[Declaration]:
    """Create one declaration per document in one transaction: all are saved, or none.

    Every document is checked before anything is written. The rows, their history and their
    indicators go in by the batch (COPY on PostgreSQL, one ``executemany`` on SQLite; the history
    copied from the new rows in one statement): a corpus-sized import is bound by per-row work
    otherwise.

    With ``review`` the documents are reviewed before they are written (as
    :func:`jixiao.services.review.review_objects` would review them just after, with the unit's
    other declarations of the year when ``with_peers``), so their findings and machine grade go in
    with the rows; peers whose findings change are updated.
    """
    org = organisation or getattr(user, "organisation", None)
    if org is None or not can_create(user, org) or not in_scope(user, org):
        raise NotAllowed("您没有向该单位导入申报表的权限", "you may not import declarations for this unit")
    # Thousands of small acyclic objects (stored copies, rows, findings): the cyclic collector's
    # passes over them free nothing (domain.bulk.gc_paused); reference counting still frees them.
    with gc_paused():
        return _import(user, org, docs, status, review=review, with_peers=with_peers)


def _import(
    user: Any,
    org: Organisation,
    docs: Sequence[DomainDeclaration],
    status: str,
    *,
    review: bool,
    with_peers: bool,
) -> list[Declaration]:
    from django.utils import timezone

    from jixiao.db.bulk import copy_history, db_value, insert_rows, json_text

    for doc in docs:
        _check_savable(doc)
    author = user if user.pk else None
    now = timezone.now()
    objs: list[Declaration] = []
    stored_docs: list[DomainDeclaration] = []
    texts: list[str] = []
    for doc in docs:
        obj = Declaration(organisation=org, status=status, created_by=author, created=now, updated=now)
        stored, data, text = _stored(doc)
        _columns_of(obj, stored, data)
        objs.append(obj)
        stored_docs.append(stored)
        texts.append(text)
    with transaction.atomic():
        from jixiao.services.review import NewReview, store_review

        # Reviewed as the rows are sent: each declaration's own rules and findings' JSON are made
        # while the database takes in the rows before it (the peers are read and the batch rules
        # run first, before the COPY holds the connection).
        pending = NewReview(objs, stored_docs, with_peers=with_peers) if review else None
        when = db_value(Declaration, "created", now)
        org_id, author_id = org.pk, author.pk if author else None
        rows = (
            (
                org_id,
                obj.year,
                obj.project_name,
                obj.category,
                obj.implementing_unit,
                obj.annual_amount,
                obj.status,
                obj.grade,
                text,
                obj.search_text,
                json_text(obj.findings),
                obj.findings_count,
                obj.review_grade,
                obj.version,
                author_id,
                when,
                when,
            )
            for obj, text in zip(pending.reviewed() if pending else objs, texts, strict=True)
        )
        ids = insert_rows(Declaration, _IMPORT_FIELDS, rows, returning_ids=True, count=len(objs))
        for obj, pk in zip(objs, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = Declaration.objects.db
        # The history rows say who imported, as a save's post_save record would.
        copy_history(Declaration, ids, author_id, now)
        indicator_rows = [
            (pk, n, i.level1[:50], i.level2[:50], i.name[:300], i.target.text[:300], i.target.kind)
            for pk, doc in zip(ids, stored_docs, strict=True)
            for n, i in enumerate(doc.indicators)
        ]
        insert_rows(Indicator, _INDICATOR_FIELDS, indicator_rows)
        changed_peers = pending.changed_peers() if pending else []
        if changed_peers:
            store_review(changed_peers)
    return objs
