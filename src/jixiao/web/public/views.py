"""Public pages, no sign-in: published declarations per organisation and year."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jixiao.db.accounts.models import Organisation
from jixiao.services.adjustments import adjustment_changes, approved_adjustments
from jixiao.services.queries import selected_rows
from jixiao.services.scope import visible_declarations, visible_tally
from jixiao.web.declarations.listing import organisation_picker
from jixiao.web.declarations.presentation import indicator_rows
from jixiao.web.paging import CountedPaginator

# The per-unit, per-year counts beside the list: a province publishes for thousands of units.
COUNTS_SHOWN = 50


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def public_list(request: HttpRequest) -> HttpResponse:
    """Published declarations, filtered by organisation and year, with per-unit counts.

    The years, the counts, the organisations and the number of rows come from the tally the
    database keeps (services.scope.visible_tally), not from passes over the published
    declarations: the page anyone may open is read by everyone.
    """
    qs = visible_declarations(None)  # the public scope: published only
    tally = visible_tally(None).filter(n__gt=0)  # year 0 is "no year" in the tally
    year, org = _int(request.GET.get("year")), _int(request.GET.get("organisation"))
    years = sorted({y for y in tally.values_list("year", flat=True) if y}, reverse=True)
    grouped = (
        tally.order_by()
        .values_list("organisation_id", "organisation__name", "year")
        .annotate(n=Sum("n"))
        .order_by("organisation__name", "-year")
    )
    counts = [
        {"organisation__id": org_id, "organisation__name": name, "year": y or None, "n": n}
        for org_id, name, y, n in grouped[:COUNTS_SHOWN]
    ]
    shown = tally
    if year:
        qs, shown = qs.filter(year=year), shown.filter(year=year)
    if org:
        qs, shown = qs.filter(organisation_id=org), shown.filter(organisation_id=org)
    known = int(shown.aggregate(n=Sum("n"))["n"] or 0)
    rows = qs.select_related("organisation").only(
        "id", "year", "project_name", "annual_amount", "organisation", "organisation__name"
    )
    page = CountedPaginator(rows, 25, count=known).get_page(request.GET.get("page"))
    assert isinstance(page.object_list, QuerySet)  # the paginator slices the query
    page.object_list = selected_rows(page.object_list, known)
    return render(
        request,
        "public/list.html",
        {
            "page": page,
            "years": years,
            "year": year,
            "org": org,
            "counts": counts,
            "counts_count": grouped.count() if len(counts) == COUNTS_SHOWN else len(counts),
            **_organisation_picker(request, org),
        },
    )


def _organisation_picker(request: HttpRequest, selected: int | None) -> dict[str, Any]:
    # The organisations with a published declaration (from the tally, as the counts are).
    published = Organisation.objects.filter(
        pk__in=visible_tally(None).filter(n__gt=0).values("organisation_id")
    )
    return organisation_picker(request, published, selected, _("单位") + "：" + _("全部"), units=True)


def public_organisation_options(request: HttpRequest) -> HttpResponse:
    """The public list's units again for the name typed in ``org_q`` (htmx)."""
    selected = _int(request.GET.get("organisation"))
    return render(request, "declarations/_org_picker.html", _organisation_picker(request, selected))


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published declaration in the official layout (no findings, no workflow)."""
    obj = visible_declarations(None).select_related("organisation").filter(pk=pk).first()
    if obj is None:
        return render(
            request,
            "error.html",
            {"message": "未找到已公开的申报表 / no such published declaration"},
            status=404,
        )
    doc = obj.document
    adjusted = [
        {"adj": a, "changes": adjustment_changes(a)}
        for a in approved_adjustments(obj).order_by("-approved_on", "-id")
    ]
    return render(
        request,
        "public/detail.html",
        {"obj": obj, "doc": doc, "rows": indicator_rows(doc.get("indicators") or []), "adjusted": adjusted},
    )
