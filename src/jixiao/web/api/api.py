"""The REST API under ``/api/`` (django-ninja), OpenAPI at ``/api/docs``.

Routers live one per area in this package (declarations, public, auth, targets) and call the same
services as the pages, so the permissions are the same. Errors are translated in one place
(:func:`install_error_handlers`): every error a client can cause is a 4xx JSON body.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from jixiao.domain.error_codes import http_status
from jixiao.domain.errors import ConflictError, JixiaoError
from jixiao.web import i18n

__all__ = ["api", "api_not_found", "install_error_handlers"]

# Answers any operation may give besides its own: the error boundary below turns a bad body (400),
# a body over the limit (413), a failed schema check (422) and the anonymous rate limit (429) into
# the ErrorOut JSON; the HTTP server refuses an over-long request line (414) before Django runs.
COMMON_ERRORS = {
    "400": "请求无效 / bad request",
    "413": "请求体过大 / request body too large",
    "422": "请求参数不符合接口定义 / the request does not match the schema",
    "429": "请求过于频繁 / too many requests",
}
SECURED_ERRORS = {
    "401": "需要登录或有效的 API 令牌 / sign in or send a valid API token",
    "403": "无权访问（会话请求缺少 CSRF 令牌）/ forbidden (a session request without its CSRF token)",
}


class JixiaoAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists every status an operation can answer."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        """Return the schema with the common error answers added to every operation."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                extra = COMMON_ERRORS | (SECURED_ERRORS if operation.get("security") else {})
                if "{" in path:
                    extra = extra | {
                        "404": "没有这个对象（或不在您的权限范围内）/ no such object in your scope"
                    }
                known = {str(code) for code in responses}  # ninja's own keys are ints
                for status, description in extra.items():
                    if status not in known:
                        responses[int(status)] = {"description": description, "content": error}
                if "414" not in known:
                    responses[414] = {"description": "请求行过长 / request line too long"}
        return schema


api = JixiaoAPI(
    title="jixiao API",
    version="1.0",
    description="财政项目支出绩效目标：申报、审核、公开。Declarations use the canonical JSON of DESIGN.md.",
    urls_namespace="api",
)


def _error(request: HttpRequest, code: str, zh: str, en: str, **extra: object) -> HttpResponse:
    body = {"code": code, "message": en if i18n.is_en() else zh, "message_zh": zh, "message_en": en, **extra}
    return api.create_response(request, body, status=http_status(code))


def install_error_handlers(target: NinjaAPI) -> None:
    """Map our errors and Django's/ninja's to 4xx JSON bodies (the one translation boundary)."""

    @target.exception_handler(JixiaoError)
    def jixiao_error(request: HttpRequest, exc: JixiaoError) -> HttpResponse:
        status = http_status(exc.code)  # from the catalogue, never from the message
        body = exc.to_dict(i18n.lang())
        if isinstance(exc, ConflictError):
            body["current_version"] = exc.current_version
        return target.create_response(request, body, status=status)

    @target.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return _error(request, "JX-E740", "请求体过大", "request body too large")

    @target.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return _error(
            request,
            "JX-E501",
            "请求参数不符合接口定义",
            "the request does not match the schema",
            detail=exc.errors,
        )

    @target.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _error(request, "JX-E711", "需要登录或有效的 API 令牌", "sign in or send a valid API token")

    @target.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        body = {
            "code": f"JX-H{exc.status_code}",
            "message": str(exc),
            "message_zh": str(exc),
            "message_en": str(exc),
        }
        return target.create_response(request, body, status=exc.status_code)


install_error_handlers(api)


def api_not_found(request: HttpRequest) -> HttpResponse:
    """Answer an unknown path under /api/ (or a malformed id such as /api/declarations/abc) as JSON."""
    return JsonResponse(
        {
            "code": "JX-E720",
            "message": "没有这个接口或对象 / no such endpoint or object",
            "message_zh": "没有这个接口或对象",
            "message_en": "no such endpoint or object",
        },
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )


from jixiao.web.api import routes  # noqa: E402  (routers register on `api`)

routes.register(api)
