from django.apps import AppConfig


class ExAnteConfig(AppConfig):
    name = "jixiao.db.exante"
    label = "exante"
    verbose_name = "事前绩效评估"
