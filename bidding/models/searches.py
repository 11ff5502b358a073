"""Saved project searches (issue 17 §5): a user keeps the public list's filters under a name and
hears of new matching projects, at once or in a daily digest. A match row records each project
delivered for a search, once (the unique constraint): never the same project twice."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.limits import TEXT_LIMITS


class SavedSearch(models.Model):
    class Frequency(models.TextChoices):
        INSTANT = "instant", _("At once")
        DAILY = "daily", _("Daily digest")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="saved_searches")
    name = models.CharField(_("name"), max_length=TEXT_LIMITS["line"])
    # The list page's query string, normalized: only its filters, in a fixed order.
    query = models.CharField(_("search"), max_length=TEXT_LIMITS["query"], blank=True)
    # Copied from `query` so that the candidates for a new project are found in SQL.
    service_item = models.ForeignKey("catalog.ServiceItem", on_delete=models.CASCADE,
                                     null=True, blank=True, related_name="+")
    region = models.ForeignKey("catalog.Region", on_delete=models.CASCADE, null=True,
                               blank=True, related_name="+")
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency,
                                 default=Frequency.DAILY)
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    # Projects published after this were not yet considered by the daily digest.
    last_run_at = models.DateTimeField(_("last checked"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        indexes = [models.Index(fields=["frequency", "service_item", "region"])]

    def __str__(self) -> str:
        return self.name


class SavedSearchMatch(models.Model):
    """A project delivered to a saved search's user (inbox and, if wanted, e-mail)."""

    search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="matches")
    project = models.ForeignKey("bidding.Project", on_delete=models.CASCADE, related_name="+")
    matched_at = models.DateTimeField(_("matched at"), default=timezone.now)

    class Meta:
        ordering = ["-matched_at", "-id"]
        verbose_name = _("saved search match")
        verbose_name_plural = _("saved search matches")
        constraints = [models.UniqueConstraint(fields=["search", "project"],
                                               name="bidding_saved_search_match_once")]

    def __str__(self) -> str:
        return f"{self.search} · {self.project_id}"
