"""The 事前绩效评估 editor: one Django form per item in a formset, the assessor's opinion, the
computed total and conclusion. Thin: :mod:`jixiao.services.exante` checks and stores."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jixiao.db.declarations.models import Declaration
from jixiao.db.exante.models import ExAnteSheet
from jixiao.domain.errors import JixiaoError, NotFound
from jixiao.evaluation import exante as rules
from jixiao.services import exante as svc
from jixiao.services.declarations import get_visible
from jixiao.web import i18n

__all__ = ["exante_context", "exante_edit"]


class ItemForm(forms.Form):
    """One item of the sheet: its key (hidden), the grade 优/良/中/差 and a note."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=60)
    rating = forms.ChoiceField(
        choices=[(r, r) for r in rules.RATINGS], required=False, widget=forms.RadioSelect
    )
    note = forms.CharField(required=False, max_length=500)

    def clean_key(self) -> str:
        key = str(self.cleaned_data["key"])
        if key not in rules.ITEM_KEYS:
            raise forms.ValidationError(_("未知的评估项"))
        return key


ItemFormSet = forms.formset_factory(
    ItemForm, extra=0, min_num=len(rules.ITEMS), max_num=len(rules.ITEMS), validate_max=True
)


class OpinionForm(forms.Form):
    """The assessor's overall opinion."""

    opinion = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


def _initial(sheet: ExAnteSheet | None) -> list[dict[str, str]]:
    ratings = svc.ratings_of(sheet)
    return [
        {
            "key": i.key,
            "rating": ratings.get(i.key, rules.Rating()).rating,
            "note": ratings.get(i.key, rules.Rating()).note,
        }
        for i in rules.ITEMS
    ]


def _sections(formset: Any, assessment: rules.Assessment) -> list[dict[str, Any]]:
    """Group the formset's forms by section, with each item's wording and points."""
    forms_by_key = {f.initial.get("key") or f["key"].value(): f for f in formset.forms}
    out = []
    for zh, en, items in rules.SECTIONS:
        rows = [
            {
                "item": i,
                "form": forms_by_key.get(i.key),
                "points": assessment.points.get(i.key),
                "missing": i in assessment.missing,
            }
            for i in items
        ]
        subtotal = sum((assessment.points.get(i.key, Decimal(0)) for i in items), Decimal(0))
        out.append(
            {"zh": zh, "en": en, "rows": rows, "subtotal": subtotal, "full": sum(i.points for i in items)}
        )
    return out


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "error.html", {"message": NotFound().message(i18n.lang())}, status=404)


@login_required
@require_http_methods(["GET", "POST"])
def exante_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill in (or read) the declaration's ex-ante assessment; saved incomplete as well."""
    try:
        obj = get_visible(request.user, pk)
    except NotFound:
        return _not_found(request)
    sheet = ExAnteSheet.objects.filter(declaration=obj).first()
    can_fill = svc.can_fill(request.user, obj)
    status = 200
    if request.method == "POST":
        if not can_fill:
            messages.error(request, _("申报表已提交或您没有权限，不能修改事前绩效评估"))
            return redirect("exante_edit", pk=pk)
        formset = ItemFormSet(request.POST, initial=_initial(sheet))
        opinion = OpinionForm(request.POST)
        if formset.is_valid() and opinion.is_valid():
            ratings = {
                f.cleaned_data["key"]: rules.Rating(
                    f.cleaned_data.get("rating") or "", (f.cleaned_data.get("note") or "").strip()
                )
                for f in formset.forms
            }
            try:
                sheet, assessment = svc.save_sheet(
                    request.user, obj, ratings, opinion.cleaned_data["opinion"]
                )
            except JixiaoError as exc:
                messages.error(request, f"{exc.code} {exc.message_en if i18n.is_en() else exc.message_zh}")
            else:
                if assessment.complete:
                    conclusion = assessment.conclusion_en if i18n.is_en() else assessment.conclusion
                    messages.success(
                        request, f"{_('保存成功')} · {_('总分')} {assessment.total} · {conclusion}"
                    )
                else:
                    messages.warning(
                        request,
                        _("已保存，但尚有未评价的项目；完成前申报表不能提交")
                        + f"（{len(assessment.missing)}）",
                    )
                return redirect("exante_edit", pk=pk)
        status = 400
        assessment = svc.sheet_assessment(obj)
    else:
        formset = ItemFormSet(initial=_initial(sheet))
        opinion = OpinionForm(initial={"opinion": sheet.opinion if sheet else ""})
        assessment = svc.sheet_assessment(obj)
    return render(
        request,
        "declarations/exante.html",
        {
            "obj": obj,
            "formset": formset,
            "opinion": opinion,
            "sections": _sections(formset, assessment),
            "assessment": assessment,
            "can_fill": can_fill,
            "required": svc.required_for(obj),
            "rules": svc.region_rules(),
            "ratings": rules.RATINGS,
        },
        status=status,
    )


def exante_context(obj: Declaration) -> dict[str, Any]:
    """The declaration page's card: whether the sheet is required, and its total and conclusion."""
    required = svc.required_for(obj)
    sheet = ExAnteSheet.objects.filter(declaration=obj).first()
    if not required and sheet is None:
        return {"exante": None}
    assessment = svc.sheet_assessment(obj)
    return {
        "exante": {
            "required": required,
            "assessment": assessment,
            "threshold": svc.region_rules().threshold,
            "conclusion": assessment.conclusion_en if i18n.is_en() else assessment.conclusion,
        }
    }
