"""Django admin for the indicator library and (read-mostly) declarations."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from jixiao.web.declarations.models import Declaration, LibraryIndicator, Transition


@admin.register(LibraryIndicator)
class LibraryIndicatorAdmin(admin.ModelAdmin):
    list_display = ("level1", "level2", "name", "example_target")
    list_filter = ("level1", "level2")
    search_fields = ("name",)


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_status", "to_status", "grade", "comment", "actor", "actor_role", "at")


@admin.register(Declaration)
class DeclarationAdmin(SimpleHistoryAdmin):
    list_display = ("project_name", "year", "organisation", "status", "grade", "version")
    list_filter = ("status", "grade", "year")
    search_fields = ("project_name",)
    # The workflow is the only way to change a declaration's state (issue 4, Permissions).
    readonly_fields = ("status", "grade", "version", "document", "findings")
    inlines = [TransitionInline]
