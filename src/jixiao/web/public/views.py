"""Public pages, no sign-in: published declarations per organisation and year."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.db.accounts.models import Organisation
from jixiao.db.declarations.models import Status
from jixiao.services.adjustments import adjustment_changes, approved_adjustments
from jixiao.services.scope import visible_declarations
from jixiao.web.declarations.presentation import indicator_rows


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def public_list(request: HttpRequest) -> HttpResponse:
    """Published declarations, filtered by organisation and year, with per-unit counts."""
    qs = visible_declarations(None)  # the public scope: published only
    year, org = _int(request.GET.get("year")), _int(request.GET.get("organisation"))
    years = sorted({y for y in qs.order_by().values_list("year", flat=True).distinct() if y}, reverse=True)
    counts = (
        qs.values("organisation__id", "organisation__name", "year")
        .annotate(n=Count("id"))
        .order_by("organisation__name", "-year")
    )
    if year:
        qs = qs.filter(year=year)
    if org:
        qs = qs.filter(organisation_id=org)
    page = Paginator(qs.select_related("organisation"), 25).get_page(request.GET.get("page"))
    orgs = Organisation.objects.filter(declarations__status=Status.PUBLISHED).distinct()
    return render(
        request,
        "public/list.html",
        {"page": page, "years": years, "year": year, "org": org, "organisations": orgs, "counts": counts},
    )


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
