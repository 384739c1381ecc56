"""Filters and search over declarations, shared by the list page and the API list endpoint."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from jixiao.db.declarations.models import Declaration

__all__ = ["DeclarationFilter", "apply_filter"]


@dataclass(slots=True)
class DeclarationFilter:
    """The list filters: year, organisation (its subtree), status, grade and a search text."""

    year: int | None = None
    organisation: int | None = None
    status: str | None = None
    grade: str | None = None
    q: str | None = None


def _clean(value: str | None) -> str | None:
    # PostgreSQL text cannot hold NUL; a NUL in a filter matches nothing rather than failing.
    return value.replace("\x00", "") if value else value


def apply_filter(qs: QuerySet[Declaration], f: DeclarationFilter) -> QuerySet[Declaration]:
    """Return ``qs`` narrowed by ``f``; the search looks at names, goals and indicator names."""
    f = DeclarationFilter(
        year=f.year,
        organisation=f.organisation,
        status=_clean(f.status),
        grade=_clean(f.grade),
        q=_clean(f.q),
    )
    if f.year:
        qs = qs.filter(year=f.year)
    if f.organisation:
        from jixiao.db.accounts.models import Organisation

        org = Organisation.objects.filter(pk=f.organisation).first()
        qs = qs.filter(organisation__path__startswith=org.path) if org else qs.none()
    if f.status:
        qs = qs.filter(status=f.status)
    if f.grade:
        qs = qs.filter(grade=f.grade)
    if f.q and f.q.strip():
        term = f.q.strip()[:100]
        # search_text holds the goals and indicator names (services.declarations._apply).
        qs = qs.filter(Q(project_name__icontains=term) | Q(search_text__icontains=term))
    return qs
