"""Workflow pages: take an action on a declaration (checked in services.workflow) and the queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from jixiao.domain.errors import JixiaoError
from jixiao.services.workflow import ACTIONS, transition
from jixiao.web import i18n


@login_required
@require_POST
def take_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply the posted workflow action (``action``, ``grade``, ``comment``) and go back to the page."""
    action = (request.POST.get("action") or "")[:30]
    try:
        version = int(request.POST.get("version") or "") if request.POST.get("version") else None
    except ValueError:
        version = None
    try:
        transition(
            request.user,
            pk,
            action,
            grade=request.POST.get("grade") or "",
            comment=request.POST.get("comment") or "",
            expected_version=version,
        )
    except JixiaoError as exc:
        messages.error(request, exc.message(i18n.lang()))
    else:
        label = ACTIONS[action].label_en if i18n.is_en() else ACTIONS[action].label
        messages.success(request, f"{label} ✓")
    return redirect("declaration_detail", pk=pk)
