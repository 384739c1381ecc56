"""Field-level history of a declaration from django-simple-history records.

The canonical JSON is flattened to paths (``project.name``, ``indicators[2].target``) so that a
change reads as "which field, before, after" rather than two JSON blobs.
"""

from __future__ import annotations

from typing import Any

from jixiao.db.declarations.models import Declaration
from jixiao.domain.vocabulary import FIELD_LABELS

__all__ = ["diff_documents", "flatten", "history_entries"]

_IGNORED = ("source", "warnings", "kind")


def flatten(doc: dict[str, Any]) -> dict[str, str]:
    """Return ``{path: text}`` for the user-visible fields of a canonical document."""
    out: dict[str, str] = {}
    for key, value in doc.items():
        if key in _IGNORED:
            continue
        if key == "indicators":
            for n, ind in enumerate(value or []):
                target = (ind.get("target") or {}).get("text") or ""
                out[f"indicators[{n + 1}]"] = (
                    f"{ind.get('level1', '')} / {ind.get('level2', '')} / {ind.get('name', '')}：{target}"
                )
        elif isinstance(value, dict):
            for sub, v in value.items():
                out[f"{key}.{sub}"] = "" if v is None else str(v)
        else:
            out[key] = "" if value is None else str(value)
    return out


def diff_documents(before: dict[str, Any] | None, after: dict[str, Any]) -> list[dict[str, str]]:
    """Return the changed fields between two documents as ``{field, label, before, after}``."""
    old = flatten(before or {})
    new = flatten(after)
    changes = []
    for path in list(dict.fromkeys([*new, *old])):
        if old.get(path, "") != new.get(path, ""):
            label = FIELD_LABELS.get(path) or (
                f"指标 {path[len('indicators[') : -1]}" if path.startswith("indicators[") else path
            )
            changes.append(
                {"field": path, "label": label, "before": old.get(path, ""), "after": new.get(path, "")}
            )
    return changes


def history_entries(obj: Declaration) -> list[dict[str, Any]]:
    """Return the history newest first: when, who, kind of change, status and the field diff."""
    records = list(obj.history.all().select_related("history_user").order_by("history_date", "history_id"))
    entries = []
    previous = None
    for record in records:
        changes = diff_documents(previous.document if previous else None, record.document)
        if previous is not None and previous.status != record.status:
            changes.insert(
                0,
                {
                    "field": "status",
                    "label": "状态",
                    "before": previous.get_status_display(),
                    "after": record.get_status_display(),
                },
            )
        if previous is not None and previous.grade != record.grade:
            changes.insert(
                0, {"field": "grade", "label": "审核等级", "before": previous.grade, "after": record.grade}
            )
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "type": record.history_type,
                "version": record.version,
                "reason": record.history_change_reason or "",
                "changes": changes,
            }
        )
        previous = record
    entries.reverse()
    return entries
