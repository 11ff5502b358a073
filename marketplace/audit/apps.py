from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


def signing_key_configured(app_configs, **kwargs):
    from django.conf import settings

    if getattr(settings, "AUDIT_SIGNING_KEY", ""):
        return []
    return [checks.Warning(
        "AUDIT_SIGNING_KEY is not set: audit checkpoints are signed with a key derived from "
        "SECRET_KEY; set a key of its own (base64 of 32 random bytes) and publish its id.",
        id="audit.W001")]


class AuditConfig(AppConfig):
    name = "marketplace.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        checks.register(signing_key_configured, checks.Tags.security, deploy=True)
