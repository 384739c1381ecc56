from django.apps import AppConfig


class DeclarationsConfig(AppConfig):
    name = "jixiao.db.declarations"
    label = "declarations"
    verbose_name = "绩效目标申报"
