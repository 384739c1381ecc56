from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jixiao.db.accounts"
    label = "accounts"
    verbose_name = "用户与组织"
