from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "jixiao.db.records"
    label = "records"
    verbose_name = _("业务记录（工单、案件、回访）")
