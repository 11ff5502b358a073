from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "marketplace.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import pre_save

        from marketplace.accounts import receivers  # noqa: F401
        from marketplace.limits import refuse_over_long_texts

        pre_save.connect(refuse_over_long_texts, dispatch_uid="marketplace.limits")
