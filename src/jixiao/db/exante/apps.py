from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExAnteConfig(AppConfig):
    name = "jixiao.db.exante"
    label = "exante"
    verbose_name = _("事前绩效评估")
