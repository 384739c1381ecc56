"""Signal handlers of the accounts app."""

from __future__ import annotations

from typing import Any

from jixiao.db.accounts.models import ApiToken

__all__ = ["revoke_tokens_on_sign_out"]


def revoke_tokens_on_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Signing out ends every credential of the user: the session and all API tokens.

    A token is as strong as a password for its lifetime; one left behind after sign-out is a
    credential its owner believes gone (等保 2.0 8.1.4.1: 会话结束后清除鉴别信息).
    """
    if user is not None and user.pk:
        ApiToken.objects.filter(user_id=user.pk).delete()
