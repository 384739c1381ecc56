"""The work calendar: which dates are 工作日, with 调休 (make-up working days on weekends).

The default comes from ``chinese-calendar`` (the State Council's yearly holiday notice, e.g.
国办发明电〔2021〕11号 for 2022: 10 月 8–9 日 were working Saturdays and Sundays); a unit can
override single dates (a local closure, a make-up day it observes differently). Working hours
(工作时) are a local setting: 09:00–17:00 unless configured, as the reference note says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import pyarrow as pa

__all__ = ["WorkCalendar"]

_TABLES: dict[tuple[object, ...], pa.Table] = {}


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Working days from ``first`` to ``last`` (inclusive) and the working hours of a day."""

    first: date
    last: date
    overrides: Mapping[date, bool] = field(default_factory=dict)
    day_start_minute: int = 9 * 60
    day_end_minute: int = 17 * 60

    @classmethod
    def for_years(cls, first_year: int, last_year: int, **kwargs: object) -> WorkCalendar:
        """Return the calendar from 1 January of ``first_year`` to 31 December of ``last_year``
        (plus a spare year after, so that time limits running past year end still resolve)."""
        return cls(date(first_year, 1, 1), date(last_year + 1, 12, 31), **kwargs)  # type: ignore[arg-type]

    def is_workday(self, day: date) -> bool:
        """Return whether ``day`` is a working day (override, else the State Council calendar)."""
        if day in self.overrides:
            return self.overrides[day]
        import chinese_calendar

        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:  # beyond the years the package knows: weekdays only
            return day.weekday() < 5

    def days(self) -> list[tuple[date, bool]]:
        """Return every date of the calendar with whether it is a working day."""
        out = []
        d = self.first
        while d <= self.last:
            out.append((d, self.is_workday(d)))
            d += timedelta(days=1)
        return out

    def table(self) -> pa.Table:
        """Return the calendar as an Arrow table: ``d``, ``work`` and ``widx``, the number of
        working days from the start of the calendar up to and including ``d``."""
        key = (self.first, self.last, tuple(sorted(self.overrides.items())))
        if key not in _TABLES:
            _TABLES[key] = self._table()
        return _TABLES[key]

    def _table(self) -> pa.Table:
        days = self.days()
        widx: list[int] = []
        n = 0
        for _, work in days:
            n += work
            widx.append(n)
        return pa.table(
            {
                "d": pa.array([d for d, _ in days], pa.date32()),
                "work": pa.array([w for _, w in days], pa.bool_()),
                "widx": pa.array(widx, pa.int32()),
            }
        )

    @property
    def minutes_per_day(self) -> int:
        """Return the working minutes of one working day."""
        return self.day_end_minute - self.day_start_minute
