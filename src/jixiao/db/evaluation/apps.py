from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "jixiao.db.evaluation"
    label = "evaluation"
    verbose_name = _("绩效自评与运行监控")
