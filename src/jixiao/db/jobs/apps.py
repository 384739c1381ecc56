from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jixiao.db.jobs"
    label = "jobs"
    verbose_name = "后台任务 / jobs"
