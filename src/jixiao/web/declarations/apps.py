from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeclarationsConfig(AppConfig):
    name = "jixiao.web.declarations"
    label = "web_declarations"
    verbose_name = _("绩效目标申报")
