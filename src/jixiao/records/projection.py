"""Early warning: will the month's trend meet the target by year end?

Projection method (stated on every page that shows a light):

* a share (rate, within, satisfaction): fit a least-squares line to the monthly values of months
  1..m (each month alone, as known at the cut-off), extend it to months m+1..12 (clamped to
  0–100 %), weight each future month by the average monthly denominator so far, and add those to
  the cumulative numerator and denominator: the projected year-end cumulative share;
* a count: the cumulative count plus the average of the last three months for each month left;
* a distinct count: the values seen so far plus the average number of *new* values a month over
  the last three months, for each month left.

Light: green when both the value to date and the projection meet the target; yellow when exactly
one of them does; red when neither does. A deadline target (7天内完成, 当天派单) asks for 100 % of
the records within the limit. A target without a number (显著提升) gets no light.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from jixiao.domain.i18n import N_, tr
from jixiao.domain.targets import Target
from jixiao.records.engine import Actual, Series

__all__ = ["METHOD_EN", "METHOD_ZH", "Forecast", "forecast", "meets"]

# How the projection is made, in words (a msgid of the catalogue; METHOD_EN is its English).
METHOD_ZH = N_("按 1 月至截止月各月数值的线性趋势外推至 12 月（按月均分母加权），计数按近三个月月均外推")
METHOD_EN = tr(METHOD_ZH, "en")
Light = Literal["green", "yellow", "red"]


@dataclass(frozen=True, slots=True)
class Forecast:
    """The value to date, the projected year-end value and the light (None: not comparable)."""

    to_date: Actual
    projected: Decimal | None
    light: Light | None
    required: Decimal | None  # the number the value must reach (100 for a deadline)


def required_value(target: Target, percent: bool) -> tuple[str, Decimal] | None:
    """Return (operator, number) the value is compared with, or None for a target without one."""
    if target.kind == "deadline" and target.month is None:
        return (">=", Decimal(100)) if percent else None
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


def forecast(series: Series, cutoff: int, target: Target) -> Forecast:
    """Return the value at ``cutoff``, the projected year-end value and the light."""
    now = series.actual(cutoff)
    months = series.monthly(cutoff)
    projected: Decimal | None
    if now.percent:
        points = [(a.first_month, float(a.value)) for a in months if a.value is not None]
        dens = [a.denominator or 0 for a in months]
        if not points or now.denominator in (None, 0):
            projected = None
        else:
            slope, icept = _line(points)
            avg_den = sum(dens) / len(dens)
            num, den = float(now.numerator), float(now.denominator or 0)
            for j in range(cutoff + 1, 13):
                rate = min(100.0, max(0.0, slope * j + icept))
                num += rate / 100 * avg_den
                den += avg_den
            projected = (
                Decimal(num * 100 / den).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if den else None
            )
    elif series.binding.metric == "distinct":
        firsts = [series.first_seen.get(j, 0) for j in range(max(1, cutoff - 2), cutoff + 1)]
        rate_new = sum(firsts) / len(firsts)
        projected = (Decimal(now.numerator) + Decimal(rate_new * (12 - cutoff))).quantize(Decimal(1))
    else:
        last3 = [a.numerator for a in months[-3:]]
        projected = (Decimal(now.numerator) + Decimal(sum(last3) / len(last3) * (12 - cutoff))).quantize(
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
    return Forecast(now, projected, light, req[1] if req else None)
