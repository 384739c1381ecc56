from django.apps import AppConfig


class RecordsWebConfig(AppConfig):
    name = "jixiao.web.records"
    label = "records_web"
    verbose_name = "业务记录页面"

    def ready(self) -> None:
        from jixiao.web import i18n
        from jixiao.web.records.i18n_en import EN

        for zh, en in EN.items():
            i18n.EN.setdefault(zh, en)  # the shared table wins where it already says it
