"""The signed-in user of a request that ``login_required`` or the API's ``AUTH`` has let through."""

from __future__ import annotations

from django.http import HttpRequest

from jixiao.db.accounts.models import User

__all__ = ["user_of"]


def user_of(request: HttpRequest) -> User:
    """Return ``request.user`` as the :class:`User` it is behind a sign-in check.

    The views and endpoints that call this are guarded (``login_required``, ``auth=AUTH``), so an
    anonymous user here is a programming error, not a user's: it fails loudly rather than filtering
    by an anonymous user.
    """
    user = request.user
    if not isinstance(user, User):
        raise PermissionError("a signed-in user is required here")
    return user
