"""Checks the server makes before it answers a single request."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["MISSING_SECRET_KEY", "require_secret_key"]

MISSING_SECRET_KEY = (
    "[JX-E790] 未设置 JIXIAO_SECRET_KEY：生产环境必须设置随机密钥（仅调试模式与演示可用开发密钥）。"
    " / JIXIAO_SECRET_KEY is not set: outside DEBUG and the demo the server needs a random secret key."
)


def require_secret_key() -> None:
    """Refuse to serve with the development key (written in the source) outside DEBUG and the demo.

    Whoever knows the key forges session cookies and signed values, i.e. signs in as anyone.
    """
    if settings.DEBUG or settings.DEMO:
        return
    if not settings.SECRET_KEY or settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured(MISSING_SECRET_KEY)
