"""Login throttling: after ``LOGIN_MAX_FAILURES`` failures a user name is locked for a while.

The counter lives in the database (not a per-process cache) so that every gunicorn worker sees it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jixiao.web.accounts.models import LoginFailure


def _key(username: str) -> str:
    return (username or "").replace("\x00", "").strip().lower()[:200]


def locked_seconds(username: str) -> int:
    """Return how many seconds ``username`` stays locked (0 when it may try)."""
    row = LoginFailure.objects.filter(key=_key(username)).first()
    if row is None or row.locked_until is None:
        return 0
    left = (row.locked_until - timezone.now()).total_seconds()
    return max(0, int(left) + 1) if left > 0 else 0


def record_failure(username: str) -> None:
    """Count one failure; lock the name when the count reaches the limit within the period."""
    now = timezone.now()
    period = timedelta(seconds=settings.LOGIN_LOCK_SECONDS)
    with transaction.atomic():
        row, created = LoginFailure.objects.select_for_update().get_or_create(
            key=_key(username), defaults={"first_at": now, "count": 0}
        )
        if row.first_at < now - period:
            row.count, row.first_at, row.locked_until = 0, now, None
            row.save()
        LoginFailure.objects.filter(pk=row.pk).update(count=F("count") + 1)
        row.refresh_from_db()
        if row.count >= settings.LOGIN_MAX_FAILURES:
            row.locked_until = now + period
            row.save(update_fields=["locked_until"])


def reset(username: str) -> None:
    """Forget the failures of ``username`` (after a successful sign-in)."""
    LoginFailure.objects.filter(key=_key(username)).delete()
