"""Taking a workflow step from a posted form, the same way on every page that shows a workflow card."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest

from jixiao.domain.errors import JixiaoError, NotAllowed
from jixiao.web import i18n

__all__ = ["take_posted_step"]


def take_posted_step(request: HttpRequest, take: Callable[[str, bool], object], done: str) -> bool:
    """Call ``take(comment, confirmed)`` with the posted comment and confirmation.

    Returns False when the user may not take the step (the page answers 403); otherwise True, with
    ``done`` or the reason the step could not be taken now (a catalogued error) in the messages.
    """
    try:
        take(request.POST.get("comment") or "", request.POST.get("confirm") == "1")
    except NotAllowed:
        return False
    except JixiaoError as exc:
        messages.error(request, exc.message(i18n.lang()))
    else:
        messages.success(request, f"{done} ✓")
    return True
