from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.limits import TEXT_LIMITS


class Draw(models.Model):
    """A verifiable random draw as published (append-only). A project drawn again after an
    upheld objection keeps every draw it made."""

    project = models.ForeignKey("bidding.Project", on_delete=models.CASCADE, related_name="draws")
    commitment = models.CharField(max_length=64)
    secret = models.CharField(max_length=64)
    candidates = models.JSONField(default=list)
    seed = models.CharField(max_length=64)
    index = models.PositiveIntegerField()
    bid = models.ForeignKey("bidding.Bid", on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["drawn_at", "id"]
        verbose_name = _("draw")
        verbose_name_plural = _("draws")

    def __str__(self) -> str:
        return f"{self.project} · {self.seed[:12]}"

    def as_dict(self) -> dict:
        return {"commitment": self.commitment, "secret": self.secret,
                "candidates": list(self.candidates), "seed": self.seed, "index": self.index}


class Award(models.Model):
    """A proposed award (中选结果), public during the publicity period, then final."""

    project = models.ForeignKey("bidding.Project", on_delete=models.CASCADE, related_name="awards")
    bid = models.ForeignKey("bidding.Bid", on_delete=models.PROTECT, related_name="awards")
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    publicity_ends_at = models.DateTimeField(_("publicity ends at"))
    final = models.BooleanField(_("final"), default=False)
    finalized_at = models.DateTimeField(_("final since"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancellation"),
                                     max_length=TEXT_LIMITS["reason"], blank=True)

    class Meta:
        ordering = ["proposed_at", "id"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            # At most one standing (not cancelled) award per project.
            models.UniqueConstraint(fields=["project"], condition=Q(cancelled_at__isnull=True),
                                    name="award_one_standing_per_project"),
        ]

    def __str__(self) -> str:
        return f"{self.project} → {self.bid.agency}"


class Objection(models.Model):
    """An objection (质疑) a bidder files against the proposed award during publicity."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        UPHELD = "upheld", _("Upheld")
        REJECTED = "rejected", _("Rejected")
        MOOT = "moot", _("Closed: the award was cancelled")

    project = models.ForeignKey(
        "bidding.Project", on_delete=models.CASCADE, related_name="objections"
    )
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="objections")
    # The objector's own bid: it is what makes the agency a bidder entitled to object.
    bid = models.ForeignKey("bidding.Bid", on_delete=models.PROTECT, related_name="objections")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=TEXT_LIMITS["objection"])
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.PENDING, db_index=True
    )
    reply = models.TextField(_("reply"), max_length=TEXT_LIMITS["reply"], blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    decided_by_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["filed_at", "id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.project} · {self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
