"""Pages of 绩效目标调整: the proposal form, an adjustment's page with its review, the action POST.

Thin: the form reads the request, :mod:`jixiao.services.adjustments` checks and stores; a
JixiaoError becomes a form error (400) or a message, never a 500.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.db.declarations.models import Declaration, Grade
from jixiao.domain.errors import InputError, JixiaoError, NotFound
from jixiao.domain.model import Declaration as DomainDeclaration
from jixiao.formats.json import from_dict
from jixiao.services import adjustments as svc
from jixiao.services.declarations import domain_of, get_visible
from jixiao.web import i18n

__all__ = ["adjustment_action", "adjustment_detail", "adjustment_new"]


class AdjustmentForm(forms.Form):
    """The proposal: one adjusted 指标值 per indicator (prefilled with the one in force), the
    adjusted 年度资金总额 and the reason."""

    annual = forms.CharField(required=False, max_length=40)
    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, doc: DomainDeclaration, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n, ind in enumerate(doc.indicators):
            self.fields[f"target_{n}"] = forms.CharField(
                required=False, max_length=300, initial=ind.target.text, label=ind.name
            )

    def targets(self) -> dict[int, str]:
        """Return the typed targets by indicator position."""
        return {
            int(key.split("_", 1)[1]): str(value or "")
            for key, value in self.cleaned_data.items()
            if key.startswith("target_")
        }


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "error.html", {"message": NotFound().message(i18n.lang())}, status=404)


def _said(exc: JixiaoError) -> str:
    """Return the error as the form shows it: its catalogue code, then the message in the UI language."""
    return f"{exc.code} {exc.message_en if i18n.is_en() else exc.message_zh}"


def _form_field(exc: JixiaoError) -> str:
    """Map an error's field (``indicators[2].target``, ``funding.annual``) to the form's name."""
    field = exc.where.field or ""
    if field.startswith("indicators[") and "]" in field:
        return "target_" + field[len("indicators[") : field.index("]")]
    return {"funding.annual": "annual", "reason": "reason"}.get(field, "__all__")


def _rows(doc: DomainDeclaration, form: AdjustmentForm) -> list[dict[str, Any]]:
    return [
        {"n": n, "ind": ind, "field": form[f"target_{n}"], "name": f"target_{n}"}
        for n, ind in enumerate(doc.indicators)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def adjustment_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose (or rewrite the draft or returned) adjustment of an approved declaration."""
    try:
        obj = get_visible(request.user, pk)
    except NotFound:
        return _not_found(request)
    current = svc.open_adjustment(obj)
    editing = current if current is not None and current.status in ("draft", "returned") else None
    if current is not None and editing is None:
        messages.error(request, _("调整申请正在审核中，退回后才能修改"))
        return redirect("adjustment_detail", pk=current.pk)
    base = domain_of(obj)
    if editing is not None:
        shown = from_dict(editing.adjusted)
        assert isinstance(shown, DomainDeclaration)
        initial = {"annual": shown.funding.annual or "", "reason": editing.reason} | {
            f"target_{n}": ind.target.text for n, ind in enumerate(shown.indicators)
        }
    else:
        initial = {"annual": base.funding.annual or ""}
    status = 200
    if request.method == "POST":
        form = AdjustmentForm(request.POST, doc=base)
        if form.is_valid():
            try:
                adj = svc.propose(
                    request.user,
                    pk,
                    targets=form.targets(),
                    annual=form.cleaned_data["annual"],
                    reason=form.cleaned_data["reason"],
                    adjustment_pk=editing.pk if editing is not None else None,
                )
            except InputError as exc:
                name = _form_field(exc)
                form.add_error(name if name in form.fields else None, _said(exc))
            except JixiaoError as exc:
                messages.error(request, _said(exc))
                return redirect("declaration_detail", pk=pk)
            else:
                messages.success(request, _("调整申请已保存，请提交审核"))
                return redirect("adjustment_detail", pk=adj.pk)
        status = 400
    else:
        if not svc.can_propose(request.user, obj) and editing is None:
            messages.error(request, _("您不能为此申报表申请调整绩效目标"))
            return redirect("declaration_detail", pk=pk)
        form = AdjustmentForm(initial=initial, doc=base)
    return render(
        request,
        "declarations/adjustment_form.html",
        {"obj": obj, "form": form, "rows": _rows(base, form), "base": base, "editing": editing},
        status=status,
    )


@login_required
def adjustment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One adjustment: before and after, the reason, the date, its review and the actions open now."""
    try:
        adj = svc.get_adjustment(request.user, pk)
    except NotFound:
        return _not_found(request)
    obj: Declaration = adj.declaration
    return render(
        request,
        "declarations/adjustment_detail.html",
        {
            "adj": adj,
            "obj": obj,
            "changes": svc.adjustment_changes(adj),
            "actions": svc.adjustment_actions(request.user, adj),
            "transitions": adj.transitions.select_related("actor").all(),
            "grades": Grade.values,
            "can_edit": adj.status in ("draft", "returned") and svc.unit_writer(request.user, obj),
        },
    )


@login_required
@require_POST
def adjustment_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the posted step (``action``, ``grade``, ``comment``) on an adjustment and go back to it."""
    action = (request.POST.get("action") or "")[:30]
    try:
        adj = svc.adjustment_transition(
            request.user,
            pk,
            action,
            grade=request.POST.get("grade") or "",
            comment=request.POST.get("comment") or "",
        )
    except NotFound:
        return _not_found(request)
    except JixiaoError as exc:
        messages.error(request, _said(exc))
        return redirect("adjustment_detail", pk=pk)
    step = svc.MACHINE.steps[action]
    messages.success(request, f"{step.label_en if i18n.is_en() else step.label} ✓")
    if adj.status == "approved":
        messages.success(request, _("调整已批复，申报表按调整后目标执行"))
    return redirect("adjustment_detail", pk=pk)


def adjustment_context(user: Any, obj: Declaration) -> dict[str, Any]:
    """The declaration page's adjustment card: the adjustments, the one in force, the button."""
    return {
        "adjustments": obj.adjustments.all().order_by("-id"),
        "can_propose": svc.can_propose(user, obj),
        "adjusted_line": svc.scored_against_line(obj, i18n.lang()),
    }
