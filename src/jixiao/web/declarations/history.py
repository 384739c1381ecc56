"""Field-level history of a declaration from django-simple-history records.

The canonical JSON is flattened to paths (``project.name``, ``indicators[2].target``) so that a
change reads as "which field, before, after" rather than two JSON blobs.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jixiao.db.declarations.models import Declaration
from jixiao.domain.vocabulary import FIELD_LABELS, field_label, grade_label
from jixiao.web import i18n

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


def _shown_label(path: str) -> str:
    """The field's name in the page's language (the API's diff keeps the Chinese label)."""
    if path.startswith("indicators["):
        return _("指标 %(n)s") % {"n": path[len("indicators[") : -1]}
    return field_label(path, i18n.lang())


def history_entries(obj: Declaration) -> list[dict[str, Any]]:
    """Return the history newest first: when, who, kind of change, status and the field diff."""
    records = list(obj.history.all().select_related("history_user").order_by("history_date", "history_id"))
    entries = []
    previous = None
    for record in records:
        changes = [
            {**c, "label": _shown_label(c["field"])}
            for c in diff_documents(previous.document if previous else None, record.document)
        ]
        if previous is not None and previous.status != record.status:
            changes.insert(
                0,
                {
                    "field": "status",
                    "label": _("状态"),
                    "before": previous.get_status_display(),
                    "after": record.get_status_display(),
                },
            )
        if previous is not None and previous.grade != record.grade:
            changes.insert(
                0,
                {
                    "field": "grade",
                    "label": _("审核等级"),
                    "before": grade_label(previous.grade, i18n.lang()),
                    "after": grade_label(record.grade, i18n.lang()),
                },
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
