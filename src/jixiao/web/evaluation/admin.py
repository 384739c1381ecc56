"""Read-only admin views of self-evaluations and monitoring reports, with their history."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jixiao.db.evaluation.models import MonitoringRecord, SelfEvaluationRecord
from jixiao.domain.vocabulary import GRADES, LIGHT_ZH, grade_label, light_label
from jixiao.web import i18n
from jixiao.web.history_admin import ReadOnlyAdmin


class _WordsFilter(admin.SimpleListFilter):
    """A filter on a column of vocabulary keys, each shown in the page's language."""

    keys: tuple[str, ...] = ()

    def label(self, key: str) -> str:
        raise NotImplementedError

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(k, self.label(k)) for k in self.keys]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(**{str(self.parameter_name): value}) if value else queryset


class GradeFilter(_WordsFilter):
    title = _("等级")
    parameter_name = "grade"
    keys = GRADES

    def label(self, key: str) -> str:
        return grade_label(key, i18n.lang())


class LightFilter(_WordsFilter):
    title = _("预警")
    parameter_name = "light"
    keys = tuple(LIGHT_ZH)

    def label(self, key: str) -> str:
        return light_label(key, i18n.lang())


@admin.register(SelfEvaluationRecord)
class SelfEvaluationAdmin(ReadOnlyAdmin):
    list_display = ("project_name", "year", "organisation", "status", "total_score", "grade_word")
    list_filter = ("status", GradeFilter, "year")
    search_fields = ("project_name",)

    @admin.display(description=_("等级"), ordering="grade")
    def grade_word(self, obj: SelfEvaluationRecord) -> str:
        return grade_label(obj.grade, i18n.lang())


@admin.register(MonitoringRecord)
class MonitoringAdmin(ReadOnlyAdmin):
    list_display = ("project_name", "year", "organisation", "cutoff_month", "light_word")
    list_filter = (LightFilter, "year", "cutoff_month")
    search_fields = ("project_name",)

    @admin.display(description=_("预警"), ordering="light")
    def light_word(self, obj: MonitoringRecord) -> str:
        return light_label(obj.light, i18n.lang())
