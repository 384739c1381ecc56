"""The indicator library (指标库): the 三级指标 the declarations in the system use, with an example target.

Admins curate it in /admin/; the editor suggests from it and from the declarations in the user's
scope (declarations.views.suggest).
"""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from jixiao.db.declarations.models import Indicator, LibraryIndicator

__all__ = ["build_library"]


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
