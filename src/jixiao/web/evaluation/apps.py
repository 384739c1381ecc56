from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "jixiao.web.evaluation"
    label = "web_evaluation"
    verbose_name = "绩效自评与运行监控"
