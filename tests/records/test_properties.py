"""Properties of the computation over generated record sets (hypothesis)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.records.binding import Binding
from jixiao.records.calendar import WorkCalendar
from jixiao.records.engine import RecordSet
from jixiao.records.reader import ARROW_TYPES
from jixiao.records.schema import CALLBACK_FIELDS, CASE_FIELDS

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


# Bindings over every kind of field and operator, to check the numpy scan against the drill-down
# (the engine's SQL): at every cut-off, the records the drill-down lists as counted and as missed
# are exactly the series' numerator and denominator minus numerator.
CHECKED = [
    *BINDINGS,
    Binding.from_dict(
        {
            "metric": "within",
            "source": "grid",
            "period": "dispatched_at",
            "where": [{"field": "priority", "op": "eq", "value": "一般"}],
            "start": "dispatched_at",
            "end": "closed_at",
            "limit": 0,
            "unit": "calendar_dates",
        }
    ),
    Binding.from_dict(
        {
            "metric": "within",
            "period": "closed_at",
            "start": "closed_at",
            "end": "first_callback_at",
            "limit": 2,
            "unit": "working_days",
        }
    ),
    Binding.from_dict(
        {
            "metric": "within",
            "period": "accepted_at",
            "start": "accepted_at",
            "end": "closed_at",
            "limit": 30,
            "unit": "hours",
        }
    ),
    Binding.from_dict(
        {
            "metric": "rate",
            "source": "hotline",
            "period": "accepted_at",
            "where": [{"field": "stage", "op": "ne", "value": "作废"}],
            "numerator": [
                {"field": "closed_at", "op": "not_null"},
                {"field": "first_reached_callback_at", "op": "not_null"},
            ],
        }
    ),
    Binding.from_dict(
        {
            "metric": "rate",
            "period": "reported_at",
            "where": [
                {"field": "stage", "op": "not_in", "value": ["缓办", "退单"]},
                {"field": "needs_dispatch", "op": "eq", "value": True},
            ],
            "numerator": [
                {"field": "channel", "op": "in", "value": ["视频", "监督员巡查"]},
                {"field": "rework_count", "op": "le", "value": 0},
            ],
        }
    ),
    Binding.from_dict(
        {
            "metric": "rate",
            "period": "reported_at",
            "where": [{"field": "due_at", "op": "lt", "value": "2022-07-01T00:00:00"}],
            "numerator": [{"field": "return_reason", "op": "is_null"}],
        }
    ),
    Binding.from_dict(
        {
            "metric": "count",
            "period": "closed_at",
            "where": [{"field": "ownerless", "op": "ne", "value": True}],
        }
    ),
    Binding.from_dict({"metric": "satisfaction", "period": "latest_callback_at"}),
    Binding.from_dict(
        {"metric": "satisfaction", "source": "hotline", "period": "latest_callback_at", "good": ["满意"]}
    ),
]
# from December of the year before to January after, so that months 1 and 13 are both reached
wide = st.datetimes(min_value=datetime(YEAR - 1, 12, 20), max_value=datetime(YEAR + 1, 1, 10, 23, 59))
maybe = st.one_of(st.none(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=12)))


@st.composite
def mixed_sets(draw: st.DrawFn) -> tuple[pa.Table, pa.Table]:
    rows, calls = [], []
    for i in range(draw(st.integers(1, 30))):
        accepted = draw(wide)
        to_dispatch, to_close, to_call = draw(maybe), draw(maybe), draw(maybe)
        dispatched = accepted + to_dispatch if to_dispatch is not None else None
        closed = (dispatched or accepted) + to_close if to_close is not None else None
        rows.append(
            {
                "case_id": f"C{i}",
                "source": draw(st.sampled_from(["grid", "hotline"])),
                "channel": draw(st.sampled_from([None, "视频", "监督员巡查", "市民来电"])),
                "stage": draw(st.sampled_from([None, "作废", "缓办", "退单"])),
                "return_reason": draw(st.sampled_from([None, "派错", "其他"])),
                "priority": draw(st.sampled_from([None, "一般", "紧急"])),
                "ownerless": draw(st.sampled_from([None, True, False])),
                "needs_dispatch": draw(st.sampled_from([None, True, False])),
                "rework_count": draw(st.sampled_from([None, 0, 1])),
                "accepted_at": accepted,
                "reported_at": accepted,
                "dispatched_at": dispatched,
                "closed_at": closed,
                "due_at": accepted
                + draw(st.timedeltas(min_value=timedelta(hours=1), max_value=timedelta(days=9))),
            }
        )
        if closed is not None and to_call is not None:
            for j in range(draw(st.integers(0, 2))):
                calls.append(
                    {
                        "callback_id": f"B{i}-{j}",
                        "case_id": f"C{i}",
                        "attempted_at": closed + to_call + timedelta(hours=j),
                        "reached": draw(st.sampled_from([None, True, False])),
                        "satisfaction": draw(st.sampled_from([None, "满意", "基本满意", "不满意", "未评价"])),
                    }
                )
    callbacks = pa.table(
        {f.name: pa.array([c.get(f.name) for c in calls], ARROW_TYPES[f.type]) for f in CALLBACK_FIELDS}
    )
    return _table(rows), callbacks


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_sets())
def test_the_series_agrees_with_the_drill_down_at_every_cutoff(sets: tuple[pa.Table, pa.Table]) -> None:
    cases, callbacks = sets
    rs = RecordSet(cases, callbacks, CALENDAR)
    for b, series in zip(CHECKED, rs.series_many(CHECKED, YEAR), strict=True):
        for m in (1, 12):  # the year's first month and year end
            for first in (1, m):
                num, den = series.counts(m, first)
                counted = rs.records(b, YEAR, m, first_month=first, which="counted", limit=0)[0]
                missed = rs.records(b, YEAR, m, first_month=first, which="misses", limit=0)[0]
                assert (counted, missed) == (num, den - num), (b.to_dict(), m, first)
    rs.close()


def _sql_cells(rs: RecordSet, b: Binding) -> dict[tuple[int, int, int], int]:
    """Return ``b``'s (k, dec, nm) cells by the straightforward computation: one SQL GROUP BY
    per binding over the engine's compiled month numbers (what the drill-down runs), 99 never."""
    c = rs._compile(b, YEAR)
    rows = rs.con.execute(
        f"SELECT {c.k}, coalesce({c.dec}, 99), CASE WHEN coalesce(({c.num}), false) THEN coalesce({c.nm}, 99) "
        f"ELSE 99 END, count(*) FROM {rs._source(b.source, c.derived)} WHERE {c.pop} GROUP BY ALL"
    ).fetchall()
    return {(int(k), int(d), int(n)): int(count) for k, d, n, count in rows}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_sets())
