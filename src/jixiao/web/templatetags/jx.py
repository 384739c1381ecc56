"""Template filters of jixiao: ``|amount``, ``|grade``, ``|status_label``, ``|status_colour``, ``|msg``,
``|suggestion``, ``|level_label``, ``|framework_name``,
``|in_lang``, ``|period``, ``|get``.

Translation is Django's: templates ``{% load i18n %}`` and write ``{% translate "中文" %}`` or
``{% blocktranslate %}``; the English is in ``jixiao/locale/en/LC_MESSAGES/django.po``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from jixiao.domain.money import format_amount
from jixiao.web import i18n

register = template.Library()

STATUS_COLOUR = {
    "draft": "secondary",
    "submitted": "info",
    "dept_review": "primary",
    "finance_review": "primary",
    "approved": "success",
    "returned": "warning",
    "rejected": "danger",
    "published": "success",
}


@register.filter
def amount(value: Any) -> str:
    """Return an amount of 元 with thousands separators, or an empty string."""
    if value in (None, ""):
        return ""
    try:
        return format_amount(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


@register.filter
def status_label(obj: Any) -> str:
    """Return the label of a declaration's status in the active language."""
    return str(obj.get_status_display())


@register.filter
def grade(value: Any) -> str:
    """Return a grade (优/良/中/差) in the active language (the core's words: Excellent, Good …)."""
    from jixiao.domain.vocabulary import grade_label

    return grade_label(str(value), i18n.lang()) if value else ""


@register.filter
def status_colour(status: str) -> str:
    """Return the Bootstrap colour of a status badge."""
    return STATUS_COLOUR.get(status, "secondary")


@register.filter
def status_name(status: str) -> str:
    """Return the label of a status key in the active language."""
    from jixiao.db.declarations.models import Status

    try:
        return str(Status(status).label)
    except ValueError:
        return status


@register.filter
def msg(finding: dict[str, Any]) -> str:
    """Return a finding's message in the active language."""
    if i18n.is_en():
        return str(finding.get("message_en") or finding.get("message") or "")
    return str(finding.get("message_zh") or finding.get("message") or "")


@register.filter
def suggestion(finding: dict[str, Any]) -> str:
    """Return a stored finding's suggestion in the active language (empty when it has none)."""
    from jixiao.review.registry import stored_suggestion

    return stored_suggestion(finding, i18n.lang()) or ""


@register.filter
def level_label(name: str) -> str:
    """Return a framework's 一级/二级 name in the active language (a user's own name as it is)."""
    from jixiao.domain.framework import level_label as label

    return label(str(name), i18n.lang())


@register.filter
def framework_name(framework: Any) -> str:
    """Return an indicator framework's title in the active language."""
    return str(framework.name(i18n.lang()))


@register.filter
def in_lang(obj: Any, name: str) -> str:
    """Return ``obj.<name>_en`` in English, else ``obj.<name>_zh`` (the core's zh/en pairs)."""
    return str(getattr(obj, f"{name}_{i18n.lang()}", "") or getattr(obj, f"{name}_zh", "") or "")


@register.filter
def period(actual: Any) -> str:
    """Return the months an actual value covers, in the active language (``2022年1–7月``)."""
    return str(actual.period_text(i18n.lang()))


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """Return ``mapping[key]`` or None (templates cannot index by a variable)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
