"""Peer data from the database: the review's peer rules and the 「指标对标」 page read the same figures.

:func:`peer_benchmarks` returns the :class:`~jixiao.review.peers.PeerBenchmarks` of the whole database
(every unit's declarations but drafts, every self-evaluation's actuals) that the review is given, so
that JX-A09, JX-A10 and JX-R17 apply when the database holds the data. :func:`indicator_benchmarks`
returns the distributions a filler sees beside an indicator, by year.

Whose data: the figures are aggregates over every unit of the database, never one unit's rows: a
filler sees, for an indicator, how many projects and units set a target and five figures of their
distribution, never a project, a unit or a single target tied to either; and an aggregate of fewer
than :data:`MIN_UNITS_SHOWN` units shows no figure at all (样本不足), since with one or two units the
figures would be theirs. Drafts are left out: a target nobody has submitted is not yet a target.

The figures are built in one pass over the declarations and self-evaluations and kept in this
process. Every ``JIXIAO_PEER_REFRESH_SECONDS`` (default 60; benchmarks move slowly) the first request
that reads them starts a check beside itself, in a thread: if a declaration or a self-evaluation
changed, the figures are rebuilt there, and requests read the kept ones meanwhile, so no save waits
for a pass over the database. With 0 every read checks, and rebuilds, in the request (tests).
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from threading import Lock, Thread
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Count, Max, Q

from jixiao.db.declarations.models import Declaration, Status
from jixiao.db.evaluation.models import SelfEvaluationRecord
from jixiao.domain.targets import Target, try_parse_target
from jixiao.review.names import normalise_indicator_name
from jixiao.review.peers import PeerBenchmarks, PeerBuilder, TargetBenchmark, distribution, unit_name

__all__ = [
    "MIN_UNITS_SHOWN",
    "BenchmarkRow",
    "common_indicators",
    "forget",
    "indicator_benchmarks",
    "peer_benchmarks",
    "wait_for_refresh",
]

# An aggregate over fewer units would show those units' own targets (jixiao's privacy floor).
MIN_UNITS_SHOWN = 3


@dataclass(frozen=True, slots=True)
class BenchmarkRow:
    """The figures of one indicator (name key, measure unit), overall and per year.

    ``overall`` and the years' figures are None where fewer than :data:`MIN_UNITS_SHOWN` units set
    a target (the counts are still given).
    """

    name_key: str
    unit_of_measure: str
    n: int
    n_units: int
    overall: TargetBenchmark | None
    years: list[tuple[int | None, int, int, TargetBenchmark | None]] = field(default_factory=list)
    # The spelling the units use most for the key (the page prints what users write).
    label: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape of the API."""

        def figures(b: TargetBenchmark | None) -> dict[str, str] | None:
            if b is None:
                return None
            d = b.to_dict()
            return {k: d[k] for k in ("min", "p10", "median", "p90", "max")}

        return {
            "name_key": self.name_key,
            "label": self.label or self.name_key,
            "unit_of_measure": self.unit_of_measure,
            "n_projects": self.n,
            "n_units": self.n_units,
            "enough": self.overall is not None,
            "figures": figures(self.overall),
            "years": [
                {"year": y, "n_projects": n, "n_units": u, "enough": b is not None, "figures": figures(b)}
                for y, n, u, b in self.years
            ],
        }


@dataclass
class _Built:
    peers: PeerBenchmarks
    # (name key, measure unit) → (value, unit, year) of every counted target, for the page's years.
    points: Mapping[tuple[str, str], list[tuple[Decimal, str, int | None]]]
    # name key → its most used spelling
    labels: Mapping[str, str]
    signature: tuple[Any, ...]
    at: float
    # The page's figures, made at the first page that asks for them and kept with the figures they
    # come from: the distributions of the 30 commonest indicators, made again on every request,
    # cost half a second at 100,000 declarations. The keys by how many units set them (then
    # projects, name); each key's row.
    ranked: list[tuple[str, str]] | None = None
    rows: dict[tuple[str, str], BenchmarkRow] = field(default_factory=dict)

    def row(self, key: tuple[str, str]) -> BenchmarkRow:
        """Return the benchmark row of ``key`` (a name key and measure unit these figures hold)."""
        kept = self.rows.get(key)
        if kept is None:
            kept = self.rows[key] = _row(key, self.points[key], self.labels.get(key[0], key[0]))
        return kept


