"""The Wagtail site: home, notices, help, and the announcements the platform publishes itself.

Languages: Chinese pages form the default locale tree; English translations are copies in the
`en` tree (wagtail.contrib.simple_translation). Both are served at the same URL: Wagtail routes
from the site root's translation in the active language (the `django_language` cookie), and a
page with no English translation is served from the Chinese tree instead of answering 404
(`TranslationFallbackMixin.route`). No URL prefix, so the Django pages keep their stable URLs.
"""

import contextlib
import datetime as dt

from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from cms.blocks import ContentBlock, HomeBlock
from marketplace.limits import TEXT_LIMITS


class TranslationFallbackMixin:
    """Route into the default-locale tree where the active locale has no translation."""

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            default = self.get_translation_or_none(Locale.get_default())
            if default is None or default.pk == self.pk:
                raise
            return default.specific.route(request, path_components)

    def canonical(self):
        """The default-locale version of this page (itself when it is one)."""
        default = self.get_translation_or_none(Locale.get_default())
        return default.specific if default is not None else self


class HomePage(TranslationFallbackMixin, Page):
    """The site's root page."""

    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(HomeBlock(), verbose_name=_("blocks"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from marketplace.catalog.models import ServiceItem

        context["service_items"] = ServiceItem.objects.filter(is_active=True)[:12]
        return context


class NoticeIndexPage(TranslationFallbackMixin, Page):
    """Policy news and rules (通知公告), newest first."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cms.NoticePage"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("notice index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The default-locale tree is complete; each notice is shown in its translation when
        # there is one (see the template).
        notices = (NoticePage.objects.live().child_of(self.canonical())
                   .order_by("-date", "-first_published_at"))
        context["notices"] = Paginator(notices, 20).get_page(request.GET.get("page"))
        return context


class NoticePage(TranslationFallbackMixin, Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = StreamField(ContentBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("date"), FieldPanel("summary"),
                      FieldPanel("body")]
    parent_page_types = ["cms.NoticeIndexPage"]
    subpage_types: list[str] = []
    search_fields = [*Page.search_fields, index.SearchField("summary"),
                     index.SearchField("body"), index.FilterField("date")]

    class Meta:
        verbose_name = _("notice")


class HelpPage(TranslationFallbackMixin, Page):
    """A guide (how to register, how to bid, how credit works); help pages nest."""

    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = StreamField(ContentBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    subpage_types = ["cms.HelpPage"]
    search_fields = [*Page.search_fields, index.SearchField("summary"),
                     index.SearchField("body")]

    class Meta:
        verbose_name = _("help page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guides"] = [page.specific.localized for page in
                             self.canonical().get_children().live().specific()]
        return context


class AnnouncementKind(models.TextChoices):
    PROCUREMENT = "procurement", _("Procurement announcement")
    CORRECTION = "correction", _("Correction notice")
    QA = "qa", _("Q&A announcement")
    OPENING = "opening", _("Bid opening results")
    AWARD_PUBLICITY = "award_publicity", _("Award publicity")
    RESULT = "result", _("Result announcement")
    TERMINATION = "termination", _("Termination announcement")
    BLACKLIST = "blacklist", _("Blacklist announcement")
    INSPECTION = "inspection", _("Inspection results")


class AnnouncementIndexPage(TranslationFallbackMixin, Page):
    """公告: every announcement the platform published, filterable, with RSS and Atom feeds."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cms.AnnouncementPage"]
    # The menu's title where editors have not translated the page (cms.menu).
    default_menu_title = _("Announcements")

    class Meta:
        verbose_name = _("announcement index")

    def get_context(self, request, *args, **kwargs):
        from cms import selectors
        from cms.forms import AnnouncementFilterForm

        context = super().get_context(request, *args, **kwargs)
        form = AnnouncementFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        queryset = selectors.announcements(
            kind=filters.get("kind") or "", service_item=filters.get("service_item"),
            region=filters.get("region"), date_from=filters.get("date_from"),
            date_to=filters.get("date_to"))
        context["filter_form"] = form
        context["page_obj"] = Paginator(queryset, 20).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


class AnnouncementPage(Page):
    """An announcement published by the platform itself, after commit, once per event.

    (`kind`, `source_type`, `source_id`, `sequence`) names the event: the unique constraint
    makes a second run of the task, or two workers at once, find the page instead of adding one.
    The facts are kept as they were announced (`data`); the page links to the live object.
    """

    kind = models.CharField(_("type"), max_length=32, choices=AnnouncementKind)
    source_type = models.CharField(_("source"), max_length=32)
    source_id = models.PositiveBigIntegerField(_("source id"))
    sequence = models.PositiveIntegerField(_("sequence"), default=0)
    subject = models.CharField(_("subject"), max_length=255)
    published_on = models.DateTimeField(_("date"), db_index=True)
    service_item = models.ForeignKey("catalog.ServiceItem", verbose_name=_("service item"),
                                     on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    region = models.ForeignKey("catalog.Region", verbose_name=_("region"),
                               on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    organization = models.ForeignKey("accounts.Organization", verbose_name=_("organization"),
                                     on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    object_url = models.CharField(_("link"), max_length=255, blank=True)
    summary = models.TextField(_("summary"), max_length=TEXT_LIMITS["description"], blank=True)
    data = models.JSONField(_("facts"), default=dict, blank=True)
    note = RichTextField(_("editor's note"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("note")]
    is_creatable = False  # only the platform publishes them (cms.announcements)
    parent_page_types = ["cms.AnnouncementIndexPage"]
    subpage_types: list[str] = []
    search_fields = [*Page.search_fields, index.SearchField("subject"),
                     index.SearchField("summary"), index.FilterField("kind"),
                     index.FilterField("published_on")]

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_type", "source_id", "sequence"],
                                    name="cms_announcement_one_per_event"),
        ]
        indexes = [models.Index(fields=["kind", "published_on"])]

    def display_title(self) -> str:
        """The title in the active language: the type's name and the subject."""
        return _("%(kind)s: %(subject)s") % {"kind": self.get_kind_display(),
                                               "subject": self.subject}

    def facts(self) -> dict:
        """`data` with its moments as datetimes again, for display."""
        data = dict(self.data or {})
        for key in ("bid_deadline", "publicity_ends_at"):
            if isinstance(data.get(key), str):
                with contextlib.suppress(ValueError):
                    data[key] = dt.datetime.fromisoformat(data[key])
        return data

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["facts"] = self.facts()
        return context
