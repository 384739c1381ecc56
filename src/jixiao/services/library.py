"""The indicator library (指标库): the 三级指标 the declarations in the system use, with an example target.

Admins curate it in /admin/; the editor suggests from it and from the declarations in the user's
scope (:func:`editor_names`, :func:`matching_indicators`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count

from jixiao.db.declarations.models import DataVersion, Indicator, LibraryIndicator
from jixiao.services.scope import visible_declarations

__all__ = ["build_library", "editor_names", "matching_indicators"]

# How many names the editor's datalist holds, and how many matches a search returns of each source.
EDITOR_NAMES = 300
MATCHES = 20


def editor_names(user: Any, limit: int = EDITOR_NAMES) -> list[str]:
    """Return the names the editor offers: the library's, then the most used in the user's scope.

    The scope's counts are a GROUP BY over its indicator rows (830,000 for an administrator at
    100,000 declarations: 180 ms), so they are kept in the process under the data version and
    the scope; the library (a few hundred rows, edited in /admin/) is read each time.
    """
    names = list(LibraryIndicator.objects.values_list("name", flat=True)[:limit])
    seen = set(names)
    for name in _used_names(user, limit):
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names[:limit]


def _used_names(user: Any, limit: int) -> list[str]:
    version = DataVersion.current()
    scope = "all" if user.is_admin_role else f"org{user.organisation_id}"
    key = f"jixiao:editor-names:{version}:{scope}:{limit}"
    kept = cache.get(key) if version is not None else None
    if kept is not None:
        return list(kept)
    used = [
        name
        for name, _n in Indicator.objects.filter(declaration__in=visible_declarations(user))
        .values_list("name")
        .annotate(n=Count("id"))
        .order_by("-n", "name")[:limit]
    ]
    if version is not None:
        cache.set(key, used, timeout=600)
    return used


def matching_indicators(user: Any, q: str, level2: str = "", limit: int = MATCHES) -> list[dict[str, Any]]:
    """Return the library's entries and the scope's indicators whose name holds ``q`` (and of
    ``level2`` when given): each with its source, the scope's with how many rows use it."""
    rows = Indicator.objects.filter(declaration__in=visible_declarations(user))
    lib = LibraryIndicator.objects.all()
    if q:
        rows, lib = rows.filter(name__icontains=q), lib.filter(name__icontains=q)
    if level2:
        rows, lib = rows.filter(level2=level2), lib.filter(level2=level2)
    found: list[dict[str, Any]] = [
        {"name": n, "level1": l1, "level2": l2, "target": t, "source": "library"}
        for n, l1, l2, t in lib.values_list("name", "level1", "level2", "example_target")[:limit]
    ]
    # Counted by the database over every matching row (not a sample of the first few thousand).
    used = (
        rows.values_list("name", "level1", "level2")
        .annotate(n=Count("id"))
        .order_by("-n", "name", "level1", "level2")[:limit]
    )
    found += [
        {"name": n, "level1": l1, "level2": l2, "count": c, "source": "declarations"} for n, l1, l2, c in used
    ]
    return found


def build_library(min_uses: int = 1) -> int:
    """Add every (一级, 二级, 三级) used at least ``min_uses`` times; return how many were added.

    Existing entries (and an admin's edits to them) are kept; the example target is the most used
    readable one.
    """
    uses: Counter[tuple[str, str, str]] = Counter()
    targets: dict[tuple[str, str, str], Counter[str]] = {}
    rows = Indicator.objects.exclude(target_kind="invalid").values_list(
        "level1", "level2", "name", "target_text"
    )
    for level1, level2, name, target in rows.iterator(chunk_size=2000):
        key = (level1, level2, name)
        if not name.strip():
            continue
        uses[key] += 1
        targets.setdefault(key, Counter())[target] += 1
    existing = set(LibraryIndicator.objects.values_list("level1", "level2", "name"))
    new = [
        LibraryIndicator(
            level1=l1,
            level2=l2,
            name=name,
            example_target=targets[(l1, l2, name)].most_common(1)[0][0],
            note=f"{count} 份申报表使用",
        )
        for (l1, l2, name), count in uses.items()
        if count >= min_uses and (l1, l2, name) not in existing
    ]
    with transaction.atomic():
        LibraryIndicator.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
