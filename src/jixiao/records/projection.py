"""Early warning: will the month's trend meet the target by year end?

Projection method (stated on every page that shows a light):

* a share (rate, within, satisfaction): fit a least-squares line to the monthly values of months
  1..m (each month alone, as known at the cut-off), extend it to months m+1..12 (clamped to
  0–100 %), weight each future month by the average monthly denominator so far, and add those to
  the cumulative numerator and denominator: the projected year-end cumulative share;
* a count: the cumulative count plus the average of the last three months for each month left;
* a distinct count: the values seen so far plus the average number of *new* values a month over
  the last three months, for each month left;
* a coverage (网格巡查区域全覆盖): the cells still covered, less the average number a month that
  first missed a day over the last three months, for each month left (a cell that missed a day
  stays uncovered for the year).

When the records stop inside the cut-off month (an export taken on 15 July for a July cut-off),
that month is known only in part: its count and its denominator are scaled up by the share of
the month the records cover (15/31) before they enter the trend, and the rest of the month is
projected like a month to come. Months after the last record (a September cut-off over records
that end in July) are left out of the trend rather than read as months with nothing in them.
The page says so (:meth:`Coverage.note`).

Light: green when both the value to date and the projection meet the target; yellow when exactly
one of them does; red when neither does. A deadline target (7天内完成, 当天派单) asks for 100 % of
the records within the limit. A target without a number (显著提升) gets no light.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from jixiao.domain.i18n import N_, month_name, tr
from jixiao.domain.targets import Target
from jixiao.records.engine import Actual, Series

__all__ = ["METHOD_EN", "METHOD_ZH", "Coverage", "Forecast", "coverage", "forecast", "meets"]

# How the projection is made, in words (a msgid of the catalogue; METHOD_EN is its English).
METHOD_ZH = N_(
    "按 1 月至截止月各月数值的线性趋势外推至 12 月（按月均分母加权），计数按近三个月月均外推，"
    "巡查全覆盖按近三个月每月新增的未覆盖网格数外推"
)
METHOD_EN = tr(METHOD_ZH, "en")
Light = Literal["green", "yellow", "red"]


@dataclass(frozen=True, slots=True)
class Coverage:
    """How far the records reach when they stop before the end of the cut-off month.

    ``month`` is the last month with records (0: none in the year), ``days`` how many of its
    ``of_days`` days they cover.
    """

    through: date
    cutoff: int
    month: int
    days: int
    of_days: int

    @property
    def fraction(self) -> float:
        """Return the share of ``month`` the records cover (0 when the year has none)."""
        return self.days / self.of_days if self.month else 0.0

    def to_dict(self) -> dict[str, str]:
        """Return where the records stop and :meth:`note` in both languages (JSON-ready)."""
        return {"through": self.through.isoformat(), "zh": self.note("zh"), "en": self.note("en")}

    def note(self, lang: str = "zh") -> str:
        """Return the sentence the page shows above the projections, in ``lang``."""
        t = self.through
        day = (
            f"{t.day} {month_name(t.month, 'en')} {t.year}"
            if lang == "en"
            else f"{t.year}年{t.month}月{t.day}日"
        )
        if not self.month:
            return tr("业务记录截至 {day}，本年度还没有记录：不作全年预测。", lang, day=day)
        text = tr("业务记录截至 {day}。", lang, day=day)
        if self.days < self.of_days:
            text += tr(
                "{month}只有前 {days}/{of_days} 天的记录，按已有天数折算后计入趋势。",
                lang,
                month=month_name(self.month, lang),
                days=self.days,
                of_days=self.of_days,
            )
        if self.month + 1 == self.cutoff:
            text += tr("{month}还没有记录，不计入趋势。", lang, month=month_name(self.cutoff, lang))
        elif self.month < self.cutoff:
            text += tr(
                "{first}至{last}还没有记录，不计入趋势。",
                lang,
                first=month_name(self.month + 1, lang),
                last=month_name(self.cutoff, lang),
            )
        return text.strip()


def coverage(through: date | datetime | None, year: int, cutoff: int) -> Coverage | None:
    """Return how far records that end at ``through`` reach into months 1–``cutoff`` of ``year``.

    None when they cover the whole cut-off month (or nothing is known of their end): the months
    are then taken as complete.
    """
    if through is None:
        return None
    day = through.date() if isinstance(through, datetime) else through
    of_days = _calendar.monthrange(year, cutoff)[1]
    if day >= date(year, cutoff, of_days):
        return None
    if day.year < year:
        return Coverage(day, cutoff, 0, 0, of_days)
    return Coverage(day, cutoff, day.month, day.day, _calendar.monthrange(year, day.month)[1])


@dataclass(frozen=True, slots=True)
class Forecast:
    """The value to date, the projected year-end value and the light (None: not comparable)."""

    to_date: Actual
    projected: Decimal | None
    light: Light | None
    required: Decimal | None  # the number the value must reach (100 for a deadline)
    coverage: Coverage | None = None  # set when the records stop inside the cut-off month


def required_value(target: Target, percent: bool) -> tuple[str, Decimal] | None:
    """Return (operator, number) the value is compared with, or None for a target without one."""
    if target.kind == "deadline" and target.month is None:
        return (">=", Decimal(100)) if percent else None
    if target.kind == "qualitative" and "全覆盖" in target.text and percent:
        return ">=", Decimal(100)  # 网格巡查区域全覆盖 = 100 % (operational-data.md §4.8)
    if target.kind == "numeric" and target.value is not None and target.op:
        if (target.unit == "%") != percent:
            return None
        # "=100%" of a share and "35人" of a head count are reached from below: at least.
        op = ">=" if target.op == "=" else target.op
        return op, target.value
    return None


def meets(value: Decimal | None, target: Target, percent: bool) -> bool | None:
    """Return whether ``value`` meets ``target`` (None when they cannot be compared)."""
    req = required_value(target, percent)
    if req is None or value is None:
        return None
    op, number = req
    return {
        ">=": value >= number,
        ">": value > number,
        "<=": value <= number,
        "<": value < number,
    }.get(op, value >= number)


def _line(points: list[tuple[int, float]]) -> tuple[float, float]:
    n = len(points)
    if n == 1:
        return 0.0, points[0][1]
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0
    return slope, my - slope * mx


def forecast(series: Series, cutoff: int, target: Target, through: date | datetime | None = None) -> Forecast:
    """Return the value at ``cutoff``, the projected year-end value and the light.

    ``through`` is when the records end (:meth:`RecordSet.last_record_at`); records that stop
    inside the cut-off month make that month a partial one (see the module's method).
    """
    now = series.actual(cutoff)
    if series.binding.metric == "coverage" and series.cover_through is not None:
        # the patrol logs may stop before the cases do: the coverage is known to their own end
        through = series.cover_through
    cover = coverage(through, series.year, cutoff)
    # the trend reads months 1..last; the last of them covered by the share ``part``
    last, part = (cover.month, cover.fraction) if cover else (cutoff, 1.0)
    months = series.monthly(cutoff)[:last]
    projected: Decimal | None
    if not months:
        projected = None
    elif series.binding.metric == "coverage":
        if not now.denominator:
            projected = None
        else:
            lost = [float(series.cover_first_miss.get(j, 0)) for j in range(max(1, last - 2), last + 1)]
            lost[-1] /= part
            kept = max(0.0, now.numerator - sum(lost) / len(lost) * (12 - last + 1 - part))
            projected = Decimal(kept * 100 / now.denominator).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
    elif now.percent:
        points = [(a.first_month, float(a.value)) for a in months if a.value is not None]
        dens = [float(a.denominator or 0) for a in months]
        dens[-1] /= part
        if not points or now.denominator in (None, 0):
            projected = None
        else:
            slope, icept = _line(points)
            avg_den = sum(dens) / len(dens)
            num, den = float(now.numerator), float(now.denominator or 0)
            # the rest of a partial month first, then each month to come
            for j, weight in ((last, 1.0 - part), *((j, 1.0) for j in range(last + 1, 13))):
                if weight:
                    rate = min(100.0, max(0.0, slope * j + icept))
                    num += rate / 100 * avg_den * weight
                    den += avg_den * weight
            projected = (
                Decimal(num * 100 / den).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if den else None
            )
    else:
        if series.binding.metric == "distinct":
            # the values seen for the first time each month, not each month's own values
            recent = [float(series.first_seen.get(j, 0)) for j in range(max(1, last - 2), last + 1)]
        else:
            recent = [float(a.numerator) for a in months[-3:]]
        recent[-1] /= part
        per_month = sum(recent) / len(recent)
        projected = (Decimal(now.numerator) + Decimal(per_month * (12 - last + 1 - part))).quantize(
            Decimal(1)
        )
    ok_now = meets(now.value, target, now.percent)
    ok_end = meets(projected, target, now.percent)
    req = required_value(target, now.percent)
    light: Light | None
    if ok_now is None or ok_end is None:
        light = None
    elif ok_now and ok_end:
        light = "green"
    elif ok_now or ok_end:
        light = "yellow"
    else:
        light = "red"
    return Forecast(now, projected, light, req[1] if req else None, cover)
