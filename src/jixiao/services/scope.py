"""The one scope helper: which organisations and declarations a user may see.

Everyone sees only their organisation's subtree; the public sees published declarations only
(DESIGN.md "Lifecycle and people"). Pages and the API both call these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from jixiao.db.accounts.models import Organisation
from jixiao.db.declarations.models import Declaration, DeclarationTally, Status

__all__ = [
    "in_scope",
    "ORGANISATIONS_LISTED",
    "OrganisationChoices",
    "is_signed_in",
    "listed_declarations",
    "listed_tally",
    "organisation_choices",
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


# A filter lists every organisation of its scope up to this many. A province's thousands are
# reached down the tree or found by name instead: a <select> of thousands is unusable, and it
# would weigh on every list page.
ORGANISATIONS_LISTED = 200


@dataclass(frozen=True, slots=True)
class OrganisationChoices:
    """The organisations a filter offers, in tree order, and what was left out.

    ``options`` are (key, name, depth) with depth 0 for the shallowest listed; ``total`` counts
    the organisations of the scope; ``matched`` counts those whose name holds ``term`` (None with
    no term).
    """

    options: list[tuple[int, str, int]]
    total: int
    term: str = ""
    matched: int | None = None

    @property
    def complete(self) -> bool:
        """Return True when every organisation of the scope is listed."""
        return len(self.options) == self.total


def organisation_choices(
    scope: QuerySet[Organisation],
    selected: int | None = None,
    term: str = "",
    listed: int | None = None,
) -> OrganisationChoices:
    """Return the organisations of ``scope`` a filter lists, at most ``listed`` of them.

    A scope of up to ``listed`` organisations is listed whole. A larger one lists, with a
    ``term``, the organisations whose name holds it; without one, the tree opened along the line
    to ``selected``: the scope's top organisations and their children, and the children of each
    organisation on the line, so that a department and then its units are reached in two
    choices. The selected organisation is always listed. ``listed`` is
    :data:`ORGANISATIONS_LISTED` unless given.
    """
    listed = ORGANISATIONS_LISTED if listed is None else listed
    total = scope.count()
    term = term.strip()
    rows = scope.order_by("path").values_list("pk", "name", "path")
    matched = None
    if term:
        found = rows.filter(name__icontains=term)
        matched = found.count()
        picked = list(found[:listed])
    elif total <= listed:
        picked = list(rows)
    else:
        picked = _around(scope, rows, selected, listed)
    if selected is not None and all(pk != selected for pk, _name, _path in picked):
        picked = [*rows.filter(pk=selected), *picked][: max(listed, 1)]
    # Tree order with siblings in the order they were made: the path's keys as numbers (as text,
    # "/1/12/" would come before "/1/7/").
    picked.sort(key=lambda row: [int(k) for k in row[2].strip("/").split("/")])
    top = min((path.count("/") for _pk, _name, path in picked), default=0)
    options = [(pk, name, path.count("/") - top) for pk, name, path in picked]
    return OrganisationChoices(options=options, total=total, term=term, matched=matched)


def _around(
    scope: QuerySet[Organisation], rows: QuerySet[Any], selected: int | None, listed: int
) -> list[tuple[int, str, str]]:
    """Return the tree opened along the line to ``selected``: the scope's top organisations and
    their children, then the children of each organisation on the line down to it (at most
    ``listed``, in tree order)."""
    tops = scope.exclude(parent__in=scope)
    chosen = scope.filter(pk=selected).values_list("path", flat=True).first() if selected else None
    line = [int(pk) for pk in chosen.strip("/").split("/")] if chosen else []
    near = rows.filter(pk__in=tops) | rows.filter(parent__in=tops) | rows.filter(parent_id__in=line)
    return list(near.order_by("path")[:listed])
