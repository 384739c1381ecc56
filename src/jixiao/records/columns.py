"""A binding's grouped counts computed with numpy over the columns of one source's records.

The month numbers are those the engine's SQL defines (:meth:`RecordSet._compile`, which the
drill-down runs): ``k`` (the period's month), ``dec`` (the month the outcome is known) and ``nm``
(the month it counts in the numerator). Here they are computed as small integers over numpy
arrays, each column converted once (timestamps to microseconds and to day numbers, text to
dictionary codes) and each condition evaluated once for all the bindings that share it; the
calendar's working-day look-ups are array indexing. One ``bincount`` of the code
``k·15² + dec·15 + nm`` then gives every (k, dec, nm) cell: a handful of passes over small
integer arrays per binding instead of one SQL scan each (that is what makes the twelve cut-off
months of every indicator of a year cost about one scan of the records).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jixiao.records.binding import Binding, Condition, case_fields
from jixiao.records.calendar import WorkCalendar

__all__ = [
    "DAY_PREFIX",
    "MONTH_PREFIX",
    "NEVER_SLOT",
    "Columns",
    "day_numbers",
    "grouped_cells",
    "grouped_distinct",
    "month_numbers",
]

DAY_US = 86_400_000_000
MINUTE_US = 60_000_000
NAT = np.iinfo(np.int64).min
NO_DAY = np.iinfo(np.int32).min  # the day number of a missing timestamp
NO_MONTH = np.iinfo(np.int16).min  # the month number of a missing timestamp
DAY_PREFIX = "day__"  # the snapshot's column of day numbers of a timestamp column
MONTH_PREFIX = "month__"  # and of month numbers, counted from January 1970
NEVER_SLOT = 14  # a month number "never" (99 in the series' cells); months are 1–13
_SLOTS = 15
_EPOCH = date(1970, 1, 1)
_RATED = ("满意", "基本满意", "不满意")


def day_numbers(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Return the day numbers (int32, from 1970-01-01) of a timestamp column, ``NO_DAY`` where
    it is missing (a sentinel rather than a null, so that numpy reads the column without a copy)."""
    if column.type != pa.timestamp("us"):
        column = column.cast(pa.timestamp("us"))
    ts = np.asarray(column.to_numpy()).view(np.int64)
    days = (ts // DAY_US).astype(np.int32)
    days[ts == NAT] = NO_DAY
    return pa.array(days, pa.int32())


def month_numbers(days: np.ndarray) -> pa.Array:
    """Return the month numbers (int16, months since January 1970) of day numbers from
    :func:`day_numbers`, ``NO_MONTH`` where the day is ``NO_DAY``."""
    present = days != NO_DAY
    out = np.full(len(days), NO_MONTH, dtype=np.int16)
    if present.any():
        lo, hi = int(days[present].min()), int(days[present].max())
        span = np.arange(lo, hi + 1, dtype="datetime64[D]").astype("datetime64[M]").astype(np.int64)
        out[present] = span.astype(np.int16).take(days[present] - lo)
    return pa.array(out, pa.int16())


def _us(value: datetime) -> int:
    if value.tzinfo is not None:  # as DuckDB casts an offset literal to TIMESTAMP: in UTC
        value = value.astimezone(UTC).replace(tzinfo=None)
    return (value - datetime(1970, 1, 1)) // timedelta(microseconds=1)


class Columns:
    """The columns of one source's records as numpy arrays, each converted once when first used.

    ``column`` returns a column (an Arrow chunked array) of those records by name; ``calendar``
    gives the working days. Timestamps are int64 microseconds of the wall clock (``NAT`` when
    missing), day numbers count from 1970-01-01.
    """

    def __init__(
        self,
        column: Callable[[str], pa.ChunkedArray],
        calendar: WorkCalendar,
        *,
        base: Columns | None = None,
        rows: slice | np.ndarray | None = None,
    ) -> None:
        self._column = column
        self.calendar = calendar
        # A source's columns are its rows of the whole table's (``base``): each column is then
        # converted once for all sources (a run of rows is a view, no copy).
        self._base, self._rows = base, rows
        self._cache: dict[tuple[object, ...], object] = {}
        self._guard = threading.Lock()
        self._locks: dict[tuple[object, ...], threading.Lock] = {}
        table = calendar.table()
        self._cal_first = (calendar.first - _EPOCH).days
        self._widx = table.column("widx").to_numpy().astype(np.int64)
        self._work = table.column("work").to_numpy().astype(np.int64)
        days = (table.column("d").cast(pa.int32()).to_numpy()).astype(np.int64)
        self._wday = days[self._work.astype(bool)]  # the day numbers of the working days, in order

    def _once(self, key: tuple[object, ...], compute: Callable[[], Any]) -> Any:
        """Return the cached ``key``, computing it once even when two threads ask at a time."""
        if key not in self._cache:
            with self._guard:
                lock = self._locks.setdefault(key, threading.Lock())
            with lock:
                if key not in self._cache:
                    self._cache[key] = compute()
        return self._cache[key]

    def _mine(self, array: np.ndarray) -> np.ndarray:
        return array if self._rows is None else array[self._rows]

    def ts(self, name: str) -> np.ndarray:
        """Return the timestamps of ``name`` as int64 microseconds (``NAT`` when missing)."""

        def compute() -> np.ndarray:
            if self._base is not None:
                return self._mine(self._base.ts(name))
            col = self._column(name)
            if col.type != pa.timestamp("us"):
                col = col.cast(pa.timestamp("us"))
            return np.asarray(col.to_numpy()).view(np.int64)

        out: np.ndarray = self._once(("ts", name), compute)
        return out

    def present(self, name: str) -> np.ndarray:
        """Return where the timestamp ``name`` is given."""
        out: np.ndarray = self._once(("present", name), lambda: self.month_number(name) != NO_MONTH)
        return out

    def day(self, name: str) -> np.ndarray:
        """Return the day numbers of the timestamp ``name`` (int32, ``NO_DAY`` where missing):
        the snapshot's column when it has one, else computed."""

        def compute() -> np.ndarray:
            if self._base is not None:
                return self._mine(self._base.day(name))
            return self._stored(DAY_PREFIX + name, lambda: day_numbers(self._column(name)))

        out: np.ndarray = self._once(("day", name), compute)
        return out

    def month_number(self, name: str) -> np.ndarray:
        """Return the month numbers of the timestamp ``name`` (int16 from January 1970,
        ``NO_MONTH`` where missing): the snapshot's column when it has one, else computed."""

        def compute() -> np.ndarray:
            if self._base is not None:
                return self._mine(self._base.month_number(name))
            return self._stored(MONTH_PREFIX + name, lambda: month_numbers(self.day(name)))

        out: np.ndarray = self._once(("month_number", name), compute)
        return out

    def _stored(self, name: str, compute: Callable[[], pa.Array]) -> np.ndarray:
        try:
            col = self._column(name)
        except KeyError:
            return np.asarray(compute().to_numpy())
        return np.asarray(col.to_numpy() if col.num_chunks != 1 else col.chunk(0).to_numpy())

    def month(self, name: str, year: int) -> np.ndarray:
        """Return the month of the timestamp ``name`` within ``year`` as int16: 1–12, 13 after
        the year and 1 before it (meaningless where the timestamp is missing)."""
        key = ("month", name, year)
        if key not in self._cache:
            m = self.month_number(name) - np.int16((year - 1970) * 12 - 1)
            np.maximum(m, 1, out=m)
            np.minimum(m, 13, out=m)
            self._cache[key] = m
        out: np.ndarray = self._cache[key]  # type: ignore[assignment]
        return out

    def months(self, days: np.ndarray, year: int) -> np.ndarray:
        """Return the month of each day number within ``year`` as int16: 1–12, 13 after the year,
        and 1 before it (a time before the year counts from January)."""
        first = (date(year, 1, 1) - _EPOCH).days
        n = (date(year + 1, 1, 1) - date(year, 1, 1)).days
        key = ("months", year)
        if key not in self._cache:
            lut = np.empty(n + 2, dtype=np.int16)
            lut[0], lut[n + 1] = 1, 13
            lut[1 : n + 1] = [(date(year, 1, 1) + timedelta(days=i)).month for i in range(n)]
            self._cache[key] = lut
        lut = self._cache[key]  # type: ignore[assignment]
        index = days - np.int32(first - 1)  # int32 as the day numbers: half the memory traffic
        np.maximum(index, 0, out=index)
        np.minimum(index, n + 1, out=index)
        out: np.ndarray = lut.take(index)
        return out

    def codes(self, name: str) -> tuple[np.ndarray, list[str]]:
        """Return the dictionary codes of ``name`` (-1 where missing) and the values as text."""

        def compute() -> tuple[np.ndarray, list[str]]:
            if self._base is not None:
                indices, values = self._base.codes(name)
                return self._mine(indices), values
            col = self._column(name)
            if pa.types.is_dictionary(col.type):
                col = pa.table({"x": col}).unify_dictionaries().column("x")
            else:
                col = pc.dictionary_encode(col.combine_chunks())
                col = pa.chunked_array([col]) if isinstance(col, pa.Array) else col
            chunks = [ch for ch in col.chunks if len(ch)]
            if not chunks:
                return np.zeros(len(col), dtype=np.int32), []
            indices = np.concatenate(
                [pc.fill_null(ch.indices, -1).to_numpy().astype(np.int32) for ch in chunks]
            )
            return indices, [str(v) for v in chunks[0].dictionary.cast(pa.string()).to_pylist()]

        out: tuple[np.ndarray, list[str]] = self._once(("codes", name), compute)
        return out

    def condition(self, c: Condition) -> np.ndarray:
        """Return where ``c`` holds (a missing value fails every test but ``ne``, ``not_in`` and
        ``is_null``, as in the engine's SQL)."""
        key = ("cond", c)
        if key not in self._cache:
            self._cache[key] = self._condition(c)
        out: np.ndarray = self._cache[key]  # type: ignore[assignment]
        return out

    def _condition(self, c: Condition) -> np.ndarray:
        f = case_fields()[c.field]
        if_missing = c.op in ("ne", "not_in", "is_null")
        if f.type in ("text", "enum"):
            indices, values = self.codes(c.field)
            # the test over the (few) distinct values, then looked up per record; the last entry
            # answers a missing value (code -1)
            hits = [i for i, v in enumerate(values) if _test(c, v)]
            if len(hits) <= 4 or len(values) - len(hits) <= 4:
                # a few codes: compares of the int32 codes beat a look-up table
                negate = len(hits) > 4
                chosen = [i for i in range(len(values)) if i not in hits] if negate else hits
                out = np.zeros(len(indices), dtype=bool)
                for i in chosen:
                    out |= indices == np.int32(i)
                if negate:
                    out = ~out & (indices >= 0)
                if if_missing:
                    out |= indices < 0
                return out
            lut = np.array([*(i in hits for i in range(len(values))), if_missing], dtype=bool)
            out = lut.take(indices)
            return out
        if f.type == "datetime":
            if c.op in ("is_null", "not_null"):  # the stored month numbers say, no timestamps read
                given = self.present(c.field)
                return ~given if c.op == "is_null" else given
            ts = self.ts(c.field)
            missing = ts == NAT
            literal: object = (
                [_us(datetime.fromisoformat(str(v))) for v in c.value]
                if c.op in ("in", "not_in")
                else _us(datetime.fromisoformat(str(c.value)))
            )
            hit = _compare(c.op, ts, literal)
        else:  # int, bool
            col = self._column(c.field)
            missing = np.asarray(col.is_null().to_numpy(), dtype=bool)
            if c.op in ("is_null", "not_null"):
                return missing if c.op == "is_null" else ~missing
            zero: object = False if f.type == "bool" else 0
            filled = np.asarray(pc.fill_null(col, zero).to_numpy())
            hit = _compare(c.op, filled, c.value)
        result: np.ndarray = (hit | missing) if if_missing else (hit & ~missing)
        return result

    def all(self, conditions: tuple[Condition, ...], n: int) -> np.ndarray:
        """Return where every condition holds (all records when there is none)."""
        out = np.ones(n, dtype=bool)
        for c in conditions:
            out &= self.condition(c)
        return out

    def in_year(self, name: str, year: int) -> np.ndarray:
        """Return where the timestamp ``name`` falls within ``year``."""
        key = ("in_year", name, year)
        if key not in self._cache:
            m = self.month_number(name)
            first = np.int16((year - 1970) * 12)
            self._cache[key] = (m >= first) & (m <= first + np.int16(11))
        out: np.ndarray = self._cache[key]  # type: ignore[assignment]
        return out

    # -- the calendar ------------------------------------------------------------------------

    def _calendar_day(self, days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (inside the calendar, working days up to and including, is a working day)."""
        i = days.astype(np.int64) - self._cal_first
        inside = (i >= 0) & (i < len(self._widx))
        i = np.clip(i, 0, max(len(self._widx) - 1, 0))
        return inside, self._widx.take(i), self._work.take(i)

    def working_day(self, j: np.ndarray, ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (where the ``j``-th working day (0-based) is in the calendar, its day number)."""
        ok = ok & (j >= 0) & (j < len(self._wday))
        return ok, self._wday.take(np.clip(j, 0, max(len(self._wday) - 1, 0)))

    def deadline_days(self, b: Binding) -> tuple[np.ndarray, np.ndarray]:
        """Return (known, the day number of the deadline's midnight) for ``working_days``:
        the start of the working day after the N-th one counted from the start (a day off counts
        from the next working day)."""
        inside, widx, work = self._calendar_day(self.day(str(b.start)))
        assert b.limit is not None
        return self.working_day(widx + (1 - work) + int(b.limit), inside)

    def deadline_hours(self, b: Binding) -> tuple[np.ndarray, np.ndarray]:
        """Return (known, the deadline in microseconds) for ``working_hours``."""
        cal = self.calendar
        w = cal.minutes_per_day
        s = self.ts(str(b.start))
        inside, widx, work = self._calendar_day(self.day(str(b.start)))
        minute = (s // MINUTE_US) % 1440
        assert b.limit is not None
        wm = (
            (widx - work) * w
            + np.where(work == 1, np.clip(minute - cal.day_start_minute, 0, w), 0)
            + int(b.limit * 60)
        )
        ok, day = self.working_day(wm // w, inside)
        return ok, day * DAY_US + (cal.day_start_minute + wm % w) * MINUTE_US


def _compare(op: str, values: np.ndarray, literal: Any) -> np.ndarray:
    if op in ("in", "not_in"):
        out = np.zeros(len(values), dtype=bool)
        for v in literal:
            out |= values == v
        return out if op == "in" else ~out
    ufunc = {
        "eq": np.equal,
        "ne": np.not_equal,
        "gt": np.greater,
        "ge": np.greater_equal,
        "lt": np.less,
        "le": np.less_equal,
    }[op]
    result: np.ndarray = ufunc(values, literal)
    return result


def _test(c: Condition, value: str) -> bool:
    """Return ``c`` on one present text value."""
    if c.op == "is_null":
        return False
    if c.op == "not_null":
        return True
    if c.op in ("in", "not_in"):
        return (value in c.value) == (c.op == "in")
    return bool(_compare(c.op, np.array([value], dtype=object), c.value)[0])


def grouped_cells(b: Binding, year: int, cols: Columns, n: int) -> dict[tuple[int, int, int], int]:
    """Return ``b``'s (k, dec, nm) → count over the ``n`` records of ``cols`` (99: never)."""
    pop = cols.in_year(b.period, year) & cols.all(b.where, n)
    k = cols.month(b.period, year)
    never = np.int16(NEVER_SLOT)
    if b.metric == "within":
        pop &= cols.present(str(b.start))
        end = str(b.end)
        e, e_ok = cols.ts(end), cols.present(end)
        if b.deadline:
            pop &= cols.present(b.deadline)
            known = np.ones(n, dtype=bool)
            ontime = e_ok & (e <= cols.ts(b.deadline))
            due_day = cols.day(b.deadline)
        else:
            assert b.limit is not None
            if b.unit in ("natural_days", "hours"):
                seconds = int(b.limit * (86400 if b.unit == "natural_days" else 3600))
                due = cols.ts(str(b.start)) + seconds * 1_000_000
                known = np.ones(n, dtype=bool)
                ontime = e_ok & (e <= due)
                # whole days: the deadline's day is the start's day plus as many (no division)
                due_day = (
                    cols.day(str(b.start)) + np.int32(seconds // 86400)
                    if seconds % 86400 == 0
                    else (due // DAY_US).astype(np.int32)
                )
            elif b.unit == "calendar_dates":
                known = np.ones(n, dtype=bool)
                due_day = cols.day(str(b.start)) + (int(b.limit) + 1)
                ontime = e_ok & (cols.day(end) < due_day)  # before that date's midnight
            elif b.unit == "working_days":
                known, due_day = cols.deadline_days(b)
                ontime = e_ok & known & (cols.day(end) < due_day)
            else:
                known, due = cols.deadline_hours(b)
                ontime = e_ok & known & (e <= due)
                due_day = (due // DAY_US).astype(np.int32)
        dec = np.where(ontime, cols.month(end, year), cols.months(due_day, year))
        dec = np.where(known, dec, never)
        nm = np.where(ontime, dec, never)
    elif b.metric == "satisfaction":
        pop &= cols.condition(Condition("satisfaction", "in", _RATED))
        dec = k
        nm = np.where(cols.condition(Condition("satisfaction", "in", tuple(b.good))), k, never)
    elif b.metric == "rate":
        dec = k
        nm = k
        for c in b.numerator:
            if c.op == "not_null" and case_fields()[c.field].type == "datetime":
                nm = np.maximum(nm, cols.month(c.field, year))
        nm = np.where(cols.all(b.numerator, n), nm, never)
    else:
        dec = nm = k
    code = (k * _SLOTS + dec) * _SLOTS + nm
    counts = np.bincount(code[pop], minlength=13 * _SLOTS * _SLOTS)
    out: dict[tuple[int, int, int], int] = {}
    for cell in np.flatnonzero(counts).tolist():
        kk, d, m = cell // (_SLOTS * _SLOTS), (cell // _SLOTS) % _SLOTS, cell % _SLOTS
        out[(kk, 99 if d == NEVER_SLOT else d, 99 if m == NEVER_SLOT else m)] = int(counts[cell])
    return out


def grouped_distinct(b: Binding, year: int, cols: Columns, n: int) -> tuple[dict[int, int], dict[str, int]]:
    """Return (month → distinct values of ``b.field`` in that month, value → first month)."""
    pop = cols.in_year(b.period, year) & cols.all(b.where, n)
    indices, values = cols.codes(str(b.field))
    pop &= indices >= 0
    k = cols.month(b.period, year).astype(np.int64)[pop]
    v = indices[pop].astype(np.int64)
    nv = len(values)
    if nv * 13 <= 1 << 24:
        seen = np.bincount(k * nv + v, minlength=13 * nv).reshape(13, nv) > 0
        months, which = np.nonzero(seen)
    else:  # many distinct values (an id): sort the pairs instead
        pairs = np.unique(k * nv + v)
        months, which = pairs // nv, pairs % nv
    per_month: dict[int, int] = {}
    for month, count in zip(*np.unique(months, return_counts=True), strict=True):
        per_month[int(month)] = int(count)
    first: dict[str, int] = {}
    # ``months`` ascends, so a value's first occurrence is its first month
    unique, at = np.unique(which, return_index=True)
    for value, i in zip(unique.tolist(), at.tolist(), strict=True):
        first[values[value]] = int(months[i])
    return per_month, first
