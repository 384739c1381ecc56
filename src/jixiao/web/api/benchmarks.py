"""``GET /api/benchmarks/?name=…``: the figures of the 「指标对标」 page (django-ninja).

What comparable projects targeted for an indicator (any spelling: synonyms are merged) per measure
unit: projects, units and, from three units on, min / 10th percentile / median / 90th percentile /
max of the numeric targets, overall and by year. Aggregates over every unit of the database (drafts
left out), never one unit's rows: see :mod:`jixiao.services.peers`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from jixiao.services.peers import MIN_UNITS_SHOWN, indicator_benchmarks
from jixiao.web.api.auth import AUTH

__all__ = ["router"]

router = Router(tags=["benchmarks"], auth=AUTH)


class BenchmarkParams(Schema):
    """The indicator asked about."""

    name: str = Field(..., min_length=1, max_length=300, description="三级指标名称 / indicator name")
    unit_of_measure: str | None = Field(
        None, max_length=50, description="计量单位（如 %、个）/ measure unit; all units when absent"
    )


class Figures(Schema):
    """The five figures of a distribution (decimal strings)."""

    min: str
    p10: str
    median: str
    p90: str
    max: str


class YearOut(Schema):
    """One budget year's figures (None: fewer than three units, 样本不足)."""

    year: int | None
    n_projects: int
    n_units: int
    enough: bool
    figures: Figures | None


class BenchmarkOut(Schema):
    """One indicator (name key) in one measure unit."""

    name_key: str = Field(description="归并同义名称后的指标名 / the name with synonyms merged")
    label: str = Field(description="各单位最常用的写法 / the spelling most units use")
    unit_of_measure: str
    n_projects: int
    n_units: int
    enough: bool = Field(
        description=f"至少 {MIN_UNITS_SHOWN} 个单位时才给出数字 / figures from {MIN_UNITS_SHOWN} units on"
    )
    figures: Figures | None
    years: list[YearOut]


@router.get("/", response=list[BenchmarkOut])
def benchmarks(request: HttpRequest, params: Query[BenchmarkParams]) -> Any:
    """指标对标: the distribution of comparable projects' targets for an indicator, per measure unit."""
    return [row.to_dict() for row in indicator_benchmarks(params.name, params.unit_of_measure)]
