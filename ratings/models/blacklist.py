"""The blacklist (黑名单), appeals, credit repair (信用修复) and market exit (清退)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.files import CheckedFile
from marketplace.limits import TEXT_LIMITS


class BlacklistEntry(models.Model):
    class Source(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatic rule")
        REGULATOR = "regulator", _("Regulator decision")

    class Status(models.TextChoices):
        # Not "Active": an organization's "Active" reads 正常 (in good standing), the opposite
        # of an entry in force (生效中).
        ACTIVE = "active", _("Currently listed")
        LIFTED = "lifted", _("Lifted")
        EXPIRED = "expired", _("Expired")

    class Rule(models.TextChoices):
        GRADE_D = "grade_d", _("Credit grade D")
        SERIOUS_EVENT = "serious_event", _("Serious violation")
        REFUSALS_TO_SIGN = "refusals_to_sign", _("Repeated refusals to sign")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     related_name="blacklist_entries")
    reason = models.TextField(_("reason"), max_length=TEXT_LIMITS["reason"])
    basis = models.TextField(_("basis"), max_length=TEXT_LIMITS["basis"], blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source)
    rule = models.CharField(_("rule"), max_length=24, choices=Rule, blank=True)
    credit_event = models.ForeignKey("ratings.CreditEvent", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    starts_at = models.DateTimeField(_("listed from"))
    ends_at = models.DateTimeField(_("listed until"))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    lift_reason = models.TextField(_("reason for lifting"),
                                   max_length=TEXT_LIMITS["reason"], blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("blacklist entry")
        verbose_name_plural = _("blacklist entries")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="blacklist_entry_ends_after_start"),
            # One automatic entry per triggering credit event, however often a rule is checked.
            models.UniqueConstraint(fields=["credit_event", "rule"],
                                    condition=models.Q(credit_event__isnull=False),
                                    name="blacklist_entry_once_per_event"),
        ]
        indexes = [models.Index(fields=["status", "ends_at"]),
                   models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"{self.organization} · {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"

    @property
    def is_listed(self) -> bool:
        """Still in force as far as its status goes (`is_active` also reads the clock)."""
        return self.status == self.Status.ACTIVE

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.ACTIVE and self.starts_at <= now < self.ends_at


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class BlacklistAppeal(models.Model):
    """The listed organization's appeal against an entry; upheld lifts the entry."""

    Status = Decision

    entry = models.ForeignKey(BlacklistEntry, on_delete=models.PROTECT, related_name="appeals")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     related_name="+")
    text = models.TextField(_("grounds of appeal"), max_length=TEXT_LIMITS["statement"])
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=16, choices=Decision,
                              default=Decision.PENDING)
    reply = models.TextField(_("regulator's reply"), max_length=TEXT_LIMITS["reply"], blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("blacklist appeal")
        verbose_name_plural = _("blacklist appeals")
        constraints = [
            models.UniqueConstraint(fields=["entry"], condition=models.Q(status="pending"),
                                    name="blacklist_appeal_one_pending_per_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_status_display()}"


class AppealEvidence(CheckedFile):
    upload_folder = "blacklist/appeals"

    appeal = models.ForeignKey(BlacklistAppeal, on_delete=models.CASCADE,
                               related_name="evidence")

    class Meta(CheckedFile.Meta):
        verbose_name = _("appeal evidence")
        verbose_name_plural = _("appeal evidence")


class CreditRepairRequest(models.Model):
    """信用修复: after the minimum period, the organization shows it has put things right."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    entry = models.ForeignKey(BlacklistEntry, on_delete=models.PROTECT,
                              related_name="repair_requests")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     related_name="+")
    text = models.TextField(_("corrective measures taken"), max_length=TEXT_LIMITS["statement"])
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PENDING)
    reply = models.TextField(_("regulator's reply"), max_length=TEXT_LIMITS["reply"], blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("credit repair request")
        verbose_name_plural = _("credit repair requests")
        constraints = [
            models.UniqueConstraint(fields=["entry"], condition=models.Q(status="pending"),
                                    name="credit_repair_one_pending_per_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_status_display()}"


class RepairEvidence(CheckedFile):
    upload_folder = "blacklist/repairs"

    request = models.ForeignKey(CreditRepairRequest, on_delete=models.CASCADE,
                                related_name="evidence")

    class Meta(CheckedFile.Meta):
        verbose_name = _("credit repair evidence")
        verbose_name_plural = _("credit repair evidence")


class MarketExit(models.Model):
    """清退: a regulator expelled the organization; its USCC may not register until `ends_at`."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     related_name="market_exits")
    reason = models.TextField(_("reason"), max_length=TEXT_LIMITS["reason"])
    basis = models.TextField(_("basis"), max_length=TEXT_LIMITS["basis"], blank=True)
    starts_at = models.DateTimeField(_("expelled at"))
    ends_at = models.DateTimeField(_("excluded until"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("market exit")
        verbose_name_plural = _("market exits")

    def __str__(self) -> str:
        return f"{self.organization} · {self.starts_at:%Y-%m-%d}"
