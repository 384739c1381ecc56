"""The early-warning light: the month's trend projected to December against the target."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pyarrow as pa
import pytest

from jixiao.domain.targets import parse_target
from jixiao.records.binding import Binding
from jixiao.records.engine import RecordSet
from jixiao.records.projection import forecast
from jixiao.records.reader import ARROW_TYPES
from jixiao.records.schema import CASE_FIELDS

PASS_RATE = Binding.from_dict(
    {
        "metric": "rate",
        "period": "closed_at",
        "numerator": [{"field": "rework_count", "op": "eq", "value": 0}],
    }
)


def _cases(bad_per_month: list[int]) -> pa.Table:
    # 100 cases closed each month; ``bad`` of them needed rework.
    rows = []
    for month, bad in enumerate(bad_per_month, start=1):
        for i in range(100):
            rows.append(
                {
                    "case_id": f"{month}-{i}",
                    "source": "grid",
                    "rework_count": int(i < bad),
                    "closed_at": datetime(2022, month, 10) + timedelta(minutes=i),
                }
            )
    return pa.table(
        {f.name: pa.array([r.get(f.name) for r in rows], ARROW_TYPES[f.type]) for f in CASE_FIELDS}
    )


@pytest.mark.parametrize(
    ("bad", "target", "light", "projected"),
    [
        # steady 1 % rework: 99 % to date and at year end, target ≥98 % → green
        ([1] * 7, ">=98%", "green", Decimal("99.00")),
        # 1 % more rework every month: 672 / 700 = 96 % to date (months at 99…93 %), short of 97 %;
        # the line goes on to 92…88 % in months 8–12, so the year projects to
        # (672 + 450) / 1200 = 93.50 %, short too → red
        ([1, 2, 3, 4, 5, 6, 7], ">=97%", "red", Decimal("93.50")),
        # the same trend against ≥95 %: met to date, missed by the projection → yellow
        ([1, 2, 3, 4, 5, 6, 7], ">=95%", "yellow", Decimal("93.50")),
        # 97 % to date, short of 98 %, but improving a point a month (94…100 %, then 100 % capped):
        # the year projects to (679 + 500) / 1200 = 98.25 % → yellow
        ([6, 5, 4, 3, 2, 1, 0], ">=98%", "yellow", Decimal("98.25")),
        # a target without a number gets no light
        ([1] * 7, "显著提升", None, Decimal("99.00")),
    ],
)
def test_light_from_the_projected_trend(
    bad: list[int], target: str, light: str | None, projected: Decimal
) -> None:
    series = RecordSet(_cases(bad + [0] * (12 - len(bad)))).series(PASS_RATE, 2022)
    result = forecast(series, 7, parse_target(target))
    assert result.light == light
    assert result.projected == projected


def test_a_deadline_target_asks_for_every_record_in_time() -> None:
    series = RecordSet(_cases([1] * 12)).series(PASS_RATE, 2022)
    result = forecast(series, 7, parse_target("7天内完成"))
    assert result.required == 100 and result.light == "red"
