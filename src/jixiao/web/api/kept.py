"""API answers kept under the data version (jixiao.web.page_cache), for ninja's ``decorate_view``.

The decorator runs before ninja's own authentication (ninja's "view" mode), so it identifies the
caller the way the API does: a bearer token through :class:`TokenAuth` (a revoked or expired token
is not served from the cache; ninja then answers 401 itself), else the signed-in session.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from jixiao.web.api.auth import TokenAuth
from jixiao.web.page_cache import keep

__all__ = ["kept_answer"]

_TOKENS = TokenAuth()


def _caller(request: HttpRequest) -> str | None:
    """Return what tells this caller apart besides the user, or None for a caller the API refuses."""
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        if _TOKENS(request) is None:
            return None
        return f"token:{request.api_token.pk}"  # type: ignore[attr-defined]
    return "session" if request.user.is_authenticated else None


def kept_answer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep a GET operation's 200 answers under the data version, per caller and language."""
    view_name = f"{view.__module__}.{view.__qualname__}"

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return keep(request, view_name, _caller(request), lambda: view(request, *args, **kwargs))

    return wrapper
