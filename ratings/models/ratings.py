"""Two-way, double-blind ratings (中介服务双评价) of a closed contract."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.limits import TEXT_LIMITS

# The criteria each side rates, 1-5 each (DESIGN §4).
OWNER_RATES_AGENCY = ("quality", "timeliness", "attitude", "fee_compliance", "conduct")
AGENCY_RATES_OWNER = ("cooperation", "clarity", "payment")
CRITERION_LABELS = {
    "quality": _("Quality"),
    "timeliness": _("Timeliness"),
    "attitude": _("Attitude"),
    "fee_compliance": _("Fee compliance"),
    "conduct": _("Conduct"),
    "cooperation": _("Cooperation"),
    "clarity": _("Clarity of requirements"),
    "payment": _("Payment on time"),
}


class RatingWindow(models.Model):
    """The rating period of one closed contract; its row is the lock both ratings take, so the
    reveal happens exactly once whoever comes last (a party or the window-close task)."""

    contract = models.OneToOneField("contracts.Contract", on_delete=models.PROTECT,
                                    related_name="rating_window")
    opened_at = models.DateTimeField(_("opened at"))
    closes_at = models.DateTimeField(_("closes at"))
    revealed_at = models.DateTimeField(_("revealed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rating window")
        verbose_name_plural = _("rating windows")
        indexes = [models.Index(fields=["revealed_at", "closes_at"])]

    def __str__(self) -> str:
        return f"{self.contract_id} · {self.closes_at:%Y-%m-%d}"

    def is_open(self, now) -> bool:
        return self.revealed_at is None and now < self.closes_at


class Rating(models.Model):
    class Direction(models.TextChoices):
        OWNER_TO_AGENCY = "owner_to_agency", _("Owner rates agency")
        AGENCY_TO_OWNER = "agency_to_owner", _("Agency rates owner")

    window = models.ForeignKey(RatingWindow, on_delete=models.PROTECT, related_name="ratings")
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT,
                                 related_name="ratings")
    direction = models.CharField(_("direction"), max_length=16, choices=Direction)
    rater = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                              related_name="ratings_given")
    rated = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                              related_name="ratings_received")
    scores = models.JSONField(_("scores"))
    value = models.DecimalField(_("average"), max_digits=4, decimal_places=2)
    comment = models.TextField(_("comment"), max_length=TEXT_LIMITS["comment"], blank=True)
    is_default = models.BooleanField(_("default rating"), default=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    revealed_at = models.DateTimeField(_("revealed at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["contract", "direction"],
                                    name="rating_once_per_party"),
        ]
        indexes = [models.Index(fields=["rated", "revealed_at"])]

    def __str__(self) -> str:
        return f"{self.rater} → {self.rated} · {self.value}"

    @property
    def revealed(self) -> bool:
        return self.revealed_at is not None

    @property
    def criteria(self) -> tuple[str, ...]:
        return (OWNER_RATES_AGENCY if self.direction == self.Direction.OWNER_TO_AGENCY
                else AGENCY_RATES_OWNER)

    @property
    def labelled_scores(self) -> list[tuple[str, int]]:
        """(criterion label, score) in the form's order, for display."""
        return [(CRITERION_LABELS[name], self.scores[name]) for name in self.criteria
                if name in (self.scores or {})]


class RatingReply(models.Model):
    """The rated organization's one public reply to a revealed rating."""

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="reply")
    text = models.TextField(_("reply"), max_length=TEXT_LIMITS["reply"])
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("replied at"), default=timezone.now)

    class Meta:
        verbose_name = _("rating reply")
        verbose_name_plural = _("rating replies")

    def __str__(self) -> str:
        return self.text[:50]
