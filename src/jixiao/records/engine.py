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
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from jixiao.records.binding import Binding, Condition, case_fields
from jixiao.records.calendar import WorkCalendar
from jixiao.records.errors import RecordFileError
from jixiao.records.reader import empty_table

__all__ = ["Actual", "RecordSet", "Series"]

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
        """Return ``2022年1–7月`` / ``2022-01 to 2022-07``."""
        if lang == "en":
            return f"{self.year}-{self.first_month:02d} to {self.year}-{self.last_month:02d}"
        if self.first_month == self.last_month:
            return f"{self.year}年{self.last_month}月"
        return f"{self.year}年{self.first_month}–{self.last_month}月"

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

    def counts(self, last: int, first: int = 1, known_at: int | None = None) -> tuple[int, int]:
        """Return (numerator, denominator) for months ``first``–``last`` as known at ``known_at``."""
        at = last if known_at is None else known_at
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


@dataclass(frozen=True, slots=True)
class _Compiled:
    source: str  # a FROM clause (a CTE name when the binding needs the calendar)
    ctes: str
    pop: str
    k: str
    dec: str
    num: str
    nm: str
    deadline: str


class RecordSet:
    """A unit's records opened in DuckDB: cases, their call-backs and the work calendar.

    ``cases`` and ``callbacks`` are Arrow tables (schema of :mod:`jixiao.records.schema`) or paths
    of Parquet files holding them.
    """

    def __init__(
        self,
        cases: pa.Table | Path | str,
        callbacks: pa.Table | Path | str | None = None,
        calendar: WorkCalendar | None = None,
        *,
        years: tuple[int, int] | None = None,
    ) -> None:
        self.con = duckdb.connect()
        self.con.execute("SET threads TO 2")
        self._attach("cases", cases)
        self._attach("callbacks", callbacks if callbacks is not None else empty_table("callback"))
        if calendar is None:
            lo, hi = years or self._years()
            calendar = WorkCalendar.for_years(lo, hi)
        self.calendar = calendar
        self.con.register("cal_arrow", calendar.table())
        self.con.execute("CREATE TEMP TABLE cal AS SELECT * FROM cal_arrow")
        self.con.execute("CREATE TEMP TABLE wd AS SELECT widx, d FROM cal WHERE work")
        self._callbacks_ready = False

    def _attach(self, name: str, data: pa.Table | Path | str) -> None:
        if isinstance(data, pa.Table):
            self.con.register(f"{name}_arrow", data)
            self.con.execute(f"CREATE TEMP VIEW {name} AS SELECT * FROM {name}_arrow")
        else:
            path = Path(data)
            if not path.is_file():
                raise RecordFileError("记录快照不存在", "the record snapshot does not exist").located(
                    file=str(path)
                )
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
        if self._callbacks_ready:
            return
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
        self.con.execute(
            "CREATE TEMP VIEW cases_cb AS SELECT c.*, cb.first_callback_at, cb.first_reached_callback_at, "
            "cb.latest_callback_at, cb.satisfaction, cb.resolved FROM cases c LEFT JOIN cb USING (case_id)"
        )
        self._callbacks_ready = True

    # -- compiling -------------------------------------------------------------------------

    def _compile(self, b: Binding, year: int) -> _Compiled:
        used = {b.period, b.start, b.end, b.deadline, b.field, *(c.field for c in (*b.where, *b.numerator))}
        if b.metric == "satisfaction":
            used.add("satisfaction")
        base = "cases"
        if used & _DERIVED:
            self._ensure_callbacks()
            base = "cases_cb"

        def mi(expr: str) -> str:  # month index within ``year`` (13+ = after the year)
            return f"((year({expr}) - {year}) * 12 + month({expr}))"

        pop = [
            f"\"{b.period}\" >= TIMESTAMP '{year}-01-01'",
            f"\"{b.period}\" < TIMESTAMP '{year + 1}-01-01'",
        ]
        if b.source:
            pop.append(f"source = '{b.source}'")
        pop += [_condition_sql(c) for c in b.where]
        k = f'month("{b.period}")'
        ctes = ""
        source = base
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
                    if b.unit == "working_days":
                        target = f"(c0.widx + CASE WHEN c0.work THEN 0 ELSE 1 END + {int(b.limit) + 1})"
                        expr = "CAST(w1.d AS TIMESTAMP)"
                        inclusive = False
                    else:
                        minute = f"(hour({start}) * 60 + minute({start}))"
                        wm = (
                            f"((c0.widx - CAST(c0.work AS INTEGER)) * {w} + CASE WHEN c0.work THEN "
                            f"least(greatest({minute} - {cal.day_start_minute}, 0), {w}) ELSE 0 END "
                            f"+ {int(b.limit * 60)})"
                        )
                        target = f"(({wm}) // {w} + 1)"
                        expr = (
                            f"(CAST(w1.d AS TIMESTAMP) + to_minutes({cal.day_start_minute} + ({wm}) % {w}))"
                        )
                    ctes = (
                        f"WITH src AS (SELECT b.*, {expr} AS __deadline FROM {base} b "
                        f"LEFT JOIN cal c0 ON c0.d = CAST(b.{start} AS DATE) "
                        f"LEFT JOIN wd w1 ON w1.widx = {target}) "
                    )
                    source = "src"
                    deadline = "__deadline"
            ontime = f"({end} IS NOT NULL AND {end} {'<=' if inclusive else '<'} {deadline})"
            dec = f"{mi(f'CASE WHEN {ontime} THEN {end} ELSE {deadline} END')}"
            return _Compiled(source, ctes, _and(pop), k, dec, ontime, dec, deadline)
        if b.metric == "satisfaction":
            pop.append("satisfaction IN ('满意', '基本满意', '不满意')")
            good = ", ".join(f"'{g}'" for g in b.good)
            return _Compiled(source, ctes, _and(pop), k, k, f"satisfaction IN ({good})", k, deadline)
        if b.metric == "rate":
            times = [
                mi(f'"{c.field}"')
                for c in b.numerator
                if c.op == "not_null" and case_fields()[c.field].type == "datetime"
            ]
            nm = f"greatest({k}, {', '.join(times)})" if times else k
            return _Compiled(
                source, ctes, _and(pop), k, k, _and([_condition_sql(c) for c in b.numerator]), nm, deadline
            )
        return _Compiled(source, ctes, _and(pop), k, k, "true", k, deadline)

    # -- answering -------------------------------------------------------------------------

    def series(self, b: Binding, year: int) -> Series:
        """Return the grouped counts of ``b`` over ``year`` (one scan of the records)."""
        c = self._compile(b, year)
        out = Series(b, year)
        if b.metric == "distinct":
            col = f'"{b.field}"'
            rows = self.con.execute(
                f"{c.ctes}SELECT first, count(*) FROM (SELECT {col} AS v, min({c.k}) AS first FROM {c.source} "
                f"WHERE {c.pop} AND {col} IS NOT NULL GROUP BY v) GROUP BY first"
            ).fetchall()
            out.first_seen = {int(m): int(n) for m, n in rows}
            rows = self.con.execute(
                f"{c.ctes}SELECT {c.k} AS k, count(DISTINCT {col}) FROM {c.source} "
                f"WHERE {c.pop} AND {col} IS NOT NULL GROUP BY k"
            ).fetchall()
            out.per_month = {int(m): int(n) for m, n in rows}
            return out
        rows = self.con.execute(
            f"{c.ctes}SELECT k, coalesce(dec, {NEVER}), nm, count(*) FROM (SELECT {c.k} AS k, {c.dec} AS dec, "
            f"CASE WHEN {c.num} THEN {c.nm} ELSE {NEVER} END AS nm FROM {c.source} WHERE {c.pop}) GROUP BY ALL"
        ).fetchall()
        out.cells = {(int(k), int(dec), int(nm)): int(n) for k, dec, nm, n in rows}
        return out

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
        decided = f"{c.k} BETWEEN {first_month} AND {month} AND coalesce({c.dec}, {NEVER}) <= {month}"
        counted = f"({c.num}) AND {c.nm} <= {month}"
        cond = f"{decided} AND {'NOT (' + counted + ')' if which == 'misses' else counted}"
        start = f'"{b.start}"' if b.start else "NULL"
        end = f'"{b.end}"' if b.end else "NULL"
        base = f"{c.ctes}SELECT * FROM {c.source} WHERE {c.pop} AND {cond}"
        total = self.con.execute(f"SELECT count(*) FROM ({base})").fetchall()[0]
        rows = self.con.execute(
            f'SELECT case_id, source, "{b.period}", {start}, {end}, '
            f"{c.deadline if c.deadline != '__deadline' else '__deadline'}, service_code, agency_responsible, "
            f'street FROM ({base}) ORDER BY "{b.period}", case_id LIMIT {int(limit)}'
        ).fetchall()
        keys = ("case_id", "source", "period", "start", "end", "deadline", "service_code", "agency", "street")
        return (int(total[0]) if total else 0), [dict(zip(keys, r, strict=True)) for r in rows]

    def baseline(self, year: int) -> int:
        """Return the records of ``year`` by one plain scan (the benchmark's baseline)."""
        row = self.con.execute(
            f"SELECT count(*) FROM cases WHERE reported_at >= TIMESTAMP '{year}-01-01' "
            f"AND reported_at < TIMESTAMP '{year + 1}-01-01'"
        ).fetchall()[0]
        return int(row[0])

    def close(self) -> None:
        """Close the DuckDB connection."""
        self.con.close()
