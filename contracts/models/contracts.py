"""A contract drawn up from a final award, its template and its signatures (合同网签)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.limits import TEXT_LIMITS
from marketplace.uploads import private_storage


class ContractTemplate(models.Model):
    """A versioned contract text (a Django template). Regulators edit by adding a version; a
    contract records the version it was drawn from, so an edit never changes a drawn-up text."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("template text"), max_length=TEXT_LIMITS["template"])
    is_active = models.BooleanField(_("in use"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("contract template")
        verbose_name_plural = _("contract templates")
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=models.Q(is_active=True),
                                    name="contract_template_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class Contract(models.Model):
    """The contract between the owner and the winning agency. `text` is frozen when drawn up
    and `text_sha256` is what both parties sign."""

    class Status(models.TextChoices):
        AWAITING_SIGNATURES = "awaiting_signatures", _("Awaiting signatures")
        ACTIVE = "active", _("In force")
        DELIVERED = "delivered", _("Delivered")
        COMPLETED = "completed", _("Completed")
        TERMINATED = "terminated", _("Terminated")
        LAPSED = "lapsed", _("Not signed in time")

    class Party(models.TextChoices):
        OWNER = "owner", _("The owner")
        AGENCY = "agency", _("The agency")
        NEITHER = "neither", _("Neither party")

    # `project.contract` is the manager bidding.selectors.contract_id reads (latest contract).
    project = models.ForeignKey("bidding.Project", on_delete=models.PROTECT,
                                related_name="contract")
    # One contract per final award: drawing up twice (two workers, a replayed signal) is refused
    # by the database.
    award = models.OneToOneField("bidding.Award", on_delete=models.PROTECT,
                                 related_name="contract")
    bid = models.ForeignKey("bidding.Bid", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                              related_name="contracts_as_owner")
    agency = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                               related_name="contracts_as_agency")
    template = models.ForeignKey(ContractTemplate, on_delete=models.PROTECT, related_name="+")
    template_version = models.PositiveIntegerField(_("template version"))
    price = models.DecimalField(_("contract price"), max_digits=14, decimal_places=2)
    promised_days = models.PositiveIntegerField(_("promised days"))
    text = models.TextField(_("contract text"))
    text_sha256 = models.CharField(_("SHA-256 of the text"), max_length=64)
    status = models.CharField(_("status"), max_length=24, choices=Status,
                              default=Status.AWAITING_SIGNATURES, db_index=True)
    created_at = models.DateTimeField(_("drawn up at"), default=timezone.now)
    signing_deadline = models.DateTimeField(_("sign by"))
    # The service clock starts when both parties have signed.
    activated_at = models.DateTimeField(_("in force since"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    terminated_at = models.DateTimeField(_("terminated at"), null=True, blank=True)
    lapsed_at = models.DateTimeField(_("lapsed at"), null=True, blank=True)
    # Why it lapsed when it was not the window or a refusal: the agency was sanctioned.
    lapse_reason = models.TextField(_("reason the contract lapsed"),
                                    max_length=TEXT_LIMITS["reason"], blank=True)
    termination_reason = models.TextField(_("reason for termination"),
                                          max_length=TEXT_LIMITS["reason"], blank=True)
    at_fault = models.CharField(_("party at fault"), max_length=8, choices=Party, blank=True)
    terminated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+")
    # A monopoly item's time-limited service (限时服务, issue 17 §3): the limit its competent
    # department set, as published when the project was, copied when the contract is drawn
    # up. Null: not a monopoly item. The service clock runs against it (contracts.clock).
    time_limit_days = models.PositiveIntegerField(_("time limit (days)"), null=True, blank=True)
    competent_department = models.CharField(_("competent department"),
                                            max_length=TEXT_LIMITS["line"], blank=True)
    # When the parties and the regulators were told the limit is near (once).
    time_limit_warned_at = models.DateTimeField(_("time limit warning sent at"), null=True,
                                                blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        indexes = [models.Index(fields=["owner", "status"]),
                   models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.project} · {self.agency}"

    # Performance is over, for better or worse: ratable, paid out or refunded (the
    # `contract_closed` signal). A lapsed contract never came into force and is not closed.
    CLOSED = frozenset({Status.COMPLETED, Status.TERMINATED})

    @property
    def is_time_limited(self) -> bool:
        return self.time_limit_days is not None

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED

    @property
    def is_awaiting_signatures(self) -> bool:
        return self.status == self.Status.AWAITING_SIGNATURES

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_delivered(self) -> bool:
        return self.status == self.Status.DELIVERED

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def is_terminated(self) -> bool:
        return self.status == self.Status.TERMINATED


class Signature(models.Model):
    """One party's signature over the contract text's hash; append-only."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="signatures")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT,
                                     related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)
    text_sha256 = models.CharField(_("signed SHA-256"), max_length=64)
    # The organization's digital signature (contracts.pades): the certificate it was made
    # under and the PDF as it stood after this signature (each signer adds a revision).
    certificate_serial = models.CharField(_("certificate serial number"), max_length=48,
                                          blank=True)
    signed_pdf = models.FileField(_("signed PDF"), upload_to="contracts/signed/%Y/%m/",
                                  storage=private_storage, blank=True)

    class Meta:
        ordering = ["signed_at", "id"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(fields=["contract", "organization"],
                                    name="signature_one_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.signed_at:%Y-%m-%d %H:%M}"
