"""Properties of the computation over generated record sets (hypothesis)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.records.binding import Binding
from jixiao.records.calendar import WorkCalendar
from jixiao.records.engine import RecordSet
from jixiao.records.reader import ARROW_TYPES
from jixiao.records.schema import CASE_FIELDS

YEAR = 2022
CALENDAR = WorkCalendar.for_years(YEAR, YEAR)
BINDINGS = [
    Binding.from_dict(
        {
            "metric": "within",
            "period": "dispatched_at",
            "start": "dispatched_at",
            "end": "closed_at",
            "limit": 7,
            "unit": "natural_days",
        }
    ),
    Binding.from_dict(
        {
            "metric": "within",
            "period": "accepted_at",
            "start": "accepted_at",
            "end": "dispatched_at",
            "limit": 0,
            "unit": "working_days",
        }
    ),
    Binding.from_dict(
        {
            "metric": "within",
            "period": "accepted_at",
            "start": "accepted_at",
            "end": "closed_at",
            "limit": 4,
            "unit": "working_hours",
        }
    ),
    Binding.from_dict(
        {
            "metric": "within",
            "period": "due_at",
            "start": "accepted_at",
            "end": "closed_at",
            "deadline": "due_at",
        }
    ),
    Binding.from_dict(
        {"metric": "rate", "period": "dispatched_at", "numerator": [{"field": "closed_at", "op": "not_null"}]}
    ),
    Binding.from_dict(
        {
            "metric": "rate",
            "period": "closed_at",
            "numerator": [{"field": "rework_count", "op": "eq", "value": 0}],
        }
    ),
]

moments = st.datetimes(min_value=datetime(YEAR, 1, 1), max_value=datetime(YEAR, 12, 31, 23, 59))
delays = st.one_of(st.none(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)))


@st.composite
def record_sets(draw: st.DrawFn) -> pa.Table:
    n = draw(st.integers(1, 25))
    rows = []
    for i in range(n):
        accepted = draw(moments)
        to_dispatch, to_close = draw(delays), draw(delays)
        dispatched = accepted + to_dispatch if to_dispatch is not None else None
        closed = (dispatched or accepted) + to_close if to_close is not None else None
        rows.append(
            {
                "case_id": f"C{i}",
                "source": "hotline",
                "accepted_at": accepted,
                "reported_at": accepted,
                "dispatched_at": dispatched,
                "closed_at": closed,
                "due_at": accepted
                + draw(st.timedeltas(min_value=timedelta(hours=1), max_value=timedelta(days=20))),
                "rework_count": draw(st.integers(0, 2)),
                "priority": "一般",
                "needs_dispatch": True,
            }
        )
    return _table(rows)


def _table(rows: list[dict[str, object]]) -> pa.Table:
    return pa.table(
        {f.name: pa.array([r.get(f.name) for r in rows], ARROW_TYPES[f.type]) for f in CASE_FIELDS}
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record_sets())
def test_a_rate_numerator_never_exceeds_its_denominator(cases: pa.Table) -> None:
    rs = RecordSet(cases, calendar=CALENDAR)
    for b in BINDINGS:
        series = rs.series(b, YEAR)
        for m in range(1, 13):
            for first in (1, m):
                a = series.actual(m, first)
                assert a.denominator is not None and 0 <= a.numerator <= a.denominator
                assert a.value is None or 0 <= a.value <= 100
        # the cumulative denominator only grows with the cut-off: a decided record stays decided
        dens = [series.actual(m).denominator or 0 for m in range(1, 13)]
        assert dens == sorted(dens)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 11), st.integers(0, 3), st.integers(0, 3))
def test_moving_a_record_across_a_month_boundary_changes_exactly_those_periods(
    month: int, before_days: int, after_days: int
) -> None:
    # A record closed (the period field of the check-pass rate) on the last day of ``month`` is
    # moved to the first days of the next month: only the month-alone values of ``month`` and
    # ``month + 1`` change, and the cumulative values of the cut-off ``month`` alone.
    boundary = datetime(YEAR, month + 1, 1)
    others = [
        {"case_id": f"O{j}", "source": "grid", "closed_at": datetime(YEAR, 1 + j % 12, 10), "rework_count": 0}
        for j in range(24)
    ]
    moving = {"case_id": "M", "source": "grid", "rework_count": 1}
    b = BINDINGS[5]
    early = RecordSet(
        _table([*others, {**moving, "closed_at": boundary - timedelta(days=before_days, hours=1)}]),
        calendar=CALENDAR,
    ).series(b, YEAR)
    late = RecordSet(
        _table([*others, {**moving, "closed_at": boundary + timedelta(days=after_days, hours=1)}]),
        calendar=CALENDAR,
    ).series(b, YEAR)
    changed_alone = {j for j in range(1, 13) if early.counts(j, j) != late.counts(j, j)}
    changed_cumulative = {m for m in range(1, 13) if early.counts(m) != late.counts(m)}
    assert changed_alone == {month, month + 1}
    assert changed_cumulative == {month}
