"""The credit ledger (DESIGN §4 "Credit events"): append-only, corrections are reversals."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.limits import TEXT_LIMITS


class CreditEvent(models.Model):
    """One entry of an organization's credit ledger. Never updated or deleted.

    `points` are deducted from the score while the event is in force (`occurred_at` ≤ now <
    `expires_at`, and not reversed); a `rating_received` event carries the rating's value on the
    1-5 scale in `rating_value`, which feeds the Bayesian average instead.
    """

    class Type(models.TextChoices):
        RATING_RECEIVED = "rating_received", _("Rating received")
        REFUSAL_TO_SIGN = "refusal_to_sign", _("Refusal to sign")
        LATE_DELIVERY = "late_delivery", _("Late delivery")
        TIME_LIMIT_OVERRUN = "time_limit_overrun", _("Time limit overrun")
        OBJECTION_UPHELD = "objection_upheld", _("Objection upheld")
        COMPLAINT_UPHELD = "complaint_upheld", _("Complaint upheld")
        COMMITMENT_BREACH = "commitment_breach", _("Commitment breach")
        FALSE_MATERIALS = "false_materials", _("False materials")
        COLLUSION = "collusion", _("Collusion")
        INSPECTION_FAILED = "inspection_failed", _("Inspection failed")
        INSPECTION_PASSED = "inspection_passed", _("Inspection passed")
        REGULATOR_DECISION = "regulator_decision", _("Regulator decision")
        REVERSAL = "reversal", _("Correction")

    class Severity(models.TextChoices):
        INFO = "info", _("Information")
        MINOR = "minor", _("Minor")
        MAJOR = "major", _("Major")
        SERIOUS = "serious", _("Serious")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     related_name="credit_events")
    event_type = models.CharField(_("type"), max_length=32, choices=Type)
    severity = models.CharField(_("severity"), max_length=16, choices=Severity)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    rating_value = models.DecimalField(_("rating"), max_digits=4, decimal_places=2, null=True,
                                       blank=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    expires_at = models.DateTimeField(_("counts until"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    public_note = models.TextField(_("public note"), max_length=TEXT_LIMITS["note"], blank=True)
    basis = models.TextField(_("basis"), max_length=TEXT_LIMITS["basis"], blank=True)
    source_kind = models.CharField(_("source"), max_length=40, blank=True)
    source_id = models.PositiveBigIntegerField(_("source id"), null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="reversal", verbose_name=_("corrects"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("credit event")
        verbose_name_plural = _("credit events")
        constraints = [
            # A replayed source (a signal sent twice, a task run twice) records once.
            models.UniqueConstraint(
                fields=["event_type", "source_kind", "source_id"],
                condition=models.Q(source_id__isnull=False),
                name="credit_event_once_per_source",
            ),
            models.CheckConstraint(
                condition=models.Q(event_type="reversal", reverses__isnull=False)
                | (~models.Q(event_type="reversal") & models.Q(reverses__isnull=True)),
                name="credit_event_reversal_references_event",
            ),
        ]
        indexes = [models.Index(fields=["organization", "occurred_at"]),
                   models.Index(fields=["event_type", "occurred_at"]),
                   # The credit overview's latest events: read newest first, not sorted whole.
                   models.Index(fields=["-recorded_at", "-id"], name="credit_event_recent")]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} · {self.organization_id} · {self.points}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Credit events are append-only; record a reversal instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Credit events are append-only; record a reversal instead.")

    def in_force(self, now) -> bool:
        return (self.event_type != self.Type.REVERSAL and self.occurred_at <= now
                and (self.expires_at is None or self.expires_at > now)
                and not self.is_reversed)

    @property
    def is_reversed(self) -> bool:
        try:
            return self.reversal is not None
        except CreditEvent.DoesNotExist:
            return False


class ScoreChange(models.Model):
    """Append-only history of an organization's standing: one row each time a recompute changes
    its score or grade (the public chart of the credit page). The organization row holds the
    current standing; this table holds how it got there."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     related_name="score_changes")
    recorded_at = models.DateTimeField(_("recorded at"))
    score = models.DecimalField(_("credit score"), max_digits=5, decimal_places=2)
    grade = models.CharField(_("credit grade"), max_length=1)

    class Meta:
        ordering = ["organization", "recorded_at", "id"]
        verbose_name = _("score change")
        verbose_name_plural = _("score changes")
        indexes = [models.Index(fields=["organization", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.organization_id} · {self.recorded_at:%Y-%m-%d} · {self.score}"
