from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OCDSRelease(models.Model):
    """One OCDS release as published (append-only: written once, in the transaction of the
    change it describes, never updated; issue 17 §5). The change is the audit entry that
    records it, so the release id (`<ocid>-<audit entry id>`) is stable and verifiable."""

    class Kind(models.TextChoices):
        TENDER = "tender", _("Tender")
        AMENDMENT = "amendment", _("Amendment")
        AWARD = "award", _("Award")
        CONTRACT = "contract", _("Contract")
        IMPLEMENTATION = "implementation", _("Implementation")

    project = models.ForeignKey("bidding.Project", on_delete=models.PROTECT,
                                related_name="ocds_releases")
    audit_entry = models.OneToOneField("audit.AuditEntry", on_delete=models.PROTECT,
                                       related_name="+")
    ocid = models.CharField(max_length=120, db_index=True)
    release_id = models.CharField(max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    tag = models.JSONField(default=list)
    # The release's `date`: when the change happened (the audit entry's time).
    date = models.DateTimeField(_("date"))
    data = models.JSONField()
    # True when written by `manage.py ocds_releases --backfill` for a change made before
    # releases were stored (its content is rebuilt as of the change's time, see decisions).
    backfilled = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("OCDS release")
        verbose_name_plural = _("OCDS releases")
        indexes = [models.Index(fields=["date", "id"], name="ocds_release_date_id"),
                   models.Index(fields=["project", "date", "id"], name="ocds_release_project")]

    def __str__(self) -> str:
        return self.release_id
