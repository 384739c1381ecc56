from django.apps import AppConfig


class DepartmentsConfig(AppConfig):
    name = "jixiao.db.departments"
    label = "departments"
    verbose_name = "部门整体支出绩效"
