from django.apps import AppConfig


class RecordsWebConfig(AppConfig):
    name = "jixiao.web.records"
    label = "records_web"
    verbose_name = "业务记录页面"
