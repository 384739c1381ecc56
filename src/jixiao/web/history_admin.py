"""The one history view of the admin: read-only, never a revert.

django-simple-history's admin offers "revert to this version", which rewrites a record from an old
row without any workflow transition (a published declaration back to a draft, with no record of
who did it and why). Corrections go through a recorded action; the admin only shows the history.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

__all__ = ["HistoryAdmin", "ReadOnlyAdmin"]


class HistoryAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    """A model admin with the history list and read-only historical versions."""

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        """Never offer a revert (the workflow and the editors are the only ways to change a record)."""
        return True

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        """Show one historical version; a malformed id is 404, a POST (a revert) is refused."""
        if not (object_id.isdigit() and version_id.isdigit()) or len(object_id) > 18 or len(version_id) > 18:
            raise Http404
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[no-any-return]


class ReadOnlyAdmin(HistoryAdmin):
    """For workflow records and published documents: the admin may look, never add, edit or delete."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Records are created by the application's use cases only."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Changes go through the editors and the workflow, which check state and record who."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Nothing is erased: deleting a declaration would take its transitions and evaluations along."""
        return False


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    """An inline list of append-only rows."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Rows are appended by the workflow only."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Rows are never edited."""
        return False
