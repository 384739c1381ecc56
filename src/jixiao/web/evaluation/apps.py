from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "jixiao.web.evaluation"
    label = "evaluation"
    verbose_name = "绩效自评与运行监控"

    def ready(self) -> None:
        """Add this app's English strings to the shared dictionary (jixiao.web.i18n.EN)."""
        from jixiao.web import i18n
        from jixiao.web.evaluation.i18n_en import EN

        for zh, en in EN.items():
            i18n.EN.setdefault(zh, en)
