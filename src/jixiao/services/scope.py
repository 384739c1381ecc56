"""The one scope helper: which organisations and declarations a user may see.

Everyone sees only their organisation's subtree; the public sees published declarations only
(DESIGN.md "Lifecycle and people"). Pages and the API both call these functions.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from jixiao.db.accounts.models import Organisation
from jixiao.db.declarations.models import Declaration, DeclarationTally, Status

__all__ = [
    "in_scope",
    "is_signed_in",
    "listed_declarations",
    "listed_tally",
    "unit_and_department",
    "visible_declarations",
    "visible_tally",
    "visible_organisations",
]

# Declarations or their tally: both carry ``organisation`` and ``status``, so one rule scopes both.
_Rows = TypeVar("_Rows", bound=Model)

# Roles that review what units send them; a unit's draft is not theirs until it is submitted.
REVIEWER_ROLES = ("dept_reviewer", "finance_reviewer")


def is_signed_in(user: Any) -> bool:
    """Return True for an authenticated, active user."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def visible_organisations(user: Any) -> QuerySet[Organisation]:
    """Return the organisations in the user's subtree (all of them for an admin)."""
    if not is_signed_in(user):
        return Organisation.objects.none()
    if user.is_admin_role:
        return Organisation.objects.all()
    if user.organisation_id is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(path__startswith=user.organisation.path)


def unit_and_department(org: Organisation, by_id: dict[int, Organisation]) -> tuple[str, str]:
    """Return the (unit, department) names of ``org``: a unit and its parent department, or the
    organisation itself twice (a department, a bureau). ``by_id`` holds the organisations by key."""
    parent = by_id.get(org.parent_id) if org.parent_id else None
    if org.kind == Organisation.Kind.UNIT and parent is not None:
        return org.name, parent.name
    return org.name, org.name


def in_scope(user: Any, organisation: Organisation) -> bool:
    """Return True when ``organisation`` lies in the user's subtree."""
    if not is_signed_in(user):
        return False
    if user.is_admin_role:
        return True
    own = user.organisation
    return own is not None and organisation.path.startswith(own.path)


def _visible(qs: QuerySet[_Rows], user: Any) -> QuerySet[_Rows]:
    """Return the rows of ``qs`` the user may read: their subtree, or published ones for the public."""
    if not is_signed_in(user):
        return qs.filter(status=Status.PUBLISHED)
    if user.is_admin_role:
        return qs
    if user.organisation_id is None:
        return qs.none()
    # A subquery rather than a join: PostgreSQL can then walk the list-order index and stop after a
    # page instead of joining and sorting the whole subtree (bench/bench_web.py).
    subtree = Organisation.objects.filter(path__startswith=user.organisation.path).values("id")
    return qs.filter(organisation_id__in=subtree)


def _listed(qs: QuerySet[_Rows], user: Any) -> QuerySet[_Rows]:
    """Return the rows of ``qs`` the user's lists and dashboards show.

    Reviewers (department, finance) do not see a unit's drafts that were never submitted: a
    draft is the unit's own work until it is sent (a returned one is listed: it has been reviewed).
    """
    qs = _visible(qs, user)
    if is_signed_in(user) and not user.is_admin_role and user.role in REVIEWER_ROLES:
        qs = qs.exclude(status=Status.DRAFT)
    return qs


def visible_declarations(user: Any) -> QuerySet[Declaration]:
    """Return the declarations the user may read: their subtree, or published ones for the public."""
    return _visible(Declaration.objects.all(), user)


def visible_tally(user: Any) -> QuerySet[DeclarationTally]:
    """Return the tally rows that count exactly the declarations :func:`visible_declarations` gives."""
    return _visible(DeclarationTally.objects.all(), user)


def listed_declarations(user: Any) -> QuerySet[Declaration]:
    """Return the declarations the user's lists and dashboards show (no drafts for reviewers)."""
    return _listed(Declaration.objects.all(), user)


def listed_tally(user: Any) -> QuerySet[DeclarationTally]:
    """Return the tally rows that count exactly the declarations :func:`listed_declarations` gives."""
    return _listed(DeclarationTally.objects.all(), user)
