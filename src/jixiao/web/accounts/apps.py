from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jixiao.web.accounts"
    label = "web_accounts"
    verbose_name = _("用户与组织")

    def ready(self) -> None:
        """Connect the sign-out handler that revokes the user's API tokens."""
        from django.contrib.auth.signals import user_logged_out

        from jixiao.web.accounts.signals import revoke_tokens_on_sign_out

        user_logged_out.connect(revoke_tokens_on_sign_out, dispatch_uid="jixiao-revoke-tokens")