def test_every_cell_of_every_cutoff_is_the_sql_group_by(sets: tuple[pa.Table, pa.Table]) -> None:
    # The cells answer every cut-off month and every month alone (the trend), so equal cells mean
    # equal values at all twelve cut-offs. The records straddle the year's boundaries and the
    # calendar has the year's 调休 (working Saturdays and Sundays, weekday holidays).
    cases, callbacks = sets
    rs = RecordSet(cases, callbacks, CALENDAR)
    for b, series in zip(CHECKED, rs.series_many(CHECKED, YEAR), strict=True):
        assert series.cells == _sql_cells(rs, b), b.to_dict()
        for m in range(1, 13):
            num, den = series.counts(m)
            assert 0 <= num <= den
    rs.close()


def test_the_synthetic_district_slice_agrees_with_the_sql_group_by_for_every_seed_binding() -> None:
    # the default bindings of the seed projects over a generated slice (seasonality, 调休, delays,
    # call-backs): the numpy scan and the SQL give the same cells, binding by binding
    from records_helpers import seed_indicators

    from jixiao.records.engine import with_callbacks
    from jixiao.records.propose import propose_binding
    from jixiao.records.synthetic import generate

    data = generate(YEAR, scale=0.02, seed=5)
    bindings = [
        p.binding
        for (project, name), (_, target) in seed_indicators().items()
        if (p := propose_binding(name, target, project)).binding is not None  # type: ignore[arg-type]
    ]
    assert len(bindings) >= 15
    rs = RecordSet(with_callbacks(data.cases, data.callbacks), data.callbacks, data.calendar)
    for b, series in zip(bindings, rs.series_many(bindings, YEAR), strict=True):
        if b.metric not in ("distinct", "coverage"):  # those two keep no cells of cases
            assert series.cells == _sql_cells(rs, b), b.to_dict()
    rs.close()


# -- patrol coverage ----------------------------------------------------------------------------

COVERAGE = Binding.from_dict({"metric": "coverage"})


def _coverage_tables(days: dict[str, set[int]], cells: int) -> tuple[pa.Table, pa.Table]:
    from jixiao.records.schema import CELL_FIELDS, PATROL_FIELDS

    patrols = [
        {
            "patrol_id": f"{cell}-{d}",
            "grid_cell_id": cell,
            "started_at": datetime(YEAR, 1, 1, 9) + timedelta(days=d),
        }
        for cell, ds in days.items()
        for d in ds
    ]
    # the records run to the year's last day, so every day of the year is known
    patrols.append({"patrol_id": "end", "grid_cell_id": "outside", "started_at": datetime(YEAR, 12, 31, 23)})
    register = [{"cell_id": f"C{i}", "in_scope": True} for i in range(cells)]

    def typed(rows: list[dict[str, Any]], fields: Any) -> pa.Table:
        return pa.table(
            {f.name: pa.array([r.get(f.name) for r in rows], ARROW_TYPES[f.type]) for f in fields}
        )

    return typed(patrols, PATROL_FIELDS), typed(register, CELL_FIELDS)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=st.integers(1, 4),
    gaps=st.dictionaries(st.integers(0, 3), st.sets(st.integers(0, 364), max_size=3), max_size=4),
)
def test_a_cell_that_misses_a_day_is_uncovered_from_that_month_on(
    cells: int, gaps: dict[int, set[int]]
) -> None:
    # every cell patrolled every day of the year, less the days of ``gaps``: the value for months
    # 1–m counts exactly the cells with no gap up to the end of month m, and never rises with m
    days = {f"C{i}": set(range(365)) - gaps.get(i, set()) for i in range(cells)}
    patrols, register = _coverage_tables(days, cells)
    series = RecordSet(_table([]), patrols=patrols, cells=register).series(COVERAGE, YEAR)
    before = cells
    for m in range(1, 13):
        end = (date(YEAR, m, 1) + timedelta(days=32)).replace(day=1) - date(YEAR, 1, 1)  # days to month end
        expected = sum(1 for i in range(cells) if not {d for d in gaps.get(i, set()) if d < end.days})
        num, den = series.counts(m)
        assert (num, den) == (expected, cells), m
        assert num <= before
        before = num
        month_alone = series.counts(m, m)[0]
        first_day = (date(YEAR, m, 1) - date(YEAR, 1, 1)).days
        assert month_alone == sum(
            1 for i in range(cells) if not {d for d in gaps.get(i, set()) if first_day <= d < end.days}
        )
