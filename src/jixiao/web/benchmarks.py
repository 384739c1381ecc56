"""「指标对标」: what comparable projects targeted, beside the indicators a filler writes.

For an indicator (its name in any spelling: synonyms are merged, see :mod:`jixiao.review.names`) and
its measure unit, the page shows how many projects and units of the database set a numeric target and
the five figures of their distribution (min, 10th percentile, median, 90th percentile, max), overall
and by year; opened from a declaration (``?declaration=ID``) it does so for each of its indicators and
says where the declaration's own target lies. The figures are aggregates over all units (never one
unit's rows) and are withheld below three units (样本不足): see :mod:`jixiao.services.peers`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jixiao.domain.errors import NotFound
from jixiao.domain.targets import Target
from jixiao.review.peers import TargetBenchmark
from jixiao.services import declarations as svc
from jixiao.services.peers import MIN_UNITS_SHOWN, BenchmarkRow, common_indicators, indicator_benchmarks

__all__ = ["benchmark_hint", "benchmark_page", "position"]


def position(target: Target, bench: TargetBenchmark | None) -> str:
    """Return where a numeric target lies in the distribution (低于 P10 … 高于 P90), ``""`` if not comparable."""
    if bench is None or target.kind != "numeric" or target.value is None:
        return ""
    value: Decimal = target.value
    if value < bench.p10:
        return _("低于 10% 分位数")
    if value == bench.median:
        return _("与中位数相同")
    if value < bench.median:
        return _("10% 分位数至中位数之间")
    if value <= bench.p90:
        return _("中位数至 90% 分位数之间")
    return _("高于 90% 分位数")


def benchmark_hint(name: str, target: Target) -> str:
    """Return the one line the editor shows under a row as it is typed: the comparable projects'
    median and 10th percentile for the row's name and measure unit, 样本不足 below three units, or
    ``""`` when the database holds no such target (or the row has no numeric target)."""
    if target.kind != "numeric" or not name.strip():
        return ""
    found = indicator_benchmarks(name, target.unit or "")
    if not found:
        return ""
    row = found[0]
    if row.overall is None:
        return _("同类项目：样本不足（%(units)s 个单位）") % {"units": row.n_units}
    figures = row.overall.to_dict()
    return _(
        "同类项目：中位数 %(median)s%(uom)s，10%% 分位数 %(p10)s%(uom)s（%(units)s 个单位，%(n)s 个项目）"
    ) % {
        "median": figures["median"],
        "p10": figures["p10"],
        "uom": row.unit_of_measure,
        "units": row.n_units,
        "n": row.n,
    }


def _declaration_rows(request: HttpRequest, pk: int) -> tuple[Any, list[dict[str, Any]]]:
    obj = svc.get_visible(request.user, pk)
    doc = svc.domain_of(obj)
    rows: list[dict[str, Any]] = []
    for ind in doc.indicators:
        uom = ind.target.unit or "" if ind.target.kind == "numeric" else None
        found = indicator_benchmarks(ind.name, uom)
        rows.append(
            {
                "indicator": ind,
                "benchmarks": found,
                "position": position(ind.target, found[0].overall) if found else "",
            }
        )
    return obj, rows


@login_required
@require_GET
def benchmark_page(request: HttpRequest) -> HttpResponse:
    """The benchmarks of one declaration's indicators, of an indicator searched for, or the commonest."""
    name = request.GET.get("name", "").strip()[:300]
    declaration = request.GET.get("declaration", "")
    context: dict[str, Any] = {"name": name, "min_units": MIN_UNITS_SHOWN, "obj": None}
    if declaration.isdigit() and len(declaration) < 12:
        try:
            context["obj"], context["declaration_rows"] = _declaration_rows(request, int(declaration))
        except NotFound:
            context["not_found"] = True
    elif name:
        rows: list[BenchmarkRow] = indicator_benchmarks(name)
        context["rows"] = rows
        context["searched"] = True
    else:
        context["rows"] = common_indicators()
    return render(request, "benchmarks/page.html", context)
