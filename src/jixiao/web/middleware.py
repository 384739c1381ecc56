"""Middleware of jixiao: Chinese-first language selection and a Content-Security-Policy."""

from __future__ import annotations

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
    application shows Chinese first whatever the browser says (the issue: "Chinese UI, English
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