_cache: dict[str, _Built] = {}
_lock = Lock()
_worker: Thread | None = None
logger = logging.getLogger(__name__)


def forget() -> None:
    """Drop the figures kept in this process (tests; after a bulk load), once a rebuild running
    beside the requests has finished."""
    wait_for_refresh()
    with _lock:
        _cache.clear()


def _signature() -> tuple[Any, ...]:
    # A status changed by a queryset update leaves ``updated`` alone: the count of drafts tells it.
    d = Declaration.objects.aggregate(
        n=Count("id"), drafts=Count("id", filter=Q(status=Status.DRAFT)), last=Max("updated")
    )
    s = SelfEvaluationRecord.objects.aggregate(n=Count("id"), last=Max("updated"))
    return (d["n"], d["drafts"], d["last"], s["n"], s["last"])


def _target(data: Any) -> Target | None:
    """The parsed target of a stored indicator (the canonical JSON keeps the parts); None if not numeric."""
    if not isinstance(data, Mapping) or data.get("kind") != "numeric":
        return None
    try:
        value = Decimal(str(data.get("value")))
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite():
        return None
    unit = data.get("unit")
    return Target(
        text=str(data.get("text") or ""),
        kind="numeric",
        op=data.get("op"),
        value=value,
        unit=unit if isinstance(unit, str) and unit else None,
    )


