from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jixiao.web.api"
    label = "jixiao_api"
    verbose_name = "API"
