from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "jixiao.web.evaluation"
    label = "evaluation"
    verbose_name = "绩效自评与运行监控"

    def ready(self) -> None:
        """Add this app's English strings to jixiao.web.i18n.EN and its router to the REST API.

        The router joins ``/api/evaluation/`` here so that the API module needs no edit; the lead may
        move the one ``add_router`` line into ``jixiao.web.api.routes.register`` instead.
        """
        from jixiao.web import i18n
        from jixiao.web.evaluation.i18n_en import EN

        for zh, en in EN.items():
            i18n.EN.setdefault(zh, en)

        from jixiao.web.api.api import api
        from jixiao.web.evaluation.api import router

        if not any(r is router for _, r in api._routers):  # once, even if ready() runs again
            api.add_router("/evaluation", router)
