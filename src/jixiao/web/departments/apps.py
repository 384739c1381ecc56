from django.apps import AppConfig


class DepartmentsConfig(AppConfig):
    name = "jixiao.web.departments"
    label = "web_departments"
    verbose_name = "部门整体支出绩效"
