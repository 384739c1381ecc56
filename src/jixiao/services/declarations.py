"""Use cases on declarations: create, save with optimistic locking, import, export.

Each write is one transaction. A save carries the version the user started from; a stale version
raises :class:`ConflictError` and changes nothing ("two people saving the same
declaration never silently lose an update").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from simple_history.utils import bulk_create_with_history

from jixiao.db.accounts.models import Organisation, Role
from jixiao.db.declarations.models import Declaration, Indicator, Status
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
    "without_nul",
]

# Declarations per INSERT of an import (SQLite binds at most 32,766 parameters: 500 × 16 columns fit).
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


def domain_of(obj: Declaration) -> DomainDeclaration:
    """Return the domain Declaration held in the model's canonical JSON."""
    doc = from_dict(obj.document)
    assert isinstance(doc, DomainDeclaration)
    return doc


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


def _apply(obj: Declaration, doc: DomainDeclaration) -> DomainDeclaration:
    """Copy the domain document into the model's columns (header, search text, JSON).

    Returns the cleaned copy that was stored, for the indicator rows.
    """
    doc = from_dict(without_nul(to_dict(doc)))  # type: ignore[assignment]
    # The uploader's file name (a path on their machine, "内部讨论稿.xlsx") is not part of the
    # form: it stays with the pending import and never reaches a stored or published document.
    doc.source.file = None
    obj.year = doc.year
    obj.project_name = (doc.project.name or "")[:300]
    obj.category = (doc.project.category or "")[:100]
    obj.implementing_unit = (doc.project.implementing_unit or "")[:300]
    obj.annual_amount = doc.funding.annual
    obj.document = to_dict(doc)
    obj.search_text = _search_text(doc)
    return doc


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


def import_documents(
    user: Any,
    docs: Sequence[DomainDeclaration],
    organisation: Organisation | None = None,
    status: str = Status.DRAFT,
) -> list[Declaration]:
    """Create one declaration per document in one transaction: all are saved, or none.

    Every document is checked before anything is written. The rows, their history and their
    indicators go in by the batch (a few statements per :data:`IMPORT_BATCH` declarations rather
    than seven per declaration): a corpus-sized import is bound by the round trips otherwise.
    """
    org = organisation or getattr(user, "organisation", None)
    if org is None or not can_create(user, org) or not in_scope(user, org):
        raise NotAllowed("您没有向该单位导入申报表的权限", "you may not import declarations for this unit")
    for doc in docs:
        _check_savable(doc)
    author = user if user.pk else None
    objs: list[Declaration] = []
    rows: list[Indicator] = []
    for doc in docs:
        obj = Declaration(organisation=org, status=status, created_by=author)
        rows.extend(_indicator_rows(obj, _apply(obj, doc)))
        objs.append(obj)
    with transaction.atomic():
        # The history rows say who imported, as a save's post_save record would.
        bulk_create_with_history(objs, Declaration, batch_size=IMPORT_BATCH, default_user=author)
        for row in rows:
            row.declaration_id = row.declaration.pk  # assigned by the bulk insert above
        Indicator.objects.bulk_create(rows, batch_size=IMPORT_BATCH * 8)
    return objs
