from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "jixiao.db.evaluation"
    label = "evaluation"
    verbose_name = "绩效自评与运行监控"
