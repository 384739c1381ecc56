"""The list page's repeated markup written in Python: its table rows and its filter options.

The Django template language resolves every ``{{ }}`` through a chain of lookups and runs the
auto-escaping and localisation per value: for the list's 25 rows and the filters' options that was
most of the page's time (bench/bench_web.py profiles it). The markup here is the template's,
escaped alike (``format_html``); the words are looked up once per page, not once per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from jixiao.db.accounts.models import Organisation
from jixiao.db.declarations.models import Declaration, Status
from jixiao.domain.money import format_amount
from jixiao.domain.vocabulary import grade_label
from jixiao.services.scope import organisation_choices
from jixiao.web import i18n
from jixiao.web.templatetags.jx import STATUS_COLOUR

__all__ = ["declaration_rows", "option_list", "organisation_picker"]

_ROW = (
    '<tr><td><input class="form-check-input row-select" type="checkbox" name="ids" value="{}" '
    'aria-label="{} {}"></td>\n'
    '<td>{}</td><td><a href="/declarations/{}/">{}</a></td><td class="text-nowrap">{}</td>\n'
    '<td class="text-end text-nowrap">{}</td>\n'
    '<td class="text-nowrap"><span class="badge text-bg-{}">{}</span></td><td>{}</td>\n'
    "<td>{}</td></tr>\n"
)


def declaration_rows(declarations: Iterable[Declaration]) -> SafeString:
    """Return the ``<tr>`` of each declaration of a list page (the columns of list.html's header)."""
    lang = i18n.lang()
    choose = _("选择")
    statuses = {value: str(label) for value, label in Status.choices}
    grades: dict[str, str] = {}
    rows = []
    for d in declarations:
        grade = d.grade or ""
        if grade not in grades:
            grades[grade] = grade_label(grade, lang) if grade else ""
        findings = (
            format_html('<span class="badge text-bg-warning">{}</span>', d.findings_count)
            if d.findings_count
            else ""
        )
        rows.append(
            (
                d.pk,
                choose,
                d.project_name,
                d.year or "",
                d.pk,
                d.project_name,
                d.organisation.name,
                format_amount(d.annual_amount) if d.annual_amount is not None else "",
                STATUS_COLOUR.get(d.status, "secondary"),
                statuses.get(d.status, d.status),
                grades[grade],
                findings,
            )
        )
    return format_html_join("", _ROW, rows)


def option_list(options: Iterable[tuple[Any, Any]], selected: Any) -> SafeString:
    """Return ``<option>`` elements for (value, label) pairs, the one equal to ``selected`` selected."""
    return format_html_join(
        "",
        '<option value="{}" {}>{}</option>',
        ((value, "selected" if value == selected else "", label) for value, label in options),
    )


def organisation_picker(
    request: HttpRequest,
    scope: QuerySet[Organisation],
    selected: int | None,
    all_label: str,
    *,
    units: bool = False,
    small: bool = False,
) -> dict[str, Any]:
    """Return the context of ``declarations/_org_picker.html``: the organisation filter's options
    (services.scope.organisation_choices, the term from ``org_q``) and what they leave out.

    ``units``: the scope is a flat list of units (the public list), and the caption says so;
    ``small``: the select sits among small controls.
    """
    # As typed, but no NUL (PostgreSQL text cannot hold one) and no longer than a name.
    term = request.GET.get("org_q", "").replace("\x00", "")[:200]
    choices = organisation_choices(scope, selected, term)
    indent = "\u00a0\u00a0"  # no-break spaces: a <select> collapses ordinary ones
    options = option_list(((pk, indent * depth + name) for pk, name, depth in choices.options), selected)
    figures = {"term": choices.term, "matched": choices.matched, "total": choices.total}
    figures["shown"] = len(choices.options)
    caption = ""
    if choices.matched is not None and units:
        caption = _("名称含「%(term)s」的单位 %(matched)s 个，列出 %(shown)s 个") % figures
    elif choices.matched is not None:
        caption = _("名称含「%(term)s」的组织 %(matched)s 个，列出 %(shown)s 个") % figures
    elif not choices.complete and units:
        caption = _("共 %(total)s 个单位，列出 %(shown)s 个；其余请按名称查找") % figures
    elif not choices.complete:
        caption = _("共 %(total)s 个组织，列出所选组织的上下级 %(shown)s 个；其余请按名称查找") % figures
    return {
        "org_options": options,
        "org_all_label": all_label,
        "org_caption": caption,
        "org_searchable": not choices.complete or choices.matched is not None,
        "org_term": choices.term,
        "org_select_class": "form-select form-select-sm" if small else "form-select",
    }
