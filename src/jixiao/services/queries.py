"""Filters and search over declarations, shared by the list page and the API list endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import TypeVar

from django.db import connections, transaction
from django.db.models import BooleanField, Model, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL

from jixiao.db.declarations.models import Declaration, DeclarationTally

__all__ = [
    "SMALL_SELECTION",
    "DeclarationFilter",
    "apply_filter",
    "count_filtered",
    "count_up_to",
    "index_plan",
    "order_plan",
    "selected_rows",
]

# A filter that selects at most this many declarations has its page read from the indexes that
# select them, then sorted (see selected_rows): a few milliseconds at the most.
SMALL_SELECTION = 3_000

# Declarations or their tally: the filters other than the search apply to both alike.
_Rows = TypeVar("_Rows", bound=Model)


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


def _cleaned(f: DeclarationFilter) -> DeclarationFilter:
    return DeclarationFilter(
        year=f.year,
        organisation=f.organisation,
        status=_clean(f.status),
        grade=_clean(f.grade),
        q=_clean(f.q),
    )


def _narrow(qs: QuerySet[_Rows], f: DeclarationFilter) -> QuerySet[_Rows]:
    """Return ``qs`` narrowed by the year, organisation (its subtree), status and grade of ``f``."""
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
    return qs


def count_filtered(tally: QuerySet[DeclarationTally], f: DeclarationFilter) -> int | None:
    """Return how many declarations :func:`apply_filter` gives, read from ``tally``, or None.

    ``tally`` holds the scope's counts (services.scope.listed_tally); a filter by year,
    organisation, status and grade is a sum over its rows. The tally knows no words: with a search
    text the answer is None and the caller counts the matches.
    """
    f = _cleaned(f)
    if f.q and f.q.strip():
        return None
    return int(_narrow(tally, f).aggregate(n=Sum("n"))["n"] or 0)


def apply_filter(qs: QuerySet[Declaration], f: DeclarationFilter) -> QuerySet[Declaration]:
    """Return ``qs`` narrowed by ``f``; the search looks at names, goals and indicator names."""
    f = _cleaned(f)
    qs = _narrow(qs, f)
    if f.q and f.q.strip():
        term = f.q.strip()[:100]
        # search_text holds the goals and indicator names (services.declarations._apply).
        like = Q(project_name__icontains=term) | Q(search_text__icontains=term)
        connection = connections[qs.db]
        # The pair index splits the text at U+001F (migration 0008): a query holding one is searched
        # by the LIKE alone, so that it still finds what it should.
        if connection.vendor == "postgresql" and "\x1f" not in term:
            # The stored character pairs (migrations 0008, 0009) find the candidates; the LIKE keeps
            # exactly its results. For one or two characters without a space the candidates are
            # the results (the text is padded, so each of its characters starts a pair), and
            # without the LIKE the planner estimates the share of matches from the column's
            # statistics: a common query then walks the list's order and stops after a page
            # instead of sorting every match.
            table = connection.ops.quote_name(Declaration._meta.db_table)
            pairs = RawSQL(
                f"{table}.search_bigrams @@ jixiao_bigram_query(%s)", [term], output_field=BooleanField()
            )
            qs = qs.filter(pairs)
            if len(term) > 2 or any(c.isspace() for c in term):
                qs = qs.filter(like)
        else:
            qs = qs.filter(like)
    return qs


@contextmanager
def _planner_settings(db: str, *names: str) -> Iterator[None]:
    """Turn the planner's ``names`` off for the queries inside, rolled back at the end, so that
    they steer these queries only (a SET LOCAL outlives a released savepoint). Nothing may be
    written inside. SQLite has no such settings (nor the pair index): nothing is set there."""
    connection = connections[db]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=db), connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"set_config('{name}', 'off', true)" for name in names))
        yield
        transaction.set_rollback(True, using=db)


def index_plan(db: str) -> AbstractContextManager[None]:
    """Run the queries inside on the indexes that select their rows (the search index, the unit's,
    the state's), then sort: not by walking the list's order and testing each row.

    For a search with few matches the planner may walk the list's order testing each row's stored
    pairs (read out of line, some 50 µs a row) until a page is found, the whole table for a rare
    word; from the pair index the work is bounded by the matches. A small scope likewise
    (:func:`selected_rows`).
    """
    return _planner_settings(db, "enable_seqscan", "enable_indexscan")


def order_plan(db: str) -> AbstractContextManager[None]:
    """Run the queries inside by walking the list's order index, testing each row, to the page.

    For a search with more matches than the count's cap, a page is found after about (offset +
    page) / share rows in the list's order. The planner does not know the share of a query of
    three or more characters (the LIKE that keeps the exact matches has a fixed, small estimated
    selectivity), and sorted every match instead: a whole-table scan, about a second at 100,000
    declarations for 满意度, which four in five of them contain.
    """
    return _planner_settings(
        db, "enable_seqscan", "enable_bitmapscan", "enable_sort", "enable_incremental_sort"
    )


def selected_rows(rows: QuerySet[_Rows], selected: int) -> list[_Rows]:
    """Return ``rows`` (an ordered page of a filter) as a list; ``selected`` is how many rows the
    filter selects (from the tally).

    A page in the list's order is found by walking the order index and testing each row. The
    planner expects a unit's rows to be spread along that order, but they cluster (a unit's
    project names look alike), and it walked 60,000 of 100,000 declarations to find a unit's first
    25 (58 ms). When the filter selects at most :data:`SMALL_SELECTION` rows they are read from
    the indexes that select them (unit, year, status) and sorted (2.5 ms): bounded by the rows
    selected, whatever the order.
    """
    if selected <= SMALL_SELECTION:
        with index_plan(rows.db):
            return list(rows)
    return list(rows)


def count_up_to(qs: QuerySet[Declaration], limit: int) -> int:
    """Return how many rows ``qs`` has, counting no further than ``limit`` (from the index)."""
    with index_plan(qs.db):
        return int(qs.order_by()[:limit].count())
