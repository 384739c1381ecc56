"""What a locked-out sign-in sees, for django-axes (settings.AXES_LOCKOUT_CALLABLE).

Every sign-in path goes through ``django.contrib.auth.authenticate``, where the axes backend
refuses a locked (user name, address) pair; the axes middleware then asks this module for the
answer: a JSON error under ``/api/``, the sign-in page with the message elsewhere (the admin's
sign-in page included), both with status 429 and a Retry-After header.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from jixiao.web import i18n

__all__ = ["lockout_message", "lockout_response", "username_of"]


def username_of(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """Return the user name axes counts failures for (NUL removed, as the sign-in view does)."""
    raw: Any = ""
    if credentials:
        raw = credentials.get("username", "")
    elif request is not None and request.method == "POST":
        raw = request.POST.get("username", "")
    return str(raw or "").replace("\x00", "")[:150]


def lockout_message() -> tuple[str, str]:
    """Return the message of a lockout in Chinese and English."""
    minutes = max(1, (settings.LOGIN_LOCK_SECONDS + 59) // 60)
    return (
        f"登录失败次数过多，请 {minutes} 分钟后再试。",
        f"Too many failed sign-ins: try again in {minutes} minutes.",
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """Return the 429 answer to a sign-in refused because the pair is locked."""
    zh, en = lockout_message()
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"code": "JX-E429", "message": en if i18n.is_en() else zh, "message_zh": zh, "message_en": en},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = render(
            request,
            "accounts/login.html",
            {"error": en if i18n.is_en() else zh, "username": username_of(request, credentials), "next": ""},
            status=429,
        )
    response["Retry-After"] = str(settings.LOGIN_LOCK_SECONDS)
    return response
