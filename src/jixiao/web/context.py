"""Template context shared by every page: the language, the user's role label, the menu flags."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from jixiao.web import i18n


def jixiao(request: HttpRequest) -> dict[str, Any]:
    """Return ``lang`` and the navigation flags for base.html."""
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    role = getattr(user, "role", "") if signed_in else ""
    return {
        "lang": i18n.lang(),
        "is_en": i18n.is_en(),
        "signed_in": signed_in,
        "role": role,
        "can_write": signed_in and (role in ("filler", "unit_head") or getattr(user, "is_admin_role", False)),
        "is_reviewer": signed_in
        and (
            role in ("unit_head", "dept_reviewer", "finance_reviewer")
            or getattr(user, "is_admin_role", False)
        ),
        "can_see_results": signed_in
        and (role in ("finance_reviewer", "admin") or getattr(user, "is_admin_role", False)),
        "current_path": request.get_full_path(),
    }
