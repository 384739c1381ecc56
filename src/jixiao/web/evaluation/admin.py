"""Read-only admin views of self-evaluations and monitoring reports, with their history."""

from django.contrib import admin

from jixiao.db.evaluation.models import MonitoringRecord, SelfEvaluationRecord
from jixiao.web.history_admin import ReadOnlyAdmin


@admin.register(SelfEvaluationRecord)
class SelfEvaluationAdmin(ReadOnlyAdmin):
    list_display = ("project_name", "year", "organisation", "status", "total_score", "grade")
    list_filter = ("status", "grade", "year")
    search_fields = ("project_name",)


@admin.register(MonitoringRecord)
class MonitoringAdmin(ReadOnlyAdmin):
    list_display = ("project_name", "year", "organisation", "cutoff_month", "light")
    list_filter = ("light", "year", "cutoff_month")
    search_fields = ("project_name",)
