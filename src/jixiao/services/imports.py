"""Confirming an import: exactly once, all or nothing, reviewed before it counts as done.

The pending import (the parsed file waiting for the user's confirmation) is claimed by deleting
it, inside the same transaction that creates the declarations and stores their review. So:

* of several confirmations of one import (a double click, five tabs, a retrying proxy), the first
  to delete the row imports, and every other finds nothing to claim and imports nothing: on
  PostgreSQL the later DELETEs wait for the first transaction and then match no row; SQLite
  serialises writers, so the same holds;
* a worker that dies anywhere before the commit leaves the pending import as it was and no
  declaration; after the commit there is nothing left to do, so nothing can be done twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import transaction

from jixiao.db.declarations.models import Declaration, PendingImport
from jixiao.domain.errors import InputError
from jixiao.domain.limits import check_documents
from jixiao.formats.json import from_dict, to_dict
from jixiao.services.declarations import (
    EDITABLE_STATES,
    import_documents,
    only_declarations,
    save_declaration,
    without_nul,
)
from jixiao.services.review import engine_available, profile_for, review_objects, review_peers
from jixiao.services.scope import visible_declarations

__all__ = ["Choice", "ImportPreview", "confirm_import", "preview_import", "stage_import"]

Choice = Literal["new", "update", "skip"]


@dataclass
class ImportPreview:
    """One document of a pending import, as the preview shows it.

    ``match`` is the user's existing declaration with the same unit, year and project name;
    ``choices`` are what may be done with the document (a match under review or published can only
    be skipped: it changes through the workflow) and ``default`` the one preselected.
    """

    index: int
    doc: dict[str, Any]
    findings: list[dict[str, Any]] = field(default_factory=list)
    grade: str = ""
    score: Any = None
    match: Declaration | None = None
    choices: tuple[Choice, ...] = ("new", "skip")
    default: Choice = "new"


def stage_import(user: Any, file_name: str, docs: list[Any], *, replace: bool = True) -> PendingImport:
    """Keep the declarations read from a file as the user's pending import (the preview shows it).

    InputError JX-E105 when the file held none; the limits (JX-E7xx) are checked here, at the
    preview, before anything waits to be confirmed. ``replace`` drops the user's earlier pending
    imports (an upload replaces the one before); a scan read by a job keeps them, since the user
    may be looking at another file's preview meanwhile.
    """
    if not docs:
        raise InputError("文件中没有找到申报表", "no declaration found in the file", code="JX-E105")
    check_documents(list(docs))
    if replace:
        PendingImport.objects.filter(user=user).delete()
    return PendingImport.objects.create(
        user=user, file_name=file_name, documents=without_nul([to_dict(d) for d in docs])
    )


def _match(user: Any, doc: Any) -> Declaration | None:
    org_id: int | None = getattr(user, "organisation_id", None)
    if org_id is None:  # a declaration always belongs to an organisation: nothing to match
        return None
    return (
        visible_declarations(user)
        .filter(organisation_id=org_id, year=doc.year, project_name=(doc.project.name or "").strip()[:300])
        .order_by("-id")
        .first()
    )


def preview_import(user: Any, pending: PendingImport) -> list[ImportPreview]:
    """Return per document its review (the same checker as the editor), and its existing match."""
    items = []
    for n, raw in enumerate(pending.documents):
        doc = from_dict(raw)
        item = ImportPreview(n, raw)
        if engine_available():
            from jixiao.review.checking import check_declaration

            check = check_declaration(doc, profile_for(doc.year), review_peers())  # type: ignore[arg-type]
            item.findings, item.grade, item.score = check.findings, check.grade, check.score
        item.match = _match(user, doc)
        if item.match is not None:
            if item.match.status in EDITABLE_STATES:
                item.choices, item.default = ("update", "new", "skip"), "update"
            else:
                item.choices, item.default = ("skip",), "skip"
        items.append(item)
    return items


@dataclass
class ImportResult:
    """What a confirmed import did: declarations created, updated as a new version, skipped."""

    created: list[Declaration] = field(default_factory=list)
    updated: list[Declaration] = field(default_factory=list)
    skipped: int = 0

    def __len__(self) -> int:
        return len(self.created) + len(self.updated)

    def __iter__(self) -> Any:
        return iter(self.created + self.updated)


def confirm_import(user: Any, pk: int, choices: Mapping[int, Choice] | None = None) -> ImportResult | None:
    """Import the user's pending import ``pk``; return None when it is gone (already confirmed).

    ``choices`` says per document index what to do (``new``, ``update`` the matching declaration as
    a new version, or ``skip``); without it every document is created, all or nothing.
    """
    pending = PendingImport.objects.filter(pk=pk, user=user).first()
    if pending is None:
        return None
    docs = only_declarations(from_dict(d) for d in pending.documents)
    check_documents(list(docs))
    result = ImportResult()
    with transaction.atomic():
        claimed, _ = PendingImport.objects.filter(pk=pk, user=user).delete()
        if not claimed:
            return None  # another confirmation imported it in the meantime
        new_docs = []
        for n, doc in enumerate(docs):
            choice = (choices or {}).get(n, "new") if choices is not None else "new"
            if choice == "skip":
                result.skipped += 1
            elif choice == "update" and (match := _match(user, doc)) is not None:
                result.updated.append(save_declaration(user, match.pk, doc, match.version))
            else:
                new_docs.append(doc)
        result.created = import_documents(user, new_docs) if new_docs else []
        review_objects(list(result))
    return result
