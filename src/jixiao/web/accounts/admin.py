"""Django admin for organisations, users and their roles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from jixiao.web.accounts.models import ApiToken, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "path")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(User)
class JixiaoUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "organisation", "is_active")
    list_filter = ("role", "organisation", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("绩效", {"fields": ("display_name", "role", "organisation")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("绩效", {"fields": ("display_name", "role", "organisation")}))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created", "last_used")
    readonly_fields = ("digest", "prefix", "created", "last_used")
