"""Red flags (issue 15 §1; DESIGN §3 `ratings/redflags/`): procurement indicators computed
set-based over the bids, awards and projects of opened projects, for regulators only. A flag is
a pointer, never a sanction: it changes no credit; a regulator may open a violation case from
it or dismiss it with a reason. The computation is `ratings.redflags.indicators`, the run and
the dismissal `ratings.services.redflags`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.limits import TEXT_LIMITS


class Indicator(models.TextChoices):
    """Named by their codes in the Cardinal library (open-contracting/cardinal-rs); ours,
    which Cardinal does not have, by CN codes."""

    R003 = "R003", _("Short submission period")
    R018 = "R018", _("Single bid received")
    R024 = "R024", _("Price close to winning bid")
    R025 = "R025", _("Excessive unsuccessful bids")
    R028 = "R028", _("Identical bid prices")
    R030 = "R030", _("Late bid won")
    R035 = "R035", _("All except winning bid disqualified")
    R036 = "R036", _("Lowest bid disqualified")
    R038 = "R038", _("Excessive disqualified bids")
    R058 = "R058", _("Heavily discounted bid")
    # China-specific (issue 15 §1), not in Cardinal.
    CN01 = "CN01", _("Shared identity")
    CN02 = "CN02", _("Bid rotation")
    CN03 = "CN03", _("Cover bidding")
    CN04 = "CN04", _("Owner favouritism")
    CN05 = "CN05", _("Repeated non-competitive awards")


class RedFlagRun(models.Model):
    """One computation of every indicator (nightly by the beat, or on demand)."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    # {indicator: number of flags that hold after this run}
    counts = models.JSONField(_("flags per indicator"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("red-flag run")
        verbose_name_plural = _("red-flag runs")

    def __str__(self) -> str:
        return f"Red-flag run #{self.pk}"


class RedFlag(models.Model):
    """What one indicator found about one project or one organization. `key` identifies the
    finding within its indicator ("project:12", "agency:5", "owner:3"): a run updates the row
    it finds again instead of adding one. A flag that no longer holds is closed (`cleared_at`),
    never deleted; a dismissed flag keeps its dismissal whatever later runs find."""

    indicator = models.CharField(_("indicator"), max_length=8, choices=Indicator)
    key = models.CharField(max_length=64)
    project = models.ForeignKey("bidding.Project", verbose_name=_("project"),
                                on_delete=models.CASCADE, null=True, blank=True,
                                related_name="red_flags")
    organizations = models.ManyToManyField("accounts.Organization", through="RedFlagParty",
                                           related_name="red_flags", blank=True)
    # The numbers behind the flag and the fence it crossed (strings for money, floats for
    # ratios), as the indicator computed them.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    created_at = models.DateTimeField(_("first raised at"))
    computed_at = models.DateTimeField(_("last confirmed at"))
    run = models.ForeignKey(RedFlagRun, on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="flags")
    cleared_at = models.DateTimeField(_("no longer holds since"), null=True, blank=True)
    dismissed_at = models.DateTimeField(_("dismissed at"), null=True, blank=True)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    dismissed_reason = models.TextField(_("reason for dismissal"),
                                        max_length=TEXT_LIMITS["reason"], blank=True)

    class Meta:
        ordering = ["-computed_at", "indicator", "-id"]
        verbose_name = _("red flag")
        verbose_name_plural = _("red flags")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "key"], name="red_flag_unique_key"),
            models.CheckConstraint(
                condition=Q(dismissed_at__isnull=True) | ~Q(dismissed_reason=""),
                name="red_flag_dismissal_has_reason"),
        ]
        indexes = [models.Index(fields=["indicator", "cleared_at", "dismissed_at"])]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.key}"

    @property
    def is_dismissed(self) -> bool:
        return self.dismissed_at is not None

    @property
    def is_open(self) -> bool:
        return self.dismissed_at is None and self.cleared_at is None


class RedFlagParty(models.Model):
    """An organization a flag names, with its role in it."""

    class Role(models.TextChoices):
        WINNER = "winner", _("Winner")
        RUNNER_UP = "runner_up", _("Runner-up")
        BIDDER = "bidder", _("Bidder")
        AGENCY = "agency", _("Agency")
        OWNER = "owner", _("Owner")

    flag = models.ForeignKey(RedFlag, on_delete=models.CASCADE, related_name="parties")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE,
                                     related_name="+")
    role = models.CharField(_("role"), max_length=16, choices=Role)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["flag", "organization", "role"],
                                               name="red_flag_party_unique")]

    def __str__(self) -> str:
        return f"{self.flag} · {self.role}"
