"""Middleware of jixiao: Chinese-first language selection, a Content-Security-Policy, JSON errors
under /api/, rate and size limits on what anyone may ask without signing in, and the idle
session timeout."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

# Scripts only from our own static files (no inline script, no CDN: intranets have none). The API
# docs page (Swagger UI) and the Django admin bring their own inline code and are left alone.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
CSP_EXEMPT = ("/api/docs", "/admin/")


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose English with the language switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; a Chinese government
    application shows Chinese first whatever the browser says ("Chinese UI, English
    switchable").
    """

    def process_request(self, request: HttpRequest) -> None:
        """Activate the language of the cookie set by /i18n/setlang/, else Chinese."""
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy header to every page but the API docs and the admin."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(CSP_EXEMPT):
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


_API_MESSAGES = {
    400: ("请求无效", "bad request"),
    403: ("无权访问", "forbidden"),
    404: ("没有这个接口或对象", "no such endpoint or object"),
    405: ("此接口不支持该请求方法", "method not allowed on this endpoint"),
    413: ("请求体过大", "request body too large"),
}


class ApiJsonErrorsMiddleware:
    """Turn any non-JSON error under /api/ (Django's 404/405/400 pages) into a JSON body.

    Ninja answers our own errors as JSON (api.install_error_handlers); this catches what Django
    answers before ninja runs: an unsupported method, an oversized body, a CSRF refusal.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            zh, en = _API_MESSAGES.get(response.status_code, ("请求失败", "request failed"))
            replacement = JsonResponse(
                {"code": f"JX-H{response.status_code}", "message": zh, "message_zh": zh, "message_en": en},
                status=response.status_code,
                json_dumps_params={"ensure_ascii": False},
            )
            if response.has_header("Allow"):
                replacement["Allow"] = response["Allow"]
            return replacement
        return response


# What anyone may ask without signing in, per client address and minute (each gunicorn worker
# counts on its own: Django's local-memory cache, the only cache the deployment has; with w
# workers a client gets at most w times the rate). The rates are JIXIAO_ANON_RATE (pages and
# reads) and JIXIAO_ANON_COMPUTE_RATE (scoring and monitoring computations, sign-in attempts).
ANONYMOUS_RULES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("/api/evaluation/score", ("POST",), "compute"),
    ("/api/evaluation/monitor", ("POST",), "compute"),
    ("/api/auth/token", ("POST",), "compute"),
    ("/login/", ("POST",), "compute"),
    ("/admin/login/", ("POST",), "compute"),
    ("/api/public/", ("GET", "HEAD"), "read"),
    ("/api/targets/", ("GET", "HEAD"), "read"),
    ("/public/", ("GET", "HEAD"), "read"),
)


def client_ip(request: HttpRequest, *args: object) -> str:
    """Return the client's address: REMOTE_ADDR, or behind JIXIAO_TRUSTED_PROXIES reverse proxies
    the address the nearest untrusted hop gave in X-Forwarded-For (the lockout and the rate limits
    count per client; behind a proxy every client would otherwise share the proxy's address)."""
    hops = settings.TRUSTED_PROXIES
    if hops > 0:
        chain = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(chain) >= hops:
            return str(chain[-hops])[:45]
    return str(request.META.get("REMOTE_ADDR") or "")[:45]


class AnonymousLimitsMiddleware:
    """Refuse, for a client that has not signed in, more than the rate (429) or a large body (413).

    One anonymous client must not be able to occupy the workers that signed-in users need: the
    scoring and monitoring endpoints compute on whatever body they receive, the public pages and
    the public API read the database. A signed-in session is not limited here (its work is
    bounded by the limits module and the pagination of every list).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rule = next(
            (r for r in ANONYMOUS_RULES if request.path.startswith(r[0]) and request.method in r[1]), None
        )
        user = getattr(request, "user", None)
        if rule is None or (user is not None and user.is_authenticated):
            return self.get_response(request)
        from django_ratelimit.core import is_ratelimited

        from jixiao.domain.limits import LIMITS

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > LIMITS.max_anonymous_body_bytes:
            return _refusal(
                request,
                413,
                f"未登录时请求体上限 {LIMITS.max_anonymous_body_bytes // 1024} KB，请登录后再试",
                f"without signing in a body may be at most {LIMITS.max_anonymous_body_bytes // 1024} KB; sign in",
            )
        rate = settings.ANON_COMPUTE_RATE if rule[2] == "compute" else settings.ANON_READ_RATE
        if is_ratelimited(
            request,
            group=f"anon-{rule[2]}",
            key=lambda _group, req: client_ip(req),
            rate=rate,
            increment=True,
        ):
            response = _refusal(
                request, 429, "请求过于频繁，请稍后再试", "too many requests; try again later"
            )
            response["Retry-After"] = "60"
            return response
        return self.get_response(request)


def _refusal(request: HttpRequest, status: int, zh: str, en: str) -> HttpResponse:
    from jixiao.web import i18n

    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "code": f"JX-H{status}",
                "message": en if i18n.is_en() else zh,
                "message_zh": zh,
                "message_en": en,
            },
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    return HttpResponse(en if i18n.is_en() else zh, status=status, content_type="text/plain; charset=utf-8")


# When the session's user last made a request (seconds since the epoch), kept in the session.
LAST_SEEN = "jixiao_last_seen"


class IdleTimeoutMiddleware:
    """Sign out a session that made no request for ``SESSION_IDLE_SECONDS`` (等保 2.0 8.1.4.1:
    登录连接超时自动退出), and say so: the sign-in page with a message, or a 401 JSON under /api/.

    The session store keeps a session longer than the idle time (settings.SESSION_COOKIE_AGE), so
    that the request after the timeout still finds it and the user learns why they were signed
    out instead of meeting a bare sign-in page. API tokens are not sessions: they expire on their own.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(LAST_SEEN)
            if isinstance(seen, int) and now - seen > settings.SESSION_IDLE_SECONDS:
                return self._signed_out(request)
            # Kept to SESSION_TOUCH_SECONDS: a stored time at most that old signs a session out at
            # most that much before the idle time, never after it, and spares a write per request.
            if not isinstance(seen, int) or now - seen >= settings.SESSION_TOUCH_SECONDS:
                request.session[LAST_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def _signed_out(request: HttpRequest) -> HttpResponse:
        from django.contrib import messages
        from django.contrib.auth import logout
        from django.contrib.auth.views import redirect_to_login

        from jixiao.web import i18n

        minutes = max(1, settings.SESSION_IDLE_SECONDS // 60)
        zh = f"您已超过 {minutes} 分钟未操作，已自动退出，请重新登录。"
        en = f"You were signed out after {minutes} minutes without activity; please sign in again."
        logout(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "code": "JX-E713",
                    "message": en if i18n.is_en() else zh,
                    "message_zh": zh,
                    "message_en": en,
                },
                status=401,
                json_dumps_params={"ensure_ascii": False},
            )
        messages.warning(request, en if i18n.is_en() else zh)
        return redirect_to_login(request.get_full_path())
