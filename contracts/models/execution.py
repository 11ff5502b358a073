"""Execution of a contract in force: suspensions of the work, deliveries and their files."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.files import CheckedFile
from marketplace.limits import TEXT_LIMITS


class Suspension(models.Model):
    """The owner suspended the work (waiting for its own input): the service clock stands still
    from `started_at` until `ended_at` (the owner resumed, or the contract closed)."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT,
                                 related_name="suspensions")
    reason = models.TextField(_("reason"), max_length=TEXT_LIMITS["reason"])
    started_at = models.DateTimeField(_("suspended at"), default=timezone.now)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    ended_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        constraints = [
            # At most one open suspension: two owners' clicks cannot stack pauses.
            models.UniqueConstraint(fields=["contract"], condition=Q(ended_at__isnull=True),
                                    name="suspension_one_open_per_contract"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} · {self.started_at:%Y-%m-%d}"


class SanctionReview(models.Model):
    """The agency of a contract in force was blacklisted, suspended or removed from the market:
    the owner decides whether to continue the contract or terminate it (DESIGN §4, decisions
    "Sanctions"). While the decision is pending the agency delivers nothing new."""

    class Decision(models.TextChoices):
        PENDING = "", _("Not decided")
        CONTINUE = "continue", _("Continue the contract")
        TERMINATE = "terminate", _("Terminate the contract")

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT,
                                 related_name="sanction_reviews")
    sanction = models.CharField(_("sanction"), max_length=16)
    reason = models.TextField(_("reason"), max_length=TEXT_LIMITS["reason"])
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision, blank=True,
                                default=Decision.PENDING)
    note = models.TextField(_("note"), max_length=TEXT_LIMITS["note"], blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["opened_at", "id"]
        verbose_name = _("sanction review")
        verbose_name_plural = _("sanction reviews")
        constraints = [
            # One open question per contract: a second sanction adds to the pending one.
            models.UniqueConstraint(fields=["contract"], condition=Q(decision=""),
                                    name="sanction_review_one_pending_per_contract"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} · {self.sanction}"

    @property
    def is_pending(self) -> bool:
        return self.decision == self.Decision.PENDING


class Delivery(models.Model):
    """One delivery of the work (repeated after a rejection); the owner accepts or rejects."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Awaiting the owner's decision")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT,
                                 related_name="deliveries")
    note = models.TextField(_("note"), max_length=TEXT_LIMITS["note"])
    delivered_at = models.DateTimeField(_("delivered at"), default=timezone.now)
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    # The service clock when delivered (seconds, suspensions excluded).
    service_seconds = models.PositiveBigIntegerField(_("service time used (seconds)"), default=0)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome, blank=True,
                               default=Outcome.PENDING)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    reason = models.TextField(_("reasons for rejection"),
                              max_length=TEXT_LIMITS["reason"], blank=True)

    class Meta:
        ordering = ["delivered_at", "id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.contract_id} · {self.delivered_at:%Y-%m-%d %H:%M}"


class DeliveryFile(CheckedFile):
    upload_folder = "deliveries"

    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="files")

    class Meta(CheckedFile.Meta):
        verbose_name = _("delivered file")
        verbose_name_plural = _("delivered files")
