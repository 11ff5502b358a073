"""What a party did wrong under a contract, for the credit ledger (ratings reads it)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CreditIncident(models.Model):
    """Append-only. `ratings` turns each incident into a credit event (receiver of
    `contracts.signals.credit_incident`); the table lets it catch up on any it missed."""

    class Kind(models.TextChoices):
        REFUSAL_TO_SIGN = "refusal_to_sign", _("Refused or failed to sign")
        LATE_DELIVERY = "late_delivery", _("Late delivery")
        # A monopoly item's time limit overrun (issue 17 §3), recorded when it runs out.
        TIME_LIMIT_OVERRUN = "time_limit_overrun", _("Time limit overrun")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     related_name="credit_incidents")
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT,
                                 related_name="credit_incidents")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind)
    days = models.PositiveIntegerField(_("days"), default=0)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("credit incident")
        verbose_name_plural = _("credit incidents")
        constraints = [
            models.UniqueConstraint(fields=["contract", "organization", "kind"],
                                    name="credit_incident_once_per_contract"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_kind_display()}"
