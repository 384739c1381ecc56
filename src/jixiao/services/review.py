"""Run the review engine (``jixiao.review``) over declarations and keep its findings.

Findings are stored on the declaration (``findings`` JSON, ``findings_count``, ``review_grade``) so
that the declaration page can show them beside the fields they concern and the dashboard can count
them without re-running the rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction

from jixiao.db.declarations.models import Declaration
from jixiao.services.declarations import domain_of

__all__ = ["MAX_PEERS", "REVIEW_BATCH", "engine_available", "profile_for", "review_objects", "run_review"]

# A save reviews the declaration with at most this many of its unit's declarations of the year
# (the most recently changed), so that one save stays fast however large the unit is.
MAX_PEERS = 300

# Declarations per UPDATE when storing review results (their findings are JSON of a few KB each).
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


def run_review(objs: Sequence[Declaration]) -> list[tuple[list[dict[str, Any]], str]]:
    """Return (findings as dicts, grade) per declaration, reviewed together as one batch per year."""
    if not objs or not engine_available():
        return [([], "") for _ in objs]
    from jixiao.review import review

    out: list[tuple[list[dict[str, Any]], str]] = [([], "") for _ in objs]
    by_year: dict[int | None, list[int]] = {}
    for n, obj in enumerate(objs):
        by_year.setdefault(obj.year, []).append(n)
    for year, indexes in by_year.items():
        docs = [domain_of(objs[n]) for n in indexes]
        report = review(docs, profile=profile_for(year))
        results = list(getattr(report, "results", None) or getattr(report, "declarations", None) or [])
        for n, result in zip(indexes, results, strict=False):
            findings = [
                f.to_dict("zh") | {"title_zh": getattr(f, "title_zh", "")} for f in _findings_of(result)
            ]
            out[n] = (findings, str(getattr(result, "grade", "") or ""))
    return out


def review_objects(objs: Sequence[Declaration], *, with_peers: bool = True) -> None:
    """Run the review and store each declaration's findings and machine grade.

    Batch rules (the same boilerplate indicator in every project of a unit, a unit's own norms)
    need the unit's other declarations of the year, so by default they are reviewed together and
    their stored findings refreshed as well.
    """
    if not objs:
        return
    if with_peers:
        wanted = {obj.pk for obj in objs}
        peers = list(
            Declaration.objects.filter(
                organisation_id__in={o.organisation_id for o in objs},
                year__in={o.year for o in objs if o.year},
            )
            .exclude(pk__in=wanted)
            .only("id", "year", "document", "organisation_id", "findings", "review_grade")
            .order_by("-updated")[:MAX_PEERS]
        )
        objs = [*objs, *peers]
    changed: list[Declaration] = []
    for obj, (findings, grade) in zip(objs, run_review(objs), strict=True):
        if findings == obj.findings and grade[:2] == obj.review_grade:
            continue  # unchanged: no write (a unit's peers mostly stay as they were)
        obj.findings, obj.findings_count, obj.review_grade = findings, len(findings), grade[:2]
        changed.append(obj)
    # One UPDATE per batch, not per declaration; the review's columns only, so nothing else a
    # concurrent save wrote is overwritten (and the history, which excludes findings, is untouched).
    with transaction.atomic():
        Declaration.objects.bulk_update(
            changed, ["findings", "findings_count", "review_grade"], batch_size=REVIEW_BATCH
        )
