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

from typing import Any

from django.db import transaction

from jixiao.db.declarations.models import Declaration, PendingImport
from jixiao.domain.limits import check_documents
from jixiao.formats.json import from_dict
from jixiao.services.declarations import import_documents, only_declarations
from jixiao.services.review import review_objects

__all__ = ["confirm_import"]


def confirm_import(user: Any, pk: int) -> list[Declaration] | None:
    """Import the user's pending import ``pk``; return None when it is gone (already confirmed)."""
    pending = PendingImport.objects.filter(pk=pk, user=user).first()
    if pending is None:
        return None
    docs = only_declarations(from_dict(d) for d in pending.documents)
    check_documents(list(docs))
    with transaction.atomic():
        claimed, _ = PendingImport.objects.filter(pk=pk, user=user).delete()
        if not claimed:
            return None  # another confirmation imported it in the meantime
        objs = import_documents(user, docs)
        review_objects(objs)
    return objs
