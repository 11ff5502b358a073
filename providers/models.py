import uuid
from pathlib import PurePath

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from marketplace.limits import TEXT_LIMITS
from marketplace.uploads import private_storage


class Commitments(models.Model):
    """The three public commitments (三承诺). Abstract: an agency's service carries the live copy;
    a bid and a contract carry their own frozen copy, so editing the service later never rewrites
    what was promised in them."""

    promised_days = models.PositiveIntegerField(_("promised service time (days)"))
    fee_standard = models.TextField(_("fee standard"), max_length=TEXT_LIMITS["note"])
    fee_max = models.DecimalField(
        _("maximum fee"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    service_standard = models.TextField(_("service standard"), max_length=TEXT_LIMITS["note"])

    COMMITMENT_FIELDS = ("promised_days", "fee_standard", "fee_max", "service_standard")

    class Meta:
        abstract = True

    def copy_commitments_from(self, source: "Commitments") -> None:
        """Take a frozen copy of `source`'s commitments (a bid copying the agency's service)."""
        for name in self.COMMITMENT_FIELDS:
            setattr(self, name, getattr(source, name))

    def commitments(self) -> dict:
        return {
            "promised_days": self.promised_days,
            "fee_standard": self.fee_standard,
            "fee_max": str(self.fee_max) if self.fee_max is not None else None,
            "service_standard": self.service_standard,
        }


class AgencyService(Commitments):
    """A service item an agency offers, with its three commitments (public on the profile)."""

    agency = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="services"
    )
    service_item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name=_("service item"), on_delete=models.PROTECT,
        related_name="agency_services",
    )
    # Notify the agency of new projects of this item only in its own region.
    regional_alerts = models.BooleanField(_("alerts for my region only"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["service_item__code"]
        verbose_name = _("agency service")
        verbose_name_plural = _("agency services")
        constraints = [
            models.UniqueConstraint(fields=["agency", "service_item"],
                                    name="agency_service_unique_item"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.service_item}"


class QualificationType(models.Model):
    """A kind of certificate (资质) that projects can require, e.g. 测绘资质."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("qualification type")
        verbose_name_plural = _("qualification types")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name


def qualification_upload_to(instance, filename: str) -> str:
    # The stored name is ours, never the uploader's: only the checked extension survives.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"qualifications/{instance.agency_id}/{uuid.uuid4().hex}{suffix}"


class Qualification(models.Model):
    """A certificate an agency declares; regulators verify it after the fact (宽进严管)."""

    class Status(models.TextChoices):
        DECLARED = "declared", _("Declared")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    agency = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="qualifications"
    )
    qualification_type = models.ForeignKey(
        QualificationType, verbose_name=_("certificate type"), on_delete=models.PROTECT
    )
    number = models.CharField(_("certificate number"), max_length=100)
    issuer = models.CharField(_("issued by"), max_length=200)
    valid_until = models.DateField(_("valid until"))
    # Private storage: scans are streamed only to the agency's members and to regulators.
    file = models.FileField(_("scan"), upload_to=qualification_upload_to, storage=private_storage)
    file_content_type = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.DECLARED
    )
    reviewed_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(_("reason"), max_length=TEXT_LIMITS["reason"], blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        indexes = [models.Index(fields=["agency", "status", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.qualification_type} {self.number}"

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def is_rejected(self) -> bool:
        return self.status == self.Status.REJECTED

    def is_expired(self, day=None) -> bool:
        return self.valid_until < (day or timezone.localdate())

    def counts_on(self, day=None) -> bool:
        """Whether it counts towards requirements: not rejected and not expired on `day`."""
        day = day or timezone.localdate()
        return self.status != self.Status.REJECTED and self.valid_until >= day
