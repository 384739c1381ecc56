"""Peer data for the review: what other units targeted, the unit's own last actual, shared text.

The review core reads no database and no corpus: a caller that holds the data builds a
:class:`PeerBenchmarks` (the web's services from the database, ``jixiao review --peers`` from a corpus
dataset) and passes it to :func:`jixiao.review.review`; the peer rules (:mod:`jixiao.review.rules.peers`)
read it from their :class:`~jixiao.review.registry.Context`. Without it they say nothing.

Everything is keyed the way the corpus reports are (:mod:`jixiao.corpus.report`): the indicator by
:func:`~jixiao.review.names.normalise_indicator_name` and its measure unit as written (``%``, ``个``),
the unit by its name folded (the implementing unit, else the department), so that a corpus's
figures and the database's agree. Quantiles interpolate linearly, as DuckDB's ``quantile_cont`` does.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao.domain.model import Declaration, SelfEvaluation
from jixiao.domain.targets import Target, try_parse_target
from jixiao.review.lexicon import squeeze
from jixiao.review.names import normalise_indicator_name

__all__ = [
    "MIN_SENTENCE",
    "PeerBenchmarks",
    "PeerBuilder",
    "PreviousActual",
    "TargetBenchmark",
    "goal_sentences",
    "indicator_set_key",
    "quantile",
    "unit_name",
]

# A goal sentence shorter than this is too generic to mean copying (the corpus report's default).
MIN_SENTENCE = 12

_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_NUMBERING = re.compile(r"^(?:[（(]?[0-9一二三四五六七八九十]{1,2}[)）.、．]|[①-⑳])")


def unit_name(implementing_unit: str | None, competent_department: str | None) -> str:
    """Return the unit a form belongs to, folded: the implementing unit, else the department; ``""``."""
    return squeeze(implementing_unit) or squeeze(competent_department) or ""


def goal_sentences(text: str | None, min_chars: int = MIN_SENTENCE) -> list[str]:
    """Return the sentences of a goal text, folded and unnumbered, of ``min_chars`` characters or more.

    A goal is split at 。；！？ and line breaks, as :func:`jixiao.corpus.report.boilerplate` splits it.
    """
    out: list[str] = []
    for part in _SENTENCE_END.split(text or ""):
        sentence = _NUMBERING.sub("", squeeze(part))
        if len(sentence) >= min_chars and sentence not in out:
            out.append(sentence)
    return out


def indicator_set_key(names: Iterable[str]) -> str | None:
    """Return the key of a form's indicator set: its normalised names, sorted, joined by 、.

    A set of fewer than three names is no pattern (the corpus report's rule); None then.
    """
    keys = sorted({normalise_indicator_name(n) for n in names if n and n.strip()})
    return "、".join(keys) if len(keys) >= 3 else None


def quantile(values: Sequence[Decimal], q: float) -> Decimal:
    """Return the ``q`` quantile of sorted ``values``, interpolated linearly (DuckDB's quantile_cont)."""
    pos = Decimal(str(q)) * (len(values) - 1)
    low = int(pos)
    frac = pos - low
    if low + 1 >= len(values):
        return values[-1]
    return values[low] + (values[low + 1] - values[low]) * frac


@dataclass(frozen=True, slots=True)
class TargetBenchmark:
    """The distribution of one indicator's numeric targets: projects, units and five figures."""

    name_key: str
    unit_of_measure: str
    n: int
    n_units: int
    min: Decimal
    p10: Decimal
    median: Decimal
    p90: Decimal
    max: Decimal

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape (figures as plain decimal strings)."""
        return {
            "name_key": self.name_key,
            "unit_of_measure": self.unit_of_measure,
            "n": self.n,
            "n_units": self.n_units,
            **{k: plain(getattr(self, k)) for k in ("min", "p10", "median", "p90", "max")},
        }


def plain(value: Decimal) -> str:
    """Return ``value`` without exponent or trailing zeros, at most four decimals (``92.5``)."""
    text = format(value.quantize(Decimal("0.0001")).normalize(), "f")
    return "0" if text in ("-0", "") else text


def distribution(
    name_key: str, unit_of_measure: str, points: Sequence[tuple[Decimal, str]]
) -> TargetBenchmark:
    """Return the :class:`TargetBenchmark` of ``points`` (value, unit), at least one of them."""
    values = sorted(v for v, _ in points)
    return TargetBenchmark(
        name_key,
        unit_of_measure,
        len(values),
        len({u for _, u in points}),
        values[0],
        quantile(values, 0.1),
        quantile(values, 0.5),
        quantile(values, 0.9),
        values[-1],
    )


@dataclass(frozen=True, slots=True)
class PreviousActual:
    """A unit's reported actual (实际完成值) of one indicator in one year, from its self-evaluation."""

    value: Decimal
    text: str


@dataclass(frozen=True)
class PeerBenchmarks:
    """What the peer rules compare a declaration with; build it with :class:`PeerBuilder`.

    * ``targets``: per (name key, measure unit), every project's numeric target with its unit;
    * ``actuals``: per (unit, year, name key, measure unit), the unit's reported actual;
    * ``goal_units`` / ``set_units``: per goal sentence and per indicator set, the units using it.

    ``source`` says where the data come from (数据库 / a corpus folder), for messages.
    """

    targets: Mapping[tuple[str, str], tuple[tuple[Decimal, str], ...]] = field(default_factory=dict)
    actuals: Mapping[tuple[str, int, str, str], PreviousActual] = field(default_factory=dict)
    goal_units: Mapping[str, frozenset[str]] = field(default_factory=dict)
    set_units: Mapping[str, frozenset[str]] = field(default_factory=dict)
    source: str = ""

    def __bool__(self) -> bool:
        return bool(self.targets or self.actuals or self.goal_units or self.set_units)

    def benchmark(
        self, name_key: str, unit_of_measure: str, without: str | None = None
    ) -> TargetBenchmark | None:
        """Return the distribution of the targets for ``name_key`` in ``unit_of_measure``.

        ``without`` leaves out one unit's own targets (a unit is not its own peer); None when no
        target is left.
        """
        points = self.targets.get((name_key, unit_of_measure), ())
        if without is not None:
            points = tuple(p for p in points if p[1] != without)
        return distribution(name_key, unit_of_measure, points) if points else None

    def previous_actual(
        self, unit: str, year: int | None, name_key: str, unit_of_measure: str
    ) -> PreviousActual | None:
        """Return the unit's actual of ``year − 1`` for the indicator, or None."""
        if year is None:
            return None
        return self.actuals.get((unit, year - 1, name_key, unit_of_measure))


def _numeric(target: Target) -> Decimal | None:
    return target.value if target.kind == "numeric" and target.value is not None else None


@dataclass
class PeerBuilder:
    """Collect declarations and self-evaluations (or their values) into a :class:`PeerBenchmarks`."""

    source: str = ""
    _targets: dict[tuple[str, str], list[tuple[Decimal, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    _actuals: dict[tuple[str, int, str, str], PreviousActual] = field(default_factory=dict)
    _goals: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _sets: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add_target(self, unit: str, name: str, target: Target) -> None:
        """Count one project's numeric target of indicator ``name`` (other kinds are not on a scale)."""
        value = _numeric(target)
        if value is not None and unit:
            self._targets[(normalise_indicator_name(name), target.unit or "")].append((value, unit))

    def add_actual(self, unit: str, year: int | None, name: str, target: Target, actual: str | None) -> None:
        """Keep a unit's reported actual of ``year``; the largest when one indicator is reported twice."""
        if not unit or year is None or not actual or not actual.strip():
            return
        parsed = try_parse_target(actual)
        value = _numeric(parsed)
        if value is None:
            return
        key = (unit, year, normalise_indicator_name(name), parsed.unit or target.unit or "")
        known = self._actuals.get(key)
        if known is None or value > known.value:
            self._actuals[key] = PreviousActual(value, actual.strip())

    def add_goal(self, unit: str, text: str | None) -> None:
        """Count the sentences of a goal text for ``unit``."""
        if unit:
            for sentence in goal_sentences(text):
                self._goals[sentence].add(unit)

    def add_indicator_set(self, unit: str, names: Iterable[str]) -> None:
        """Count a form's indicator set for ``unit``."""
        key = indicator_set_key(names)
        if key is not None and unit:
            self._sets[key].add(unit)

    def add_declaration(self, decl: Declaration) -> None:
        """Add a declaration: its numeric targets (one per indicator), goal sentences and indicator set."""
        unit = unit_name(decl.project.implementing_unit, decl.project.competent_department)
        seen: set[tuple[str, str]] = set()
        for ind in decl.indicators:
            key = (normalise_indicator_name(ind.name), ind.target.unit or "")
            if key not in seen:  # one project counts once per indicator
                seen.add(key)
                self.add_target(unit, ind.name, ind.target)
        self.add_goal(unit, decl.goals.overall)
        self.add_goal(unit, decl.goals.annual)
        self.add_indicator_set(unit, [i.name for i in decl.indicators])

    def add_self_evaluation(self, doc: SelfEvaluation) -> None:
        """Add a self-evaluation's reported actuals."""
        unit = unit_name(doc.project.implementing_unit, doc.project.competent_department)
        for ind in doc.indicators:
            self.add_actual(unit, doc.year, ind.name, ind.target, ind.actual)

    def build(self) -> PeerBenchmarks:
        """Return the collected data; only text shared by two units or more is kept."""
        return PeerBenchmarks(
            targets={k: tuple(v) for k, v in self._targets.items()},
            actuals=dict(self._actuals),
            goal_units={s: frozenset(u) for s, u in self._goals.items() if len(u) > 1},
            set_units={s: frozenset(u) for s, u in self._sets.items() if len(u) > 1},
            source=self.source,
        )


EMPTY = PeerBenchmarks()
