"""A project's data key for its sealed bids, stored only wrapped (bidding.sealing)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProjectSealKey(models.Model):
    """The project's AES-256 data key wrapped by the key-encryption key `kek_id`; the KEK itself
    is never in the database, so a dump holds no usable key."""

    project = models.OneToOneField("bidding.Project", on_delete=models.CASCADE,
                                   primary_key=True, related_name="seal_key")
    kek_id = models.CharField(_("key-encryption key id"), max_length=64)
    wrapped_key = models.TextField()  # base64 of the AES key wrap (RFC 3394)
    created_at = models.DateTimeField(default=timezone.now)
    rewrapped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("project seal key")
        verbose_name_plural = _("project seal keys")

    def __str__(self) -> str:
        return f"Seal key of project #{self.project_id} ({self.kek_id})"
