"""Signing certificates of organizations (docs/decisions.md "PAdES contract signatures (issue
16)"). The private key is sealed like a bid (marketplace.sealing: AES-256-GCM under a data key
wrapped by a key-encryption key from the environment) and opened only by the signing service."""

from cryptography import x509
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.limits import TEXT_LIMITS


class Certificate(models.Model):
    class Reason(models.TextChoices):
        PRIVILEGE_WITHDRAWN = "privilege_withdrawn", _("Privilege withdrawn (blacklisted)")
        CESSATION = "cessation_of_operation", _("Left the market")
        AFFILIATION_CHANGED = "affiliation_changed", _("Organization details changed")
        KEY_COMPROMISE = "key_compromise", _("Key compromised")
        SUPERSEDED = "superseded", _("Superseded")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     related_name="signing_certificates")
    serial = models.CharField(_("serial number"), max_length=48, unique=True)
    subject_name = models.CharField(_("subject"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"), db_index=True)
    certificate_pem = models.TextField(_("certificate (PEM)"))
    sealed_key = models.TextField(_("sealed private key"))
    wrapped_key = models.TextField(_("wrapped data key"))
    kek_id = models.CharField(_("key-encryption key"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    renewed_from = models.OneToOneField("self", on_delete=models.PROTECT, null=True,
                                        blank=True, related_name="renewed_by")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=32,
                                         choices=Reason, blank=True)
    revocation_note = models.TextField(_("note on the revocation"),
                                       max_length=TEXT_LIMITS["reason"], blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")
        indexes = [models.Index(fields=["organization", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.subject_name} · {self.serial}"

    @property
    def serial_int(self) -> int:
        return int(self.serial, 16)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def x509(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.certificate_pem.encode("ascii"))
