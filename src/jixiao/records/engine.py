"""Computing bound indicators over records, in DuckDB, for every cut-off month in one pass.

A binding compiles to SQL that gives each record of the population three month numbers within
the year: ``k``, the month its ``period`` field falls in; ``dec``, the month by whose end its
outcome is known (a case still open whose time limit has not run out at the cut-off is *pending*
and left out, not counted as late); ``nm``, the month by which it counts in the numerator (99:
never). One ``GROUP BY k, dec, nm`` scan then answers every cut-off month ``m``:

* denominator(1–m) = records with ``k ≤ m`` and ``dec ≤ m``;
* numerator(1–m) = those with also ``nm ≤ m``;
* the month ``j`` alone, as known at ``m``: ``k = j`` instead of ``k ≤ m``.

Records enter as Arrow tables (zero-copy into DuckDB) or Parquet snapshots; see the README for
why the web application writes Parquet snapshots rather than querying its database directly.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from jixiao.domain.i18n import month_span
from jixiao.records.binding import Binding, Condition, case_fields
from jixiao.records.calendar import WorkCalendar
from jixiao.records.columns import (
    DAY_PREFIX,
    MONTH_PREFIX,
    Columns,
    day_numbers,
    grouped_cells,
    grouped_distinct,
    month_numbers,
)
from jixiao.records.errors import RecordFileError
from jixiao.records.reader import empty_table

__all__ = ["Actual", "RecordSet", "Series", "with_callbacks"]

NEVER = 99
_DERIVED = {
    "first_callback_at",
    "first_reached_callback_at",
    "latest_callback_at",
    "satisfaction",
    "resolved",
}


@dataclass(frozen=True, slots=True)
class Actual:
    """An indicator's computed value for months ``first_month``–``last_month`` of ``year``.

    ``value`` is a percentage with two places for shares (rate, within, satisfaction), else a
    count; ``numerator`` / ``denominator`` are the counts behind it (``denominator`` is None for
    counts). ``value`` is None when the denominator is zero (nothing to measure yet).
    """

    value: Decimal | None
    numerator: int
    denominator: int | None
    percent: bool
    year: int
    first_month: int
    last_month: int

    @property
    def as_of(self) -> date:
        """Return the last day of the period (the cut-off)."""
        return date(self.year, self.last_month, _calendar.monthrange(self.year, self.last_month)[1])

    def text(self) -> str:
        """Return the value as an actual is typed on a form (``96.5%``, ``42``), or ``—``."""
        if self.value is None:
            return "—"
        return f"{self.value}%" if self.percent else f"{self.value}"

    def period_text(self, lang: str = "zh") -> str:
        """Return ``2022年1–7月`` / ``January–July 2022``."""
        return month_span(self.first_month, self.last_month, lang, self.year)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "value": None if self.value is None else str(self.value),
            "text": self.text(),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "percent": self.percent,
            "period": {"year": self.year, "first_month": self.first_month, "last_month": self.last_month},
            "as_of": self.as_of.isoformat(),
        }


def _share(num: int, den: int) -> Decimal | None:
    if den == 0:
        return None
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(slots=True)
class Series:
    """The grouped counts of one binding over one year; answers any cut-off month.

    ``cells`` maps (k, dec, nm) to a count; for ``distinct`` it is empty and ``first_seen`` (month
    → values first seen then) and ``per_month`` (month → distinct values in that month) hold the
    answer instead.
    """

    binding: Binding
    year: int
    cells: dict[tuple[int, int, int], int] = field(default_factory=dict)
    first_seen: dict[int, int] = field(default_factory=dict)
    per_month: dict[int, int] = field(default_factory=dict)
    first_values: dict[str, int] = field(default_factory=dict)
    # coverage: the in-scope cells, those patrolled every known day of each month, and how many
    # first missed a day in each month (a cell that missed a day is not covered from then on)
    cover_total: int = 0
    cover_month: dict[int, int] = field(default_factory=dict)
    cover_first_miss: dict[int, int] = field(default_factory=dict)
    cover_through: date | None = None  # the last day a patrol was logged

    def counts(self, last: int, first: int = 1, known_at: int | None = None) -> tuple[int, int]:
        """Return (numerator, denominator) for months ``first``–``last`` as known at ``known_at``."""
        at = last if known_at is None else known_at
        if self.binding.metric == "coverage":
            # months 1–m: the cells not yet missed by the end of m; one month: those covered in it
            if first == 1:
                missed = sum(v for month, v in self.cover_first_miss.items() if month <= last)
                return self.cover_total - missed, self.cover_total
            if first == last:
                return (self.cover_month[last], self.cover_total) if last in self.cover_month else (0, 0)
            raise ValueError("coverage is answered for months 1–m or for one month")
        if self.binding.metric == "distinct":
            # Distinct values do not add up over months: 1–m counts each value once, by the month
            # it was first seen; a single month counts its own values.
            if first == 1:
                n = sum(v for month, v in self.first_seen.items() if month <= last)
            else:
                n = sum(self.per_month.get(j, 0) for j in range(first, last + 1)) if first == last else -1
                if n < 0:
                    raise ValueError("a distinct count is answered for months 1–m or for one month")
            return n, n
        num = den = 0
        for (k, dec, nm), n in self.cells.items():
            if first <= k <= last and dec <= at:
                if self.binding.metric == "count":
                    if nm <= at:
                        num += n
                        den += n
                    continue
                den += n
                if nm <= at:
                    num += n
        return num, den

    def actual(self, last: int, first: int = 1) -> Actual:
        """Return the value for months ``first``–``last`` (1–7 for a July cut-off)."""
        num, den = self.counts(last, first)
        if self.binding.is_share:
            return Actual(_share(num, den), num, den, True, self.year, first, last)
        return Actual(Decimal(num), num, None, False, self.year, first, last)

    def monthly(self, cutoff: int) -> list[Actual]:
        """Return each month 1..``cutoff`` alone, as known at the cut-off (the trend's points)."""
        out = []
        for j in range(1, cutoff + 1):
            num, den = self.counts(j, j, known_at=cutoff)
            if self.binding.is_share:
                out.append(Actual(_share(num, den), num, den, True, self.year, j, j))
            else:
                out.append(Actual(Decimal(num), num, None, False, self.year, j, j))
        return out


def _months_of_days(year: int, days: int) -> np.ndarray:
    """Return the month (1–12) of each of the first ``days`` days of ``year``."""
    first = date(year, 1, 1)
    return np.array([(first + timedelta(days=d)).month for d in range(days)], dtype=np.int64)


def _literal(value: Any, type_: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if type_ == "datetime":
        return f"TIMESTAMP '{datetime.fromisoformat(str(value)).isoformat(sep=' ')}'"
    return "'" + str(value).replace("'", "''") + "'"


def _condition_sql(c: Condition) -> str:
    f = case_fields()[c.field]
    col = f'"{c.field}"'
    if c.op == "is_null":
        return f"{col} IS NULL"
    if c.op == "not_null":
        return f"{col} IS NOT NULL"
    if c.op in ("in", "not_in"):
        values = ", ".join(_literal(v, f.type) for v in c.value)
        return f"{col} IN ({values})" if c.op == "in" else f"({col} IS NULL OR {col} NOT IN ({values}))"
    sym = {"eq": "=", "ne": "<>", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}[c.op]
    lit = _literal(c.value, f.type)
    return f"({col} IS NULL OR {col} <> {lit})" if c.op == "ne" else f"{col} {sym} {lit}"


def _and(parts: Sequence[str]) -> str:
    return " AND ".join(f"({p})" for p in parts) if parts else "true"


def with_callbacks(
    cases: pa.Table, callbacks: pa.Table, con: duckdb.DuckDBPyConnection | None = None
) -> pa.Table:
    """Return ``cases`` with each case's call-back summary appended as columns, row for row.

    first_callback_at, first_reached_callback_at, latest_callback_at, and the satisfaction and
    resolved answer of the latest reached call-back (reference formula 5: the latest call-back
    per case decides). One join on the case id, then a sort and a scatter in numpy; snapshots
    store the result so that computing an indicator is a plain scan.
    """
    own = con is None
    con = con or duckdb.connect()
    n = cases.num_rows
    con.register("__ids", pa.table({"i": np.arange(n, dtype=np.int64), "case_id": cases.column("case_id")}))
    con.register("__callbacks", callbacks)
    m = con.sql(
        "SELECT c.i, epoch_us(b.attempted_at) AS at, coalesce(b.reached, true) AS reached, b.satisfaction, "
        "b.resolved FROM __callbacks b JOIN __ids c USING (case_id) WHERE b.attempted_at IS NOT NULL"
    ).to_arrow_table()
    con.unregister("__ids")
    con.unregister("__callbacks")
    if own:
        con.close()
    ci = m.column("i").to_numpy()
    at = m.column("at").to_numpy()
    reached = m.column("reached").to_numpy(zero_copy_only=False).astype(bool)
    order = np.lexsort((at, ci))
    ci, at, reached = ci[order], at[order], reached[order]

    def stamps(values: dict[int, int] | None, rows: np.ndarray, times: np.ndarray) -> pa.Array:
        out = np.zeros(n, dtype="datetime64[us]")
        mask = np.ones(n, dtype=bool)
        out[rows] = times.astype("datetime64[us]")
        mask[rows] = False
        return pa.array(out, pa.timestamp("us"), mask=mask)

    def firsts(keys: np.ndarray) -> np.ndarray:
        return (
            np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.array([], dtype=np.int64)
        )

    def lasts(keys: np.ndarray) -> np.ndarray:
        return (
            np.flatnonzero(np.r_[keys[1:] != keys[:-1], True]) if len(keys) else np.array([], dtype=np.int64)
        )

    f = firsts(ci)
    cols: dict[str, pa.Array] = {"first_callback_at": stamps(None, ci[f], at[f])}
    r = np.flatnonzero(reached)
    fr, lr = firsts(ci[r]), lasts(ci[r])
    cols["first_reached_callback_at"] = stamps(None, ci[r][fr], at[r][fr])
    cols["latest_callback_at"] = stamps(None, ci[r][lr], at[r][lr])
    for name in ("satisfaction", "resolved"):
        # dictionary-encoded (four and two values): a condition on them is then a look-up per code
        answer = pc.dictionary_encode(m.column(name).combine_chunks()).take(pa.array(order))
        valid = reached & ~np.asarray(answer.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        v = np.flatnonzero(valid)
        last = lasts(ci[v])
        pos = np.full(n, -1, dtype=np.int64)
        pos[ci[v][last]] = v[last]
        cols[name] = answer.take(pa.array(pos, mask=pos < 0))
    for name in cases.column_names:
        if name in _DERIVED or name.startswith((DAY_PREFIX, MONTH_PREFIX)):
            cases = cases.drop_columns([name])
    for name in (
        "first_callback_at",
        "first_reached_callback_at",
        "latest_callback_at",
        "satisfaction",
        "resolved",
    ):
        cases = cases.append_column(name, cols[name])
    # The day number of every timestamp, once per import: a compute then compares small integers
    # instead of dividing microseconds for each indicator.
    for name in cases.column_names:
        if pa.types.is_timestamp(cases.schema.field(name).type):
            days = day_numbers(cases.column(name))
            cases = cases.append_column(DAY_PREFIX + name, days)
            cases = cases.append_column(MONTH_PREFIX + name, month_numbers(days.to_numpy()))
    return cases


@dataclass(frozen=True, slots=True)
class _Compiled:
    derived: bool  # needs the call-back columns (a join)
    pop: str
    k: str
    dec: str
    num: str
    nm: str
    deadline: str


class RecordSet:
    """A unit's records opened in DuckDB: cases, their call-backs and the work calendar.

    ``cases`` and ``callbacks`` are Arrow tables (schema of :mod:`jixiao.records.schema`) or paths
    of Parquet files holding them. Cases are split by source once (a grid binding then scans only
    grid cases), and the calendar is held as DuckDB list variables, so that working-day limits
    are list look-ups in the scan rather than joins.
    """

    def __init__(
        self,
        cases: pa.Table | Path | str,
        callbacks: pa.Table | Path | str | None = None,
        calendar: WorkCalendar | None = None,
        *,
        years: tuple[int, int] | None = None,
        patrols: pa.Table | Path | str | None = None,
        cells: pa.Table | Path | str | None = None,
    ) -> None:
        self.con = duckdb.connect()
        self.con.execute("SET threads TO 2")
        self._paths: dict[str, Path] = {}
        self._read: pa.Table | None = None
        self._cols: dict[str | None, tuple[Columns, int]] = {}
        self._runs: dict[str, slice | np.ndarray] | None = None
        self._tables: dict[tuple[str | None, bool], pa.Table] = {}
        self._attach("cases", cases)
        self._attach("callbacks", callbacks if callbacks is not None else empty_table("callback"))
        self._attach("patrols", patrols if patrols is not None else empty_table("patrol"))
        self._attach("cells", cells if cells is not None else empty_table("cell"))
        if calendar is None:
            lo, hi = years or self._years()
            calendar = WorkCalendar.for_years(lo, hi)
        self.calendar = calendar
        self.con.register("cal", calendar.table())
        self.con.execute("SET VARIABLE jx_widx = (SELECT list(widx ORDER BY d) FROM cal)")
        self.con.execute("SET VARIABLE jx_work = (SELECT list(work ORDER BY d) FROM cal)")
        self.con.execute(
            "SET VARIABLE jx_wday = (SELECT list(CAST(d AS TIMESTAMP) ORDER BY d) FROM cal WHERE work)"
        )
        self._origin = calendar.first.isoformat()
        self._callbacks_ready = False
        self._parts: set[str] = set()
        self._joined: pa.Table | None = None
        self._through: tuple[datetime | None] | None = None  # last_record_at(), once asked

    def _attach(self, name: str, data: pa.Table | Path | str) -> None:
        if isinstance(data, pa.Table):
            self.con.register(f"{name}_arrow", data)
            self.con.execute(f"CREATE TEMP VIEW {name} AS SELECT * FROM {name}_arrow")
            self._arrow = getattr(self, "_arrow", {})
            self._arrow[name] = data
        else:
            path = Path(data)
            if not path.is_file():
                raise RecordFileError("记录快照不存在", "the record snapshot does not exist").located(
                    file=str(path)
                )
            self._paths[name] = path
            quoted = str(path).replace("'", "''")
            self.con.execute(f"CREATE TEMP VIEW {name} AS SELECT * FROM read_parquet('{quoted}')")

    def _years(self) -> tuple[int, int]:
        stamps = "reported_at, accepted_at, dispatched_at, due_at, closed_at"
        row = self.con.execute(
            f"SELECT min(year(least({stamps}))), max(year(greatest({stamps}))) FROM cases"
        ).fetchall()[0]
        today = date.today().year
        lo = row[0] if row and row[0] else today
        hi = row[1] if row and row[1] else lo
        return min(lo, hi), max(lo, hi)

    def _ensure_callbacks(self) -> None:
        if self._callbacks_ready or getattr(self, "_arrow", {}).get("cases") is not None:
            return  # over Arrow input the columns are appended by :func:`with_callbacks` instead
        # The latest reached call-back decides 满意度 and 解决情况 (reference formula 5).
        self.con.execute(
            """CREATE TEMP TABLE cb AS SELECT case_id,
                 min(attempted_at) AS first_callback_at,
                 min(attempted_at) FILTER (WHERE reached) AS first_reached_callback_at,
                 max(attempted_at) FILTER (WHERE reached) AS latest_callback_at,
                 arg_max(satisfaction, attempted_at) FILTER (WHERE reached AND satisfaction IS NOT NULL)
                   AS satisfaction,
                 arg_max(resolved, attempted_at) FILTER (WHERE reached AND resolved IS NOT NULL) AS resolved
               FROM callbacks GROUP BY case_id"""
        )
        self._callbacks_ready = True

    def _source(self, source: str | None, derived: bool) -> str:
        """Return the relation to scan: the cases of one source, with the call-back columns.

        Over Arrow input the split by source is done once, and the call-back columns are joined
        once and appended to the cases (zero-copy), so each binding's scan is a plain filtered
        scan with no join; over Parquet (the web application's snapshots) these are views.
        """
        key = f"rel_{source or 'all'}{'_cb' if derived else ''}"
        if key in self._parts:
            return key
        arrow = getattr(self, "_arrow", {}).get("cases")
        if derived:
            self._ensure_callbacks()
        if arrow is None:
            where = f"WHERE source = '{source}'" if source else ""
            if derived:
                self.con.execute(
                    f"CREATE TEMP VIEW {key} AS SELECT c.*, cb.first_callback_at, cb.first_reached_callback_at, "
                    f"cb.latest_callback_at, cb.satisfaction, cb.resolved FROM cases c LEFT JOIN cb USING (case_id) {where}"
                )
            else:
                self.con.execute(f"CREATE TEMP VIEW {key} AS SELECT * FROM cases {where}")
        else:
            table = arrow
            if derived:
                if self._joined is None:
                    self._joined = self._with_callbacks(arrow, key)
                table = self._joined
            table = self._split(table, source)
            self.con.register(key, table)
        self._parts.add(key)
        return key

    def _split(self, arrow: pa.Table, source: str | None) -> pa.Table:
        """Return the cases of ``source`` (all when None): a zero-copy slice when the table is
        ordered by source (as snapshots and the generator write it), else a filtered copy."""
        if source is None:
            return arrow
        if self._runs is None:
            # one pass over the source codes finds where each source's run of rows starts
            col = arrow.column("source")
            col = col if pa.types.is_dictionary(col.type) else pc.dictionary_encode(col)
            col = pa.table({"s": col}).unify_dictionaries().column("s")
            chunks = [ch for ch in col.chunks if len(ch)]
            names = chunks[0].dictionary.to_pylist() if chunks else []
            codes = (
                np.concatenate([pc.fill_null(ch.indices, -1).to_numpy().astype(np.int32) for ch in chunks])
                if chunks
                else np.zeros(0, dtype=np.int32)
            )
            starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else np.zeros(0, int)
            self._runs = {}
            for name_, code in zip(names, range(len(names)), strict=True):
                at = starts[codes[starts] == code] if len(starts) else starts
                if len(at) == 1:
                    i = int(at[0])
                    nxt = starts[starts > i]
                    self._runs[name_] = slice(i, int(nxt[0]) if len(nxt) else len(codes))
                elif len(at) > 1:
                    self._runs[name_] = np.flatnonzero(codes == code)
        where = self._runs.get(source)
        if where is None:
            return arrow.slice(0, 0)
        if isinstance(where, slice):
            return arrow.slice(where.start, where.stop - where.start)
        return arrow.take(pa.array(where))

    def _with_callbacks(self, table: pa.Table, key: str) -> pa.Table:
        """Return ``table`` with the call-back columns appended, row for row."""
        if all(name in table.column_names for name in _DERIVED):
            return table  # a snapshot that carries them already (see :func:`with_callbacks`)
        return with_callbacks(table, self._arrow.get("callbacks", empty_table("callback")), self.con)

    # -- compiling -------------------------------------------------------------------------

    def _day(self, expr: str) -> str:
        """Return the 1-based index of ``expr``'s date in the calendar lists."""
        return f"(date_diff('day', DATE '{self._origin}', CAST({expr} AS DATE)) + 1)"

    def _compile(self, b: Binding, year: int, *, split: bool = True) -> _Compiled:
        if b.metric == "coverage":
            raise ValueError("a coverage binding reads the patrol logs (_coverage), not the cases")
        used = {b.period, b.start, b.end, b.deadline, b.field, *(c.field for c in (*b.where, *b.numerator))}
        if b.metric == "satisfaction":
            used.add("satisfaction")
        derived = bool(used & _DERIVED)

        def mi(expr: str) -> str:
            # the month within ``year``; 13 = after the year (never counted at a cut-off), and a
            # time before the year counts from January. Comparisons are cheaper than year().
            return (
                f"(CASE WHEN {expr} >= TIMESTAMP '{year + 1}-01-01' THEN 13 "
                f"WHEN {expr} < TIMESTAMP '{year}-01-01' THEN 1 ELSE month({expr}) END)"
            )

        pop = [
            f"\"{b.period}\" >= TIMESTAMP '{year}-01-01'",
            f"\"{b.period}\" < TIMESTAMP '{year + 1}-01-01'",
        ]
        if b.source and not split:
            pop.append(f"source = '{b.source}'")
        pop += [_condition_sql(c) for c in b.where]
        k = f'month("{b.period}")'
        deadline = "NULL"
        if b.metric == "within":
            start, end = f'"{b.start}"', f'"{b.end}"'
            pop.append(f"{start} IS NOT NULL")
            inclusive = True
            if b.deadline:
                deadline = f'"{b.deadline}"'
                pop.append(f"{deadline} IS NOT NULL")
            else:
                assert b.limit is not None
                if b.unit in ("natural_days", "hours"):
                    seconds = int(b.limit * (86400 if b.unit == "natural_days" else 3600))
                    deadline = f"({start} + to_seconds({seconds}))"
                elif b.unit == "calendar_dates":
                    deadline = f"CAST(CAST({start} AS DATE) + {int(b.limit) + 1} AS TIMESTAMP)"
                    inclusive = False
                else:
                    cal = self.calendar
                    w = cal.minutes_per_day
                    # a start outside the calendar has no deadline (list index 0 and negative
                    # indices would wrap to the end of the list)
                    di = f"(CASE WHEN {self._day(start)} >= 1 THEN {self._day(start)} END)"
                    widx, work = f"getvariable('jx_widx')[{di}]", f"getvariable('jx_work')[{di}]"
                    if b.unit == "working_days":
                        # the start of the working day after the N-th one counted from the start
                        # (a day off counts from the next working day): 当天 = before the next one
                        deadline = f"getvariable('jx_wday')[{widx} + CASE WHEN {work} THEN 0 ELSE 1 END + {int(b.limit) + 1}]"
                        inclusive = False
                    else:
                        minute = f"(hour({start}) * 60 + minute({start}))"
                        wm = (
                            f"(({widx} - CAST({work} AS INTEGER)) * {w} + CASE WHEN {work} THEN "
                            f"least(greatest({minute} - {cal.day_start_minute}, 0), {w}) ELSE 0 END "
                            f"+ {int(b.limit * 60)})"
                        )
                        deadline = f"(getvariable('jx_wday')[{wm} // {w} + 1] + to_minutes({cal.day_start_minute} + {wm} % {w}))"
            ontime = f"({end} IS NOT NULL AND {end} {'<=' if inclusive else '<'} {deadline})"
            dec = f"{mi(f'CASE WHEN {ontime} THEN {end} ELSE {deadline} END')}"
            return _Compiled(derived, _and(pop), k, dec, ontime, dec, deadline)
        if b.metric == "satisfaction":
            pop.append("satisfaction IN ('满意', '基本满意', '不满意')")
            good = ", ".join(f"'{g}'" for g in b.good)
            return _Compiled(derived, _and(pop), k, k, f"satisfaction IN ({good})", k, deadline)
        if b.metric == "rate":
            times = [
                mi(f'"{c.field}"')
                for c in b.numerator
                if c.op == "not_null" and case_fields()[c.field].type == "datetime"
            ]
            nm = f"greatest({k}, {', '.join(times)})" if times else k
            return _Compiled(
                derived, _and(pop), k, k, _and([_condition_sql(c) for c in b.numerator]), nm, deadline
            )
        return _Compiled(derived, _and(pop), k, k, "true", k, deadline)

    # -- answering -------------------------------------------------------------------------

    def series(self, b: Binding, year: int) -> Series:
        """Return the grouped counts of ``b`` over ``year`` (one scan of the records)."""
        return self.series_many([b], year)[0]

    def series_many(self, bindings: Sequence[Binding], year: int) -> list[Series]:
        """Return the series of every binding, in order; identical bindings are computed once.

        The bindings of one source share its converted columns; the sources are computed on two
        threads (numpy releases the interpreter lock in its array loops).
        """
        from concurrent.futures import ThreadPoolExecutor

        unique: dict[str, Binding] = {}
        for b in bindings:
            unique.setdefault(repr(b.to_dict()), b)
        groups: dict[str | None, list[str]] = {}
        done: dict[str, Series] = {}
        covers = [key for key, b in unique.items() if b.metric == "coverage"]
        for key, b in unique.items():
            if b.metric == "coverage":
                continue  # the patrol logs and the cell register, not the cases' columns
            groups.setdefault(b.source, []).append(key)
            # made here, before the threads: the call-back join and the split by source
            self._columns(b.source, self._compile(b, year).derived)

        def run(keys: list[str]) -> None:
            for key in keys:
                done[key] = self._coverage(year) if key in covers else self._scan(unique[key], year)

        # the largest group first, so that the two threads finish at about the same time; the
        # coverage (one grouping of the patrol logs, whatever its bindings) first of all
        order = sorted(groups.values(), key=lambda keys: -len(keys) * self._columns_rows(unique[keys[0]]))
        if covers:
            order.insert(0, covers)
        if len(order) > 1:
            with ThreadPoolExecutor(max_workers=2) as pool:
                for future in [pool.submit(run, keys) for keys in order]:
                    future.result()
        elif order:
            run(order[0])
        return [done[repr(b.to_dict())] for b in bindings]

    def _cover_grid(self, year: int) -> tuple[pa.Array, np.ndarray, date] | None:
        """Return (the register's in-scope cells, a cells × days grid of the days of ``year`` each
        was patrolled up to the last patrol logged, that last patrol's day), or None when nothing
        can be told: no patrol
        logs, no in-scope cell, or logs that stop before the year (a day after the last patrol is
        not known to be missed)."""
        first, last = date(year, 1, 1), date(year, 12, 31)
        register = self._plain("cells", ["cell_id", "in_scope"])
        inside = pc.unique(
            register.filter(pc.fill_null(register.column("in_scope"), True))
            .column("cell_id")
            .combine_chunks()
        ).drop_null()
        patrols = self._plain("patrols", ["grid_cell_id", "started_at"])
        through = pc.max(patrols.column("started_at")).as_py() if patrols.num_rows else None
        if through is None or not len(inside) or through.date() < first:
            return None
        days = (min(last, through.date()) - first).days + 1
        # numpy: a grouping of millions of patrol logs by cell and day costs seconds in SQL
        cell = np.asarray(pc.fill_null(pc.index_in(patrols.column("grid_cell_id"), value_set=inside), -1))
        stamps = patrols.column("started_at").cast(pa.timestamp("us")).cast(pa.int64())
        origin = (datetime(year, 1, 1) - datetime(1970, 1, 1)) // timedelta(microseconds=1)
        day = (np.asarray(pc.fill_null(stamps, origin - 1)) - origin) // 86_400_000_000
        seen = (cell >= 0) & (day >= 0) & (day < days)
        grid = np.zeros((len(inside), days), dtype=bool)
        grid[cell[seen], day[seen]] = True
        return inside, grid, through.date()

    def _coverage(self, year: int) -> Series:
        """Return the coverage series of ``year``: the register's in-scope cells against the days
        each was patrolled (reference §4.8, the cycle a day); no value (a zero denominator) when
        :meth:`_cover_grid` can tell nothing."""
        out = Series(Binding.from_dict({"metric": "coverage"}), year)
        made = self._cover_grid(year)
        if made is None:
            return out
        inside, grid, out.cover_through = made
        out.cover_total = len(inside)
        month_of = _months_of_days(year, grid.shape[1])
        for month in range(1, int(month_of[-1]) + 1):
            out.cover_month[month] = int(grid[:, month_of == month].all(axis=1).sum())
        missed = ~grid.all(axis=1)
        first_miss = month_of[np.argmin(grid[missed], axis=1)]  # the first False of each row
        for month, cells in zip(*np.unique(first_miss, return_counts=True), strict=True):
            out.cover_first_miss[int(month)] = int(cells)
        return out

    def missed_cells(self, year: int, month: int, limit: int = 200) -> tuple[int, list[dict[str, Any]]]:
        """Return (how many, the first ``limit``) in-scope cells not patrolled on some day of
        months 1–``month``: each with its street, the first day missed and the days missed."""
        made = self._cover_grid(year)
        if made is None:
            return 0, []
        inside, grid, _ = made
        span = grid[:, _months_of_days(year, grid.shape[1]) <= month]
        missed = np.flatnonzero(~span.all(axis=1))
        register = self._plain("cells", ["cell_id", "street"])
        streets = dict(
            zip(register.column("cell_id").to_pylist(), register.column("street").to_pylist(), strict=True)
        )
        ids = inside.to_pylist()
        rows = sorted(
            (
                {
                    "cell_id": ids[i],
                    "street": streets.get(ids[i]),
                    "first_missed": date(year, 1, 1) + timedelta(days=int(np.argmin(span[i]))),
                    "days_missed": int((~span[i]).sum()),
                    "days": int(span.shape[1]),
                }
                for i in missed
            ),
            key=lambda r: str(r["cell_id"]),
        )
        return len(rows), rows[:limit]

    def _plain(self, name: str, columns: list[str]) -> pa.Table:
        """Return ``columns`` of the attached table ``name`` (Arrow input, or read from its Parquet)."""
        arrow = getattr(self, "_arrow", {}).get(name)
        if arrow is not None:
            return arrow.select(columns)
        return pq.read_table(self._paths[name], columns=columns, memory_map=True)

    def _columns_rows(self, b: Binding) -> int:
        return self._cols[b.source][1]

    def _scan(self, b: Binding, year: int) -> Series:
        c = self._compile(b, year)
        cols, n = self._columns(b.source, c.derived)
        out = Series(b, year)
        if b.metric == "distinct":
            out.per_month, out.first_values = grouped_distinct(b, year, cols, n)
            for month in out.first_values.values():
                out.first_seen[month] = out.first_seen.get(month, 0) + 1
            return out
        out.cells = grouped_cells(b, year, cols, n)
        return out

    def _columns(self, source: str | None, derived: bool) -> tuple[Columns, int]:
        """Return the numpy columns of ``source``'s cases (one set for all the bindings of it),
        views of one set of the whole table's so that each column is converted once."""
        if derived:
            self._source_table(None, True)
        if None not in self._cols:

            def column(name: str) -> pa.ChunkedArray:
                own = name.removeprefix(DAY_PREFIX).removeprefix(MONTH_PREFIX)
                return self._source_table(None, own in _DERIVED).column(name)

            self._cols[None] = (Columns(column, self.calendar), self._source_table(None, False).num_rows)
        if source not in self._cols:
            self._source_table(source, False)  # finds the source's rows
            assert self._runs is not None
            rows = self._runs.get(str(source), slice(0, 0))

            def part(name: str) -> pa.ChunkedArray:
                own = name.removeprefix(DAY_PREFIX).removeprefix(MONTH_PREFIX)
                return self._source_table(source, own in _DERIVED).column(name)

            n = rows.stop - rows.start if isinstance(rows, slice) else len(rows)
            self._cols[source] = (Columns(part, self.calendar, base=self._cols[None][0], rows=rows), n)
        return self._cols[source]

    def _source_table(self, source: str | None, derived: bool) -> pa.Table:
        key = (source, derived)
        if key not in self._tables:
            self._tables[key] = self._split(self._cases_arrow(derived), source)
        return self._tables[key]

    def _cases_arrow(self, derived: bool) -> pa.Table:
        """Return all cases as one Arrow table (read from the snapshot once), with the call-back
        columns when ``derived``."""
        arrow = getattr(self, "_arrow", {}).get("cases")
        if arrow is None:
            if self._read is None:
                self._read = pq.read_table(self._paths["cases"], memory_map=True)
            arrow = self._read
        if not derived:
            return arrow
        if self._joined is None:
            callbacks = getattr(self, "_arrow", {}).get("callbacks")
            if callbacks is None and not all(name in arrow.column_names for name in _DERIVED):
                callbacks = pq.read_table(self._paths["callbacks"], memory_map=True)
            self._joined = (
                arrow
                if all(name in arrow.column_names for name in _DERIVED)
                else with_callbacks(arrow, callbacks if callbacks is not None else empty_table("callback"))
            )
        return self._joined

    def last_record_at(self) -> datetime | None:
        """Return the latest time anything was recorded (a case reported, accepted, dispatched,
        disposed or closed, a call-back made or a patrol): where the records stop, for the projection of a
        cut-off month they cover only in part. None when there are no records."""
        if self._through is None:
            stamps = "reported_at, accepted_at, dispatched_at, disposed_at, closed_at"
            row = self.con.execute(
                f"SELECT greatest((SELECT max(greatest({stamps})) FROM cases), "
                "(SELECT max(attempted_at) FROM callbacks), "
                "(SELECT max(greatest(started_at, ended_at)) FROM patrols))"
            ).fetchall()[0]
            self._through = (row[0] if isinstance(row[0], datetime) else None,)
        return self._through[0]

    def actual(self, b: Binding, year: int, month: int, first_month: int = 1) -> Actual:
        """Return ``b``'s value for months ``first_month``–``month`` of ``year``."""
        return self.series(b, year).actual(month, first_month)

    def records(
        self,
        b: Binding,
        year: int,
        month: int,
        *,
        first_month: int = 1,
        which: str = "misses",
        limit: int = 200,
    ) -> tuple[int, list[dict[str, Any]]]:
        """Return (how many, the first ``limit``) records behind a value at cut-off ``month``.

        ``which`` is ``misses`` (in the denominator, not in the numerator: the late cases) or
        ``counted`` (in the numerator). Each record is a dict: id, source, period, start, end,
        deadline and the type, agency and street, ordered by the period field.
        """
        c = self._compile(b, year)
        cond = self._behind(c, first_month, month, which)
        start = f'"{b.start}"' if b.start else "NULL"
        end = f'"{b.end}"' if b.end else "NULL"
        base = f"SELECT *, {c.deadline} AS __deadline FROM {self._source(b.source, c.derived)} WHERE {c.pop} AND {cond}"
        total = self.con.execute(f"SELECT count(*) FROM ({base})").fetchall()[0]
        rows = self.con.execute(
            f'SELECT case_id, source, "{b.period}", {start}, {end}, __deadline, service_code, agency_responsible, '
            f'street FROM ({base}) ORDER BY "{b.period}", case_id LIMIT {int(limit)}'
        ).fetchall()
        keys = ("case_id", "source", "period", "start", "end", "deadline", "service_code", "agency", "street")
        return int(total[0]), [dict(zip(keys, r, strict=True)) for r in rows]

    @staticmethod
    def _behind(c: _Compiled, first_month: int, month: int, which: str) -> str:
        """Return the SQL condition of the records behind a value: ``misses`` or ``counted``."""
        decided = f"{c.k} BETWEEN {int(first_month)} AND {int(month)} AND coalesce({c.dec}, {NEVER}) <= {int(month)}"
        # a numerator test on a missing value is NULL: counted as false, as the series counts it
        counted = f"coalesce(({c.num}), false) AND {c.nm} <= {int(month)}"
        return f"{decided} AND {'NOT (' + counted + ')' if which == 'misses' else counted}"

    def open_at_end(self, b: Binding, year: int, month: int, first_month: int = 1) -> int:
        """Return how many misses at cut-off ``month`` were still open where the records stop
        (:meth:`last_record_at`) with time left on their limit.

        They count as late because the limit runs out before the cut-off's end, but records
        that stop earlier cannot tell whether they were closed in time: the page warns with this
        number rather than guess either way. 0 for a binding without a time limit, or when the
        records reach past the cut-off month.
        """
        through = self.last_record_at()
        if b.metric != "within" or b.end is None or through is None:
            return 0
        if through.date() >= date(year, month, _calendar.monthrange(year, month)[1]):
            return 0
        c = self._compile(b, year)
        stamp = through.isoformat(sep=" ")
        row = self.con.execute(
            f"SELECT count(*) FROM {self._source(b.source, c.derived)} WHERE {c.pop} AND "
            f'{self._behind(c, first_month, month, "misses")} AND "{b.end}" IS NULL '
            f"AND {c.deadline} > TIMESTAMP '{stamp}'"
        ).fetchall()[0]
        return int(row[0])

    def baseline(self, year: int) -> int:
        """Return the records of ``year`` by one plain scan (the benchmark's baseline)."""
        row = self.con.execute(
            f"SELECT count(*) FROM cases WHERE reported_at >= TIMESTAMP '{year}-01-01' "
            f"AND reported_at < TIMESTAMP '{year + 1}-01-01'"
        ).fetchall()[0]
        return int(row[0])

    def columns_baseline(self, bindings: Sequence[Binding], year: int) -> tuple[int, list[str]]:
        """Return (the records of ``year``, the columns read) by one DuckDB scan that counts the
        values of every column ``bindings`` read, and the day and month numbers stored for
        them: what reading the records once costs, with nothing computed (the benchmark's
        second baseline; the plain count reads one column)."""
        names: set[str | None] = set()
        for b in bindings:
            if b.metric == "coverage":
                continue  # reads the patrol logs, not the cases
            names |= {
                b.period,
                b.start,
                b.end,
                b.deadline,
                b.field,
                *(c.field for c in (*b.where, *b.numerator)),
            }
            if b.metric == "satisfaction":
                names.add("satisfaction")
            if b.source:
                names.add("source")
        table = self._cases_arrow(True)
        read = sorted(n for n in names if n)
        read += [p + n for n in read for p in (DAY_PREFIX, MONTH_PREFIX) if p + n in table.column_names]
        self.con.register("__baseline", table)
        try:
            row = self.con.execute(
                f"SELECT count(*) FILTER (WHERE reported_at >= TIMESTAMP '{year}-01-01' AND reported_at < "
                f"TIMESTAMP '{year + 1}-01-01'), "
                + ", ".join(f'count("{n}")' for n in read)
                + " FROM __baseline"
            ).fetchall()[0]
        finally:
            self.con.unregister("__baseline")
        if any(b.metric == "coverage" for b in bindings):
            # the patrol logs' cell and time, and the register, read as the cases' columns are
            self.con.execute(
                "SELECT count(grid_cell_id), count(started_at) FROM patrols UNION ALL "
                "SELECT count(cell_id), count(in_scope) FROM cells"
            ).fetchall()
            read += ["patrols.grid_cell_id", "patrols.started_at", "cells.cell_id", "cells.in_scope"]
        return int(row[0]), read

    def close(self) -> None:
        """Close the DuckDB connection and drop the converted columns (they refer back to this
        record set, so without this they would wait for the cyclic collector)."""
        self.con.close()
        self._cols.clear()
        self._tables.clear()
        self._read = self._joined = None
