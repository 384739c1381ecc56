"""Pages kept under the data version, so that a page asked for again costs a lookup, not a rendering.

The list of declarations (with its search) and the dashboard are computed from the declarations and
the organisations alone, the self-evaluation dashboard from those, the self-evaluations and the
monitoring reports (and the date), for one user in one language. Rendering them is most of their cost (about
20 ms of Python on a 2-core machine; bench/bench_web.py profiles it), and under 20 concurrent
clients that queues. A rendered page is kept under a key made of everything it depends on:

- the data version (:class:`jixiao.db.declarations.models.DataVersion`), a token the database
  replaces in every transaction that writes one of those tables, whatever the write path. A page is never served once the data it shows has changed: its key is gone;
- the user (id, role, organisation, display name, staff and superuser flags: the menu and the
  scope), the language, the path with its query string;
- the browser's CSRF secret, because the page's forms carry a token made from it.

Never kept or served: a request inside a transaction (its own uncommitted writes are visible to it,
but the token changes only at commit), a page with messages to show (they are shown once), a
browser without a CSRF cookie, anything but a 200 answer to a GET. ``X-Jixiao-Page-Cache`` says
``hit``, ``miss`` (rendered and kept) or ``bypass``. ``JIXIAO_PAGE_CACHE=off`` turns it off.

The pages are kept in Django's cache ``pages`` (settings.CACHES: files under ``var/cache/pages``
by default, shared by the server's worker processes; any Django cache backend will do).
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from jixiao.db.declarations.models import DataVersion

__all__ = ["HEADER", "cached_page", "keep"]

logger = logging.getLogger(__name__)

HEADER = "X-Jixiao-Page-Cache"
CACHE_ALIAS = "pages"

View = Callable[[HttpRequest], HttpResponse]


def _key(request: HttpRequest, view_name: str, version: str, identity: str) -> str:
    user = request.user
    parts = (
        view_name,
        version,
        translation.get_language() or "",
        request.get_full_path(),
        str(user.pk),
        str(getattr(user, "role", "")),
        str(getattr(user, "organisation_id", "")),
        str(user.is_staff),
        str(user.is_superuser),
        str(user),
        identity,
    )
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _may_keep(request: HttpRequest) -> bool:
    """Return True when ``request`` may be answered from the cache (see the module's docstring)."""
    return bool(
        settings.PAGE_CACHE
        and request.method == "GET"
        and not connection.in_atomic_block
        and request.user.is_authenticated
        and not len(get_messages(request))
    )


def keep(
    request: HttpRequest, view_name: str, identity: str | None, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """Answer ``request`` from the cache, or with ``render()`` and keep its answer when it may be kept.

    ``identity`` is what besides the user makes the answer this caller's (the browser's CSRF secret
    for a page with forms, the API token), or None when the caller cannot be told apart: then
    nothing is kept or served.
    """
    version = DataVersion.current() if identity is not None and _may_keep(request) else None
    if identity is None or version is None:
        response = render()
        response[HEADER] = "bypass"
        return response
    key = _key(request, view_name, version, identity)
    try:
        kept = caches[CACHE_ALIAS].get(key)
    except Exception:  # the cache only saves work: a full disk or a damaged file costs a rendering
        logger.warning("page cache unreadable, the page is rendered", exc_info=True)
        response = render()
        response[HEADER] = "bypass"
        return response
    if kept is not None:
        content_type, body = kept
        response = HttpResponse(body, content_type=content_type)
        response[HEADER] = "hit"
        return response
    response = render()
    stored = (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not len(get_messages(request))
    )
    if stored:
        try:
            caches[CACHE_ALIAS].set(key, (response["Content-Type"], response.content))
        except Exception:  # as above: the page is answered all the same, only not kept
            logger.warning("page cache not writable, the page is not kept", exc_info=True)
            stored = False
    response[HEADER] = "miss" if stored else "bypass"
    return response


def cached_page(view: View) -> View:
    """Keep ``view``'s 200 answers under the data version (see the module's docstring).

    Put it inside ``login_required``: the cache is asked only for a signed-in user. The page's
    forms carry CSRF tokens made from the browser's secret: a browser without one is not served.
    """
    view_name = f"{view.__module__}.{view.__qualname__}"

    @functools.wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        secret = request.META.get("CSRF_COOKIE")
        return keep(request, view_name, str(secret) if secret else None, lambda: view(request))

    return wrapper
