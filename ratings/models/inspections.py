"""Random inspections (双随机、一公开): a regulator's plan draws K agencies at random from a
filtered pool and assigns inspectors at random from its own staff, with the verifiable draw of
`marketplace.draw`; results are recorded per agency and published."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.limits import TEXT_LIMITS


class InspectionPlan(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned, not drawn yet")
        DRAWN = "drawn", _("Drawn, inspections under way")
        COMPLETED = "completed", _("Completed")

    regulator = models.ForeignKey("accounts.Organization", verbose_name=_("regulator"),
                                  on_delete=models.PROTECT, related_name="inspection_plans")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    title = models.CharField(_("title"), max_length=200)
    # The pool's filters; empty means "any".
    service_item = models.ForeignKey("catalog.ServiceItem", verbose_name=_("service item"),
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    region = models.ForeignKey("catalog.Region", verbose_name=_("region"),
                               on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    grades = models.JSONField(_("credit grades"), default=list, blank=True)
    sample_size = models.PositiveSmallIntegerField(_("agencies to draw"))
    inspectors_per_agency = models.PositiveSmallIntegerField(_("inspectors per agency"),
                                                             default=2)
    status = models.CharField(_("status"), max_length=16, choices=Status,
                              default=Status.PLANNED, db_index=True)
    created_at = models.DateTimeField(_("created at"))
    # Public from creation; the secret stays here, unread by any serializer, until the draw.
    draw_commitment = models.CharField(_("draw commitment"), max_length=64)
    draw_secret = models.CharField(max_length=64, editable=False)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+")
    # As published at the draw: the pool's USCCs and the inspector candidates' codes.
    pool = models.JSONField(_("agency pool"), default=list, blank=True)
    inspector_pool = models.JSONField(_("inspector pool"), default=list, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        constraints = [
            models.CheckConstraint(condition=models.Q(sample_size__gte=1),
                                   name="inspection_plan_sample_positive"),
            models.CheckConstraint(condition=models.Q(inspectors_per_agency__gte=1),
                                   name="inspection_plan_inspectors_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/inspections/{self.pk}/"

    @property
    def is_drawn(self) -> bool:
        return self.drawn_at is not None

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED

    @property
    def revealed_secret(self) -> str:
        """The secret, once the draw has made it public; empty before."""
        return self.draw_secret if self.is_drawn else ""


class InspectionTarget(models.Model):
    """One drawn agency, the draw round that picked it, its inspectors and its result."""

    class Result(models.TextChoices):
        PENDING = "pending", _("Pending")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="targets")
    agency = models.ForeignKey("accounts.Organization", verbose_name=_("agency"),
                               on_delete=models.PROTECT, related_name="inspections")
    position = models.PositiveSmallIntegerField(_("draw round"))
    # The round of the agency draw (candidates = the pool minus the earlier winners).
    seed = models.CharField(max_length=64)
    index = models.PositiveIntegerField()
    # [{"seed", "index", "code"}]: the inspector draw, with the secret derived for this agency.
    inspector_draws = models.JSONField(default=list)
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+",
                                        verbose_name=_("inspectors"))
    result = models.CharField(_("result"), max_length=16, choices=Result,
                              default=Result.PENDING)
    findings = models.TextField(_("findings"), max_length=TEXT_LIMITS["decision"], blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    credit_event = models.ForeignKey("ratings.CreditEvent", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        constraints = [
            models.UniqueConstraint(fields=["plan", "agency"], name="inspection_agency_once"),
            models.UniqueConstraint(fields=["plan", "position"],
                                    name="inspection_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.agency}"
