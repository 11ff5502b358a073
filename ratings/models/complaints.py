"""Complaints (投诉) about an agency or an owner: filed by anyone logged in, or by anyone without
an account from the public pages (a `PublicComplainant`, once their contact is verified),
handled and answered by regulators; decided outcomes are public without the complainant's
identity."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.contacts import ContactKind
from marketplace.files import CheckedFile
from marketplace.limits import TEXT_LIMITS


class Complaint(models.Model):
    class Status(models.TextChoices):
        # A public complaint whose contact is not verified yet: nobody handles it, and it is
        # deleted if never verified (ratings.services.public_complaints).
        UNVERIFIED = "unverified", _("Awaiting verification")
        SUBMITTED = "submitted", _("Submitted")
        HANDLING = "handling", _("Being handled")
        UPHELD = "upheld", _("Upheld")
        NOT_UPHELD = "not_upheld", _("Not upheld")

    DECIDED = (Status.UPHELD, Status.NOT_UPHELD)

    subject = models.ForeignKey("accounts.Organization", verbose_name=_("complaint about"),
                                on_delete=models.PROTECT, related_name="complaints")
    # Never shown publicly: only to the complainant and to regulators. Empty for a complaint
    # filed without an account: its `public_complainant` says who filed it.
    complainant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    complainant_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+")
    project = models.ForeignKey("bidding.Project", verbose_name=_("project"),
                                on_delete=models.PROTECT, null=True, blank=True,
                                related_name="complaints")
    text = models.TextField(_("complaint"), max_length=TEXT_LIMITS["statement"])
    status = models.CharField(_("status"), max_length=16, choices=Status,
                              default=Status.SUBMITTED, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    handling_since = models.DateTimeField(_("handled since"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), max_length=TEXT_LIMITS["decision"], blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_by_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+")
    credit_event = models.ForeignKey("ratings.CreditEvent", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [models.Index(fields=["status", "decided_at"])]

    def __str__(self) -> str:
        return f"{self.subject} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return f"/workspace/complaints/{self.pk}/"

    @property
    def is_public_filing(self) -> bool:
        return self.complainant_id is None

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECIDED

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_upheld(self) -> bool:
        return self.status == self.Status.UPHELD


class ComplaintAttachment(CheckedFile):
    """Read by the complainant and regulators only."""

    upload_folder = "complaints"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE,
                                  related_name="attachments")

    class Meta(CheckedFile.Meta):
        verbose_name = _("complaint attachment")
        verbose_name_plural = _("complaint attachments")


class PublicComplainant(models.Model):
    """Who filed a complaint without an account, and the secrets that let them verify their
    contact and follow the complaint. Read by regulators only; never published. Codes and
    tokens are kept as digests (marketplace.contacts)."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE,
                                     related_name="public_complainant")
    name = models.CharField(_("name"), max_length=TEXT_LIMITS["line"])
    contact_kind = models.CharField(_("contact by"), max_length=8, choices=ContactKind)
    contact = models.CharField(_("contact"), max_length=TEXT_LIMITS["line"])
    # The link of the page where the code is typed, before verification.
    verify_token_digest = models.CharField(max_length=64, unique=True)
    code_digest = models.CharField(max_length=64)
    code_expires_at = models.DateTimeField()
    code_attempts = models.PositiveSmallIntegerField(default=0)
    codes_sent = models.PositiveSmallIntegerField(default=1)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # The follow link, made at verification and shown once.
    follow_token_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("public complainant")
        verbose_name_plural = _("public complainants")

    def __str__(self) -> str:
        return self.name
