"""API authentication: ``Authorization: Bearer <token>`` (accounts.ApiToken) or the session."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from jixiao.db.accounts.models import ApiToken

__all__ = ["AUTH", "TokenAuth"]

# The account page shows a token's last use to the minute: writing it on every request would add a
# write, and under concurrent requests with one token a wait on the same row's lock, for nothing
# the user can see.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """Bearer tokens issued on the account page or by ``POST /api/auth/token``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """Return the token's user (also set as ``request.user``), or None."""
        if not token or len(token) > 200:
            return None
        row = (
            ApiToken.objects.select_related("user", "user__organisation")
            .filter(digest=ApiToken.hash(token))
            .first()
        )
        if row is None or not row.is_live():
            return None
        now = timezone.now()
        if row.last_used is None or now - row.last_used >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=row.pk).update(last_used=now)
        request.user = row.user
        request.api_token = row  # type: ignore[attr-defined]  # for POST /api/auth/logout
        return row.user


AUTH = [TokenAuth(), django_auth]
