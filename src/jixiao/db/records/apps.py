from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "jixiao.db.records"
    label = "records"
    verbose_name = "业务记录（工单、案件、回访）"
