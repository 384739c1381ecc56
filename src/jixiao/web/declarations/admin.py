"""Django admin for the indicator library, and a read-only view of declarations.

Declarations and their transitions are workflow records: the admin shows them with their history
but neither edits, reverts nor deletes them (the editors and the workflow actions do, recorded).
"""

from django.contrib import admin

from jixiao.db.declarations.models import Declaration, LibraryIndicator, Transition
from jixiao.web.history_admin import ReadOnlyAdmin, ReadOnlyInline


@admin.register(LibraryIndicator)
class LibraryIndicatorAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("level1", "level2", "name", "example_target")
    list_filter = ("level1", "level2")
    search_fields = ("name",)


class TransitionInline(ReadOnlyInline):
    model = Transition
    readonly_fields = ("action", "from_status", "to_status", "grade", "comment", "actor", "actor_role", "at")


@admin.register(Declaration)
class DeclarationAdmin(ReadOnlyAdmin):
    list_display = ("project_name", "year", "organisation", "status", "grade", "version")
    list_filter = ("status", "grade", "year")
    search_fields = ("project_name",)
    inlines = [TransitionInline]
