"""Violation cases (due process, DESIGN §4 "Blacklist"): an owner or a regulator opens a case
against an organization with evidence; the organization has a reply period to answer with its
own; a regulator then decides in writing. The state table is `ratings.services.cases.ALLOWED`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.files import CheckedFile
from marketplace.limits import TEXT_LIMITS


class ViolationCase(models.Model):
    class Grounds(models.TextChoices):
        REFUSAL_TO_SIGN = "refusal_to_sign", _("Refusal to sign the contract")
        CONTRACT_BREACH = "contract_breach", _("Breach of contract")
        NON_COMPLIANT_WORK = "non_compliant_work", _("Non-compliant work")
        FALSE_MATERIALS = "false_materials", _("False materials")
        COLLUSION = "collusion", _("Collusion in bidding")

    class Status(models.TextChoices):
        AWAITING_REPLY = "awaiting_reply", _("Awaiting the organization's reply")
        REPLIED = "replied", _("Replied, awaiting decision")
        UPHELD = "upheld", _("Upheld")
        DECLINED = "declined", _("Declined")

    class DeclineReason(models.TextChoices):
        NONE = "", _("—")
        NO_VIOLATION = "no_violation", _("No violation")
        INSUFFICIENT_EVIDENCE = "insufficient_evidence", _("Insufficient evidence")

    respondent = models.ForeignKey("accounts.Organization", verbose_name=_("organization"),
                                   on_delete=models.PROTECT, related_name="violation_cases")
    opened_by_organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("opened by"), on_delete=models.PROTECT,
        related_name="violation_cases_opened")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    project = models.ForeignKey("bidding.Project", verbose_name=_("project"),
                                on_delete=models.PROTECT, null=True, blank=True,
                                related_name="violation_cases")
    grounds = models.CharField(_("grounds"), max_length=24, choices=Grounds)
    statement = models.TextField(_("statement of facts"), max_length=TEXT_LIMITS["statement"])
    status = models.CharField(_("status"), max_length=16, choices=Status,
                              default=Status.AWAITING_REPLY, db_index=True)
    opened_at = models.DateTimeField(_("opened at"))
    reply_due_at = models.DateTimeField(_("reply due by"))
    reply = models.TextField(_("the organization's reply"),
                             max_length=TEXT_LIMITS["reply"], blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decision = models.TextField(_("written decision"),
                                max_length=TEXT_LIMITS["decision"], blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=24,
                                      choices=DeclineReason, blank=True, default="")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_by_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+")
    credit_event = models.ForeignKey("ratings.CreditEvent", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    blacklist_entry = models.ForeignKey("ratings.BlacklistEntry", on_delete=models.PROTECT,
                                        null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("violation case")
        verbose_name_plural = _("violation cases")
        indexes = [models.Index(fields=["respondent", "status"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(reply_due_at__gte=models.F("opened_at")),
                                   name="violation_case_reply_due_after_opening"),
            models.CheckConstraint(
                condition=~models.Q(status="upheld") | models.Q(decline_reason=""),
                name="violation_case_upheld_not_declined"),
        ]

    def __str__(self) -> str:
        return f"{self.respondent} · {self.get_grounds_display()}"

    def get_absolute_url(self) -> str:
        return f"/workspace/cases/{self.pk}/"

    @property
    def is_decided(self) -> bool:
        return self.status in (self.Status.UPHELD, self.Status.DECLINED)


class CaseEvidence(CheckedFile):
    """Evidence filed by the party that opened the case or by the organization in reply."""

    class Party(models.TextChoices):
        OPENER = "opener", _("The party that opened the case")
        RESPONDENT = "respondent", _("The organization concerned")

    upload_folder = "cases"

    case = models.ForeignKey(ViolationCase, on_delete=models.CASCADE, related_name="evidence")
    party = models.CharField(_("filed by"), max_length=16, choices=Party)

    class Meta(CheckedFile.Meta):
        verbose_name = _("case evidence")
        verbose_name_plural = _("case evidence")
