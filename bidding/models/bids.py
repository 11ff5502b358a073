from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.limits import TEXT_LIMITS
from providers.models import Commitments

# The columns a sealed bid keeps only in `sealed_contents`.
SEALED_FIELDS = ("price", "discount_rate", "proposal")


class Bid(Commitments):
    """A sealed bid. It keeps its own copy of the agency's three commitments as they stood when
    it was sealed; `promised_days` is the service time this bid promises (never more than the
    agency's public commitment)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DISQUALIFIED = "disqualified", _("Disqualified")

    class Decision(models.TextChoices):
        PENDING = "", _("Not decided")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    # Only a submitted bid is live; the partial unique constraint below keeps one per agency.
    LIVE_STATUSES = (Status.SUBMITTED,)

    project = models.ForeignKey("bidding.Project", on_delete=models.CASCADE, related_name="bids")
    agency = models.ForeignKey(
        "accounts.Organization", verbose_name=_("agency"), on_delete=models.PROTECT,
        related_name="bids",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Price, rate and proposal are empty in the database while the bid is sealed: they are in
    # `sealed_contents` (bidding.sealing) until the opening writes them back.
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=2, null=True,
                                blank=True)
    # Discount-rate projects: the rate quoted (percent off the budget cap); `price` is derived.
    discount_rate = models.DecimalField(
        _("discount rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    proposal = models.TextField(_("proposal"), max_length=TEXT_LIMITS["proposal"], blank=True)
    attachment_hashes = models.JSONField(default=list, blank=True)
    # AES-GCM ciphertext (base64) of {price, discount_rate, proposal}; "" once opened.
    sealed_contents = models.TextField(blank=True, default="")
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.SUBMITTED
    )
    # The receipt: sha256 of the canonical serialization of the sealed content plus `salt`.
    receipt = models.CharField(_("receipt"), max_length=64)
    salt = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(_("sealed at"))
    submitted_at = models.DateTimeField(_("submitted at"))
    revised_at = models.DateTimeField(_("revised at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    needs_reconfirmation = models.BooleanField(_("needs re-confirmation"), default=False)
    confirmed_at = models.DateTimeField(_("re-confirmed at"), null=True, blank=True)
    # Set at opening.
    valid = models.BooleanField(_("valid"), null=True)
    invalid_reason = models.TextField(_("reason it is invalid"),
                                      max_length=TEXT_LIMITS["reason"], blank=True)
    # Where the bid was submitted from (issue 15 §1 "shared identity"): for regulators' red
    # flags only, never shown to anyone else, blanked after MARKETPLACE_BID_CLIENT_RETENTION_DAYS.
    client_ip = models.GenericIPAddressField(_("submitted from (IP address)"), null=True,
                                             blank=True)
    client_agent_hash = models.CharField(_("browser fingerprint"), max_length=64, blank=True)
    credit_score_at_opening = models.DecimalField(
        _("credit score at opening"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    score = models.JSONField(_("score breakdown"), default=dict, blank=True)
    abnormally_low = models.BooleanField(_("abnormally low price"), default=False)
    justification = models.TextField(_("justification of the price"),
                                     max_length=TEXT_LIMITS["justification"], blank=True)
    justified_at = models.DateTimeField(null=True, blank=True)
    justification_decision = models.CharField(
        _("decision on the justification"), max_length=16, choices=Decision, blank=True,
        default=Decision.PENDING,
    )
    justification_reply = models.TextField(_("owner's reply"),
                                           max_length=TEXT_LIMITS["reply"], blank=True)
    justification_decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "agency"], condition=Q(status="submitted"),
                name="bid_one_live_per_agency",
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="bid_price_not_negative"),
        ]
        indexes = [
            models.Index(fields=["project", "status"]),
            # Covers the red flags' per-agency counts (R025, R038): read in agency order
            # without visiting the table, a million rows in seconds on SQLite.
            models.Index(fields=["agency", "valid", "status", "project"],
                         name="bid_agency_valid_status"),
        ]

    def __str__(self) -> str:
        # No price or content: the string may end up in logs and audit entries.
        return f"Bid #{self.pk}"

    def save(self, *args, **kwargs):
        # Whatever a caller holds in memory (the agency's revealed bid), a sealed bid's
        # plaintext columns are written empty; only `bidding.sealing` fills the blob.
        if not self.sealed_contents:
            return super().save(*args, **kwargs)
        kept = [getattr(self, name) for name in SEALED_FIELDS]
        self.price, self.discount_rate, self.proposal = None, None, ""
        try:
            super().save(*args, **kwargs)
        finally:
            self.price, self.discount_rate, self.proposal = kept

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES

    @property
    def awaits_justification_decision(self) -> bool:
        return self.abnormally_low and self.valid and not self.justification_decision
