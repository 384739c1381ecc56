"""Pages kept under the data version, so that a page asked for again costs a lookup, not a rendering.

The list of declarations (with its search) and the dashboard are computed from the declarations and
the organisations alone, for one user in one language. Rendering them is most of their cost (about
20 ms of Python on a 2-core machine; bench/bench_web.py profiles it), and under 20 concurrent
clients that queues. A rendered page is kept under a key made of everything it depends on:

- the data version (:class:`jixiao.db.declarations.models.DataVersion`), a token the database
  replaces in every transaction that writes a declaration or an organisation, whatever the write
  path. A page is never served once the data it shows has changed: its key is gone;
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
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from jixiao.db.declarations.models import DataVersion

__all__ = ["HEADER", "cached_page"]

HEADER = "X-Jixiao-Page-Cache"
CACHE_ALIAS = "pages"

View = Callable[[HttpRequest], HttpResponse]


def _key(request: HttpRequest, view_name: str, version: str, csrf_secret: str) -> str:
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
        csrf_secret,
    )
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _cacheable_request(request: HttpRequest) -> str | None:
    """Return the CSRF secret when ``request`` may be answered from the cache, else None."""
    if not settings.PAGE_CACHE or request.method != "GET" or connection.in_atomic_block:
        return None
    if not request.user.is_authenticated:
        return None
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return None
    if len(get_messages(request)):
        return None
    return str(secret)


def cached_page(view: View) -> View:
    """Keep ``view``'s 200 answers under the data version (see the module's docstring).

    Put it inside ``login_required``: the cache is asked only for a signed-in user.
    """
    view_name = f"{view.__module__}.{view.__qualname__}"

    @functools.wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        secret = _cacheable_request(request)
        version = DataVersion.current() if secret is not None else None
        if secret is None or version is None:
            response = view(request)
            response[HEADER] = "bypass"
            return response
        cache = caches[CACHE_ALIAS]
        key = _key(request, view_name, version, secret)
        kept = cache.get(key)
        if kept is not None:
            content_type, body = kept
            response = HttpResponse(body, content_type=content_type)
            response[HEADER] = "hit"
            return response
        response = view(request)
        storage = get_messages(request)
        keep = (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not len(storage)
        )
        if keep:
            cache.set(key, (response["Content-Type"], response.content))
        response[HEADER] = "miss" if keep else "bypass"
        return response

    return wrapper
