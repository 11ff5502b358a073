"""Payments under a contract: offline transfers and Stripe Checkout, the provider event ledger,
agencies' Stripe Connect accounts and payouts (DESIGN §4 "Contracts", payments row of §2).

Amounts are Decimal here and integer minor units only at Stripe (`contracts.payments.money`).
Status changes go through the tables in `contracts.payments.states` (`marketplace.states`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.limits import TEXT_LIMITS


class Payment(models.Model):
    """One attempt to pay the contract price, through one provider."""

    class Provider(models.TextChoices):
        OFFLINE = "offline", _("Bank transfer (offline)")
        STRIPE = "stripe", _("Online payment (Stripe)")

    class Status(models.TextChoices):
        # offline
        PENDING = "pending", _("Awaiting the transfer")
        SENT = "sent", _("Transfer recorded by the owner")
        CONFIRMED = "confirmed", _("Receipt confirmed by the agency")
        DISPUTED = "disputed", _("Receipt denied by the agency")
        WITHDRAWN = "withdrawn", _("Withdrawn by the owner before paying")
        # stripe
        CHECKOUT_OPEN = "checkout_open", _("Awaiting online payment")
        PAID = "paid", _("Paid online")
        FAILED = "failed", _("Online payment failed")
        REFUNDED = "refunded", _("Refunded")

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT,
                                 related_name="payments")
    # Stable, unguessable reference: Stripe idempotency keys and metadata use it.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.CharField(_("payment method"), max_length=8, choices=Provider)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=16, choices=Status, db_index=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    # offline: what the owner recorded, what the agency answered
    transfer_amount = models.DecimalField(_("amount transferred"), max_digits=14,
                                          decimal_places=2, null=True, blank=True)
    transfer_date = models.DateField(_("transfer date"), null=True, blank=True)
    transfer_reference = models.CharField(_("transfer reference"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("transfer recorded at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("receipt confirmed at"), null=True, blank=True)
    disputed_at = models.DateTimeField(_("receipt denied at"), null=True, blank=True)
    dispute_reason = models.TextField(_("reason for denying receipt"),
                                      max_length=TEXT_LIMITS["reason"], blank=True)

    # stripe
    stripe_checkout_session_id = models.CharField(max_length=255, null=True, blank=True,
                                                  unique=True)
    checkout_url = models.TextField(_("payment page"), blank=True)
    checkout_expires_at = models.DateTimeField(null=True, blank=True)
    stripe_payment_intent_id = models.CharField(max_length=255, null=True, blank=True,
                                                unique=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    failure_message = models.TextField(_("failure"), blank=True)
    # refunds (on termination before delivery)
    refund_requested_at = models.DateTimeField(_("refund requested at"), null=True, blank=True)
    stripe_refund_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    refunded_amount = models.DecimalField(_("amount refunded"), max_digits=14, decimal_places=2,
                                          null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            # A contract is paid once: at most one payment that is under way or done.
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(status__in=["pending", "sent", "disputed", "confirmed",
                                        "checkout_open", "paid", "refunded"]),
                name="payment_one_live_per_contract"),
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} · {self.amount} {self.currency.upper()}"

    # Paid in full (the contract's money has moved to, or for, the agency).
    SETTLED = frozenset({Status.CONFIRMED, Status.PAID})

    @property
    def is_settled(self) -> bool:
        return self.status in self.SETTLED

    @property
    def is_disputed(self) -> bool:
        return self.status == self.Status.DISPUTED

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_paid(self) -> bool:
        return self.status == self.Status.PAID

    @property
    def is_refunded(self) -> bool:
        return self.status == self.Status.REFUNDED


class PaymentEvent(models.Model):
    """Append-only ledger of everything that happened to payments: each provider event
    (recorded once: `event_id` is unique, so a replayed webhook is a no-op) and each party's
    offline action. Never updated or deleted."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Applied")
        IGNORED = "ignored", _("Recorded, no change")
        UNMATCHED = "unmatched", _("Recorded, no matching payment")

    event_id = models.CharField(max_length=255, unique=True)
    provider = models.CharField(max_length=8, choices=Payment.Provider)
    type = models.CharField(_("event"), max_length=100)
    payload = models.JSONField(default=dict, blank=True)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    status_before = models.CharField(max_length=16, blank=True)
    status_after = models.CharField(max_length=16, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome, default=Outcome.APPLIED)
    note = models.TextField(max_length=TEXT_LIMITS["note"], blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("payment event")
        verbose_name_plural = _("payment events")

    def __str__(self) -> str:
        return f"{self.type} · {self.event_id}"


class StripeAccount(models.Model):
    """An agency's Stripe Connect account, where its payouts go."""

    organization = models.OneToOneField("accounts.Organization", on_delete=models.PROTECT,
                                        related_name="stripe_account")
    account_id = models.CharField(_("Stripe account"), max_length=255, unique=True)
    details_submitted = models.BooleanField(_("details submitted"), default=False)
    charges_enabled = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(_("payouts enabled"), default=False)
    # Stripe's fingerprints of the account's external bank accounts (where payouts go): the
    # same bank account has the same fingerprint on every connected account, so regulators'
    # CN01 flag can tell bidders paid into one bank account. Never the account numbers.
    bank_fingerprints = models.JSONField(_("bank account fingerprints"), default=list,
                                         blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Stripe account")
        verbose_name_plural = _("Stripe accounts")

    def __str__(self) -> str:
        return f"{self.organization} · {self.account_id}"

    @property
    def ready(self) -> bool:
        return self.details_submitted and self.payouts_enabled


class Payout(models.Model):
    """The agency's share of what the owner paid through Stripe, transferred to its connected
    account on acceptance (a Connect Transfer in the contract's transfer group). One per
    contract."""

    class Status(models.TextChoices):
        WAITING = "waiting_for_account", _("Waiting for the agency's Stripe account")
        PENDING = "pending", _("Being transferred")
        SENT = "sent", _("Transferred")

    contract = models.OneToOneField("contracts.Contract", on_delete=models.PROTECT,
                                    related_name="payout")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                               related_name="payouts")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    transfer_group = models.CharField(max_length=100)
    status = models.CharField(_("status"), max_length=20, choices=Status)
    destination = models.CharField(max_length=255, blank=True)
    stripe_transfer_id = models.CharField(max_length=255, null=True, blank=True, unique=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("transferred at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.amount} {self.currency.upper()}"
