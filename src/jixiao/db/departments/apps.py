from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepartmentsConfig(AppConfig):
    name = "jixiao.db.departments"
    label = "departments"
    verbose_name = _("部门整体支出绩效")
