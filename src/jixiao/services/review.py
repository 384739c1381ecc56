"""Run the review engine (``jixiao.review``) over declarations and keep its findings.

Findings are stored on the declaration (``findings`` JSON, ``findings_count``, ``review_grade``) so
that the declaration page can show them beside the fields they concern and the dashboard can count
them without re-running the rules.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction

from jixiao.db.declarations.models import Declaration
from jixiao.domain.model import Declaration as DomainDeclaration
from jixiao.review.peers import PeerBenchmarks
from jixiao.services.declarations import domain_of
from jixiao.services.peers import peer_benchmarks

__all__ = [
    "MAX_PEERS",
    "NewReview",
    "REVIEW_BATCH",
    "engine_available",
    "profile_for",
    "review_new",
    "review_objects",
    "review_peers",
    "run_review",
    "store_review",
]

# A save reviews the declaration with at most this many of its unit's declarations of the year
# (the most recently changed), so that one save stays fast however large the unit is.
MAX_PEERS = 300

# The batch size of the ORM's CASE WHEN update the review results once went by (they now go by one
# executemany of a plain UPDATE); kept for callers that size their own batches by it.
REVIEW_BATCH = 200


def engine_available() -> bool:
    """Return True when the review engine is installed."""
    try:
        from jixiao.review import review  # noqa: F401
    except ImportError:
        return False
    return True


def profile_for(year: int | None) -> str:
    """Return the review profile key for a budget year in the configured region (JIXIAO_REGION)."""
    from jixiao.review.profiles import profile_for as region_profile

    return region_profile(year, settings.JIXIAO_REGION)


def _findings_of(result: Any) -> list[Any]:
    for name in ("findings",):
        value = getattr(result, name, None)
        if value is not None:
            return list(value)
    return []


def review_peers() -> PeerBenchmarks | None:
    """Return the peers' data the review compares with (the whole database's), None when switched off.

    The peer rules (JX-A09, JX-A10, JX-R17) then apply to saves, imports and the editor's live check
    alike (JIXIAO_PEER_REVIEW, on by default).
    """
    return peer_benchmarks() if getattr(settings, "JIXIAO_PEER_REVIEW", True) else None


def run_review(
    objs: Sequence[Declaration], docs: Sequence[DomainDeclaration | None] | None = None
) -> list[tuple[list[dict[str, Any]], str]]:
    """Return (findings as dicts, grade) per declaration, reviewed together as one batch per year.

    ``docs`` may give the domain documents of ``objs`` already at hand (an import has them), else
    each is read back from its stored JSON.
    """
    return list(_reviews(objs, docs))


def _reviews(
    objs: Sequence[Declaration], docs: Sequence[DomainDeclaration | None] | None = None
) -> Iterator[tuple[list[dict[str, Any]], str]]:
    """Return :func:`run_review`'s results one at a time, in the order of ``objs``.

    Everything that reads the database (the peers' data, the stored documents) and the batch rules
    run before this returns; each declaration's own rules and its findings' JSON shape are made
    when it is asked for, so that an import streaming its rows overlaps them with the database.
    """
    if not objs or not engine_available():
        return iter([([], "") for _ in objs])
    from jixiao.review.engine import review_each

    peers = review_peers()
    year_of = [obj.year for obj in objs]
    by_year: dict[int | None, list[int]] = {}
    for n, year in enumerate(year_of):
        by_year.setdefault(year, []).append(n)
    each = {
        year: review_each(
            [(docs[n] if docs is not None else None) or domain_of(objs[n]) for n in indexes],
            profile=profile_for(year),
            peers=peers,
        )
        for year, indexes in by_year.items()
    }
    return _results_in_order(year_of, each)


def _results_in_order(
    year_of: list[int | None], each: dict[int | None, Iterator[Any]]
) -> Iterator[tuple[list[dict[str, Any]], str]]:
    # A year's reviews come in the order of its declarations, so the next one of the declaration's
    # year is its own.
    for year in year_of:
        result = next(each[year], None)
        findings = [f.to_dict("zh") | {"title_zh": getattr(f, "title_zh", "")} for f in _findings_of(result)]
        yield findings, str(getattr(result, "grade", "") or "")


def _peers_of(objs: Sequence[Declaration]) -> list[Declaration]:
    """The unit's other declarations of the year the batch rules compare ``objs`` with (at most MAX_PEERS)."""
    wanted = {obj.pk for obj in objs if obj.pk is not None}
    return list(
        Declaration.objects.filter(
            organisation_id__in={o.organisation_id for o in objs},
            year__in={o.year for o in objs if o.year},
        )
        .exclude(pk__in=wanted)
        .only("id", "year", "document", "organisation_id", "findings", "review_grade")
        .order_by("-updated")[:MAX_PEERS]
    )


def _assign(
    objs: Sequence[Declaration], docs: Sequence[DomainDeclaration | None] | None
) -> list[Declaration]:
    """Review ``objs`` together, set their review columns; return those whose findings changed."""
    changed: list[Declaration] = []
    for obj, (findings, grade) in zip(objs, run_review(objs, docs), strict=True):
        if findings == obj.findings and grade[:2] == obj.review_grade:
            continue  # unchanged: no write (a unit's peers mostly stay as they were)
        obj.findings, obj.findings_count, obj.review_grade = findings, len(findings), grade[:2]
        changed.append(obj)
    return changed


def store_review(objs: Sequence[Declaration]) -> None:
    """Write the review columns of saved declarations: one statement for all, those columns only.

    Nothing else a concurrent save wrote is overwritten, and the history (which leaves the
    findings out) is untouched.
    """
    from jixiao.db.bulk import json_text, update_rows

    update_rows(
        Declaration,
        ["findings", "findings_count", "review_grade"],
        [(json_text(o.findings), o.findings_count, o.review_grade, o.pk) for o in objs],
    )


def review_new(
    objs: Sequence[Declaration], docs: Sequence[DomainDeclaration], *, with_peers: bool = True
) -> list[Declaration]:
    """Review declarations about to be created (``docs`` their stored documents) before they are written.

    Their findings and machine grade are set on ``objs``, reviewed with the same peers
    :func:`review_objects` would take once they were saved. Returns the peers whose stored findings
    changed (the caller stores them with :func:`store_review`, in its transaction).
    """
    pending = NewReview(objs, docs, with_peers=with_peers)
    for _ in pending.reviewed():
        pass
    return pending.changed_peers()


class NewReview:
    """The review of declarations about to be created, handed out one by one (see :func:`review_new`).

    Built before the rows are written (it reads the peers and runs the batch rules then);
    :meth:`reviewed` then gives each new declaration with its review columns set as the rows are
    streamed to the database, and :meth:`changed_peers` the peers whose findings changed.
    """

    def __init__(
        self, objs: Sequence[Declaration], docs: Sequence[DomainDeclaration], *, with_peers: bool = True
    ) -> None:
        self.objs = list(objs)
        self.peers = _peers_of(self.objs) if with_peers and self.objs else []
        self._results = _reviews([*self.objs, *self.peers], [*docs, *([None] * len(self.peers))])

    def reviewed(self) -> Iterator[Declaration]:
        """Yield each new declaration in order, its findings, count and machine grade set."""
        for obj in self.objs:
            findings, grade = next(self._results)
            obj.findings, obj.findings_count, obj.review_grade = findings, len(findings), grade[:2]
            yield obj

    def changed_peers(self) -> list[Declaration]:
        """Return the peers whose stored findings or grade changed (after :meth:`reviewed`)."""
        changed: list[Declaration] = []
        for obj in self.peers:
            findings, grade = next(self._results)
            if findings == obj.findings and grade[:2] == obj.review_grade:
                continue  # unchanged: no write (a unit's peers mostly stay as they were)
            obj.findings, obj.findings_count, obj.review_grade = findings, len(findings), grade[:2]
            changed.append(obj)
        return changed


def review_objects(objs: Sequence[Declaration], *, with_peers: bool = True) -> None:
    """Run the review and store each declaration's findings and machine grade.

    Batch rules (the same boilerplate indicator in every project of a unit, a unit's own norms)
    need the unit's other declarations of the year, so by default they are reviewed together and
    their stored findings refreshed as well.
    """
    if not objs:
        return
    if with_peers:
        objs = [*objs, *_peers_of(objs)]
    changed = _assign(objs, None)
    with transaction.atomic():
        store_review(changed)
