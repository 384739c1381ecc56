"""Django admin for organisations, users and their roles (with history), and API tokens.

Every change here is in the history with who, when and the field diff (等保 2.0: 安全审计).
API tokens are issued by their owner only (the account page, the API); the admin may look at them
and revoke (delete) them.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jixiao.db.accounts.models import ApiToken, Organisation, User
from jixiao.web.history_admin import HistoryAdmin


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = ("name", "kind", "parent", "path")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(User)
class JixiaoUserAdmin(HistoryAdmin, UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "display_name", "role", "organisation", "is_active")
    list_filter = ("role", "organisation", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("绩效"), {"fields": ("display_name", "role", "organisation")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("绩效"), {"fields": ("display_name", "role", "organisation")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "name", "prefix", "created", "last_used", "expires")
    readonly_fields = ("user", "name", "prefix", "created", "last_used", "expires")
    exclude = ("digest", "auth_hash")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """A token is issued by its owner, who alone sees its value once."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """A token is never edited: revoke it (delete) and issue another."""
        return False
