from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "jixiao.web.evaluation"
    label = "web_evaluation"
    verbose_name = _("绩效自评与运行监控")
