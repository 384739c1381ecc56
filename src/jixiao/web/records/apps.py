from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsWebConfig(AppConfig):
    name = "jixiao.web.records"
    label = "records_web"
    verbose_name = _("业务记录页面")
