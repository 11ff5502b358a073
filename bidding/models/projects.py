from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.limits import TEXT_LIMITS

GRADES = ("A", "B", "C", "D")  # best first


class Project(models.Model):
    """A need an owner posts for bidding (项目需求), with its announcement's terms."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        BIDDING = "bidding", _("Open for bids")
        EVALUATING = "evaluating", _("Bids opened, under evaluation")
        PUBLICITY = "publicity", _("Award under publicity")
        AWARDED = "awarded", _("Awarded")
        FAILED = "failed", _("Failed (too few valid bids)")
        CANCELLED = "cancelled", _("Cancelled")

    class Method(models.TextChoices):
        DIRECT = "direct", _("Direct selection")
        RANDOM = "random", _("Random draw")
        LOWEST_PRICE = "lowest_price", _("Lowest price")
        COMPREHENSIVE = "comprehensive", _("Comprehensive scoring")

    class QuoteFormat(models.TextChoices):
        AMOUNT = "amount", _("Amount")
        DISCOUNT_RATE = "discount_rate", _("Discount rate off the budget cap")

    class FundingSource(models.TextChoices):
        GOVERNMENT_BUDGET = "government_budget", _("Government budget")
        OWN_FUNDS = "own_funds", _("Owner's own funds")
        OTHER = "other", _("Other")

    class Grade(models.TextChoices):
        A = "A", "A"
        B = "B", "B"
        C = "C", "C"
        D = "D", "D"

    owner = models.ForeignKey(
        "accounts.Organization", verbose_name=_("owner"), on_delete=models.PROTECT,
        related_name="projects",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    service_item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name=_("service item"), on_delete=models.PROTECT,
        related_name="projects",
    )
    description = models.TextField(_("description"), max_length=TEXT_LIMITS["description"])
    region = models.ForeignKey(
        "catalog.Region", verbose_name=_("region"), on_delete=models.PROTECT,
        related_name="projects",
    )
    budget_cap = models.DecimalField(
        _("budget cap"), max_digits=14, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    required_qualifications = models.ManyToManyField(
        "providers.QualificationType", verbose_name=_("required qualifications"), blank=True,
        related_name="+",
    )
    min_grade = models.CharField(
        _("minimum credit grade"), max_length=1, choices=Grade, blank=True
    )
    selection_method = models.CharField(_("selection method"), max_length=16, choices=Method)
    # Comprehensive scoring only; they always sum to 100.
    weight_price = models.PositiveSmallIntegerField(_("price weight"), default=60)
    weight_credit = models.PositiveSmallIntegerField(_("credit weight"), default=20)
    weight_commitment = models.PositiveSmallIntegerField(_("service time weight"), default=20)
    bid_deadline = models.DateTimeField(_("bid deadline"))
    min_bidders = models.PositiveSmallIntegerField(
        _("minimum number of valid bids"), default=3, validators=[MinValueValidator(1)]
    )
    complaint_contact = models.CharField(_("complaint contact"), max_length=200, blank=True)
    # Who pays (issue 17 §2): a government owner pays from a budget line (财政资金), never the
    # enterprise whose approval the work serves (`rules.check_funding_source`).
    funding_source = models.CharField(_("funding source"), max_length=24, choices=FundingSource,
                                      default=FundingSource.OWN_FUNDS)
    budget_reference = models.CharField(_("budget line or document number"),
                                        max_length=TEXT_LIMITS["line"], blank=True)
    quote_format = models.CharField(
        _("quote format"), max_length=16, choices=QuoteFormat, default=QuoteFormat.AMOUNT
    )
    # Percentages off the budget cap, for the discount-rate quote format.
    discount_rate_min = models.DecimalField(
        _("minimum discount rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    discount_rate_max = models.DecimalField(
        _("maximum discount rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.DRAFT, db_index=True
    )
    previous_round = models.ForeignKey(
        "self", verbose_name=_("previous round"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="next_rounds",
    )
    # `random` only: the commitment is public from publication; the secret stays in this
    # column until the draw reveals it in a `Draw` row. No serializer ever reads it.
    draw_commitment = models.CharField(_("draw commitment"), max_length=64, blank=True)
    draw_secret = models.CharField(max_length=64, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancellation"),
                                     max_length=TEXT_LIMITS["reason"], blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    failed_reason = models.TextField(_("reason the bidding failed"),
                                     max_length=TEXT_LIMITS["reason"], blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            models.Index(fields=["status", "bid_deadline"]),
            models.Index(fields=["service_item", "status"]),
            # The public list's order has its index, project_public_order, made by migration
            # 0010 for each database: SQLite refuses NULLS LAST in an index (issue 14 §1).
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_price__gte=0, weight_credit__gte=0, weight_commitment__gte=0)
                & Q(weight_price=100 - F("weight_credit") - F("weight_commitment")),
                name="project_weights_sum_100",
            ),
            models.CheckConstraint(condition=Q(budget_cap__gt=0), name="project_budget_positive"),
            models.CheckConstraint(condition=Q(min_bidders__gte=1),
                                   name="project_min_bidders_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # Stable public URL (DESIGN §5); printed on notices.
        return f"/projects/{self.pk}/"

    @property
    def is_opened(self) -> bool:
        return self.opened_at is not None

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_bidding(self) -> bool:
        return self.status == self.Status.BIDDING

    @property
    def weights(self) -> dict:
        return {"price": self.weight_price, "credit": self.weight_credit,
                "commitment": self.weight_commitment}


class Exclusion(models.Model):
    """An agency that may not bid on a project (回避), with the reason."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="exclusions")
    agency = models.ForeignKey(
        "accounts.Organization", verbose_name=_("agency"), on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.TextField(_("reason"), max_length=TEXT_LIMITS["reason"])

    class Meta:
        ordering = ["id"]
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")
        constraints = [
            models.UniqueConstraint(fields=["project", "agency"], name="exclusion_unique_agency")
        ]

    def __str__(self) -> str:
        return f"{self.project} ✕ {self.agency}"


class Amendment(models.Model):
    """A correction notice (更正公告) published while bidding."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="amendments")
    reason = models.TextField(_("reason"), max_length=TEXT_LIMITS["reason"])
    # {field: {"from": old, "to": new}} as published.
    changes = models.JSONField(_("changes"), default=dict)
    previous_deadline = models.DateTimeField(_("previous deadline"))
    bid_deadline = models.DateTimeField(_("bid deadline after the amendment"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["published_at", "id"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self) -> str:
        return f"{self.project} · {self.published_at:%Y-%m-%d %H:%M}"


class Question(models.Model):
    """A question (答疑) about a project. The answer is public; who asked is not."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    asked_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("question"), max_length=TEXT_LIMITS["question"])
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    answer = models.TextField(_("answer"), max_length=TEXT_LIMITS["answer"], blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:60]
