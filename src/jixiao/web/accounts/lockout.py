"""What a locked-out sign-in sees, for django-axes (settings.AXES_LOCKOUT_CALLABLE).

Every sign-in path goes through ``django.contrib.auth.authenticate``, where the axes backend
refuses a locked (user name, address) pair; the axes middleware then asks this module for the
answer: a JSON error under ``/api/``, the sign-in page with the message elsewhere (the admin's
sign-in page included), both with status 429 and a Retry-After header.

What is counted, and why it stays small (等保 2.0 8.1.4.1 登录失败处理, without a lever against others):

- a failure for an existing user counts against (that user, that address): a stranger elsewhere
  cannot lock the user out from the user's own machine;
- a failure for a name no account has counts against one bucket per address (``UNKNOWN_NAME``):
  random names add no rows, and once the bucket is full the address is refused for every name, so
  that the lockout cannot tell which names exist (a known name still answering "wrong password"
  while unknown ones answer "locked" would list the accounts);
- while a pair is locked its further failures are not recorded (settings:
  ``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT``), and rows older than the cool-off are deleted at
  every failure: at most ``LOGIN_MAX_FAILURES`` rows per (account or bucket, address) exist, each
  for at most ``LOGIN_LOCK_SECONDS``.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from jixiao.web import i18n

__all__ = ["UNKNOWN_NAME", "LockoutHandler", "lockout_message", "lockout_response", "username_of"]

# The bucket of the names no account has. Django's user-name validator allows letters, digits and
# @ . + - _ only, so no account can be called this.
UNKNOWN_NAME = "(unknown name)"


def _typed_name(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """Return the user name as typed (NUL removed, as the sign-in view does)."""
    raw: Any = ""
    if credentials:
        raw = credentials.get("username", "")
    elif request is not None and request.method == "POST":
        raw = request.POST.get("username", "")
    return str(raw or "").replace("\x00", "")[:150]


def username_of(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str:
    """Return what axes counts failures for: the account's name, or ``UNKNOWN_NAME`` if none has it.

    The answer is kept on the request: axes asks several times per sign-in.
    """
    name = _typed_name(request, credentials)
    known: dict[str, bool] = getattr(request, "_jixiao_known_names", None) or {}
    if name not in known:
        from django.contrib.auth import get_user_model

        # The same exact match as ModelBackend.authenticate (get_by_natural_key).
        known[name] = bool(name) and get_user_model()._default_manager.filter(username=name).exists()
        if request is not None:
            request._jixiao_known_names = known  # type: ignore[attr-defined]
    return name if known[name] else UNKNOWN_NAME


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """axes' database handler, where a full unknown-name bucket also refuses known names.

    Resetting after a successful sign-in still clears only the user's own pair.
    """

    def get_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> list[QuerySet[Any]]:
        attempts: list[QuerySet[Any]] = list(super().get_user_attempts(request, credentials))
        if username_of(request, credentials) != UNKNOWN_NAME:
            from axes.attempts import get_cool_off_threshold

            attempts.append(
                AccessAttempt.objects.filter(
                    username=UNKNOWN_NAME,
                    ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
                    attempt_time__gte=get_cool_off_threshold(request),
                )
            )
        return attempts


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
            {"error": en if i18n.is_en() else zh, "username": _typed_name(request, credentials), "next": ""},
            status=429,
        )
    response["Retry-After"] = str(settings.LOGIN_LOCK_SECONDS)
    return response
