from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepartmentsConfig(AppConfig):
    name = "jixiao.web.departments"
    label = "web_departments"
    verbose_name = _("部门整体支出绩效")