def _build(documents: Iterable[Mapping[str, Any]], self_evaluations: Iterable[Mapping[str, Any]]) -> _Built:
    builder = PeerBuilder(source="数据库")
    points: dict[tuple[str, str], list[tuple[Decimal, str, int | None]]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in documents:
        project = doc.get("project") or {}
        unit = unit_name(project.get("implementing_unit"), project.get("competent_department"))
        if not unit:
            continue
        year = doc.get("year") if isinstance(doc.get("year"), int) else None
        names: list[str] = []
        seen: set[tuple[str, str]] = set()
        for ind in doc.get("indicators") or ():
            name = str(ind.get("name") or "")
            names.append(name)
            target = _target(ind.get("target"))
            if target is None or target.value is None:
                continue
            key = (normalise_indicator_name(name), target.unit or "")
            if key in seen:  # one project counts once per indicator
                continue
            seen.add(key)
            spellings[key[0]][name.strip()] += 1
            builder.add_target(unit, name, target)
            points[key].append((target.value, unit, year))
        goals = doc.get("goals") or {}
        builder.add_goal(unit, goals.get("overall"))
        builder.add_goal(unit, goals.get("annual"))
        builder.add_indicator_set(unit, names)
    for doc in self_evaluations:
        project = doc.get("project") or {}
        unit = unit_name(project.get("implementing_unit"), project.get("competent_department"))
        year = doc.get("year") if isinstance(doc.get("year"), int) else None
        for ind in doc.get("indicators") or ():
            target = _target(ind.get("target")) or try_parse_target(
                str((ind.get("target") or {}).get("text") or "")
            )
            actual = ind.get("actual")
            builder.add_actual(
                unit, year, str(ind.get("name") or ""), target, actual if isinstance(actual, str) else None
            )
    labels = {key: c.most_common(1)[0][0] for key, c in spellings.items()}
    return _Built(builder.build(), points, labels, (), 0.0)


def _fresh(slot: str, known: _Built | None) -> _Built:
    """Return ``known`` if the database has not changed since it was built, else the figures built now."""
    signature = _signature()
    now = time.monotonic()
    if known is not None and known.signature == signature:
        known.at = now
        return known
    documents = Declaration.objects.exclude(status=Status.DRAFT).values_list("document", flat=True)
    evaluations = SelfEvaluationRecord.objects.values_list("document", flat=True)
    built = _build(documents.iterator(chunk_size=2000), evaluations.iterator(chunk_size=2000))
    built.signature, built.at = signature, now
    with _lock:
        _cache.clear()
        _cache[slot] = built
    return built


def _refresh_beside(slot: str, known: _Built) -> None:
    """Rebuild the figures in a thread of their own; the requests meanwhile read ``known``."""
    try:
        _fresh(slot, known)
    except Exception:  # noqa: BLE001 - the kept figures stay in use; the next period tries again
        logger.exception("the peer figures could not be rebuilt")
    finally:
        connections.close_all()  # this thread's own connections


def _built() -> _Built:
    global _worker
    refresh = float(getattr(settings, "JIXIAO_PEER_REFRESH_SECONDS", 60))
    now = time.monotonic()
    # Keyed by process: a server that forks its workers after loading data must not hand them the
    # figures of the parent's moment; and figures built from an empty database are never kept young.
    slot = f"db:{os.getpid()}"
    with _lock:
        known = _cache.get(slot)
        if known is not None and known.points:
            if now - known.at < refresh:
                return known
            if refresh > 0:
                # Due for a check: answer with the kept figures and check (and rebuild, about 0.1 ms a
                # declaration) beside the request, so that no save waits for a whole database's pass.
                if _worker is None or not _worker.is_alive():
                    known.at = now
                    _worker = Thread(target=_refresh_beside, args=(slot, known), daemon=True)
                    _worker.start()
                return known
    return _fresh(slot, known)  # no figures yet, or told to follow every change


def wait_for_refresh() -> None:
    """Wait until a rebuild running beside the requests has finished (tests, a bulk load's end)."""
    worker = _worker
    if worker is not None:
        worker.join()


def peer_benchmarks() -> PeerBenchmarks:
    """Return the peer data of the whole database for the review (see the module's note on drafts)."""
    return _built().peers


def _row(key: tuple[str, str], pts: list[tuple[Decimal, str, int | None]], label: str) -> BenchmarkRow:
    def figures(group: list[tuple[Decimal, str, int | None]]) -> TargetBenchmark | None:
        if len({u for _, u, _ in group}) < MIN_UNITS_SHOWN:
            return None
        return distribution(key[0], key[1], [(v, u) for v, u, _ in group])

    by_year: dict[int | None, list[tuple[Decimal, str, int | None]]] = defaultdict(list)
    for p in pts:
        by_year[p[2]].append(p)
    years = [
        (year, len(group), len({u for _, u, _ in group}), figures(group))
        for year, group in sorted(by_year.items(), key=lambda kv: (kv[0] is None, -(kv[0] or 0)))
    ]
    return BenchmarkRow(key[0], key[1], len(pts), len({u for _, u, _ in pts}), figures(pts), years, label)


def common_indicators(limit: int = 30) -> list[BenchmarkRow]:
    """Return the benchmarks of the indicators the most units set (then the most projects, the name)."""
    built = _built()

    def order(item: tuple[tuple[str, str], list[tuple[Decimal, str, int | None]]]) -> tuple[Any, ...]:
        (key, uom), pts = item
        return (-len({u for _, u, _ in pts}), -len(pts), key, uom)

    if built.ranked is None:
        built.ranked = [key for key, _pts in sorted(built.points.items(), key=order)]
    return [built.row(k) for k in built.ranked[:limit]]


def indicator_benchmarks(name: str, unit_of_measure: str | None = None) -> list[BenchmarkRow]:
    """Return the benchmarks of the indicator ``name`` (any spelling: it is normalised), one row per
    measure unit the database holds it in (only ``unit_of_measure`` when given), most projects first."""
    key = normalise_indicator_name(name)
    if not key:
        return []
    built = _built()
    rows = [
        built.row(k)
        for k in built.points
        if k[0] == key and (unit_of_measure is None or k[1] == unit_of_measure)
    ]
    return sorted(rows, key=lambda r: (-r.n, r.unit_of_measure))
