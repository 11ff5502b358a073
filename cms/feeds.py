"""RSS 2.0 and Atom feeds of the announcements, with the index's filters (?kind=&region=…)."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from cms import selectors
from cms.forms import AnnouncementFilterForm

FEED_SIZE = 50


class AnnouncementFeed(Feed):
    def get_object(self, request, *args, **kwargs):
        form = AnnouncementFilterForm(request.GET or None)
        return form.cleaned_data if form.is_valid() else {}

    def title(self, obj):
        return _("Announcements · Intermediary Services Marketplace")

    def link(self, obj):
        return "/announcements/"

    def description(self, obj):
        return _("Procurement, Q&A, opening, award, result, termination, blacklist and "
                 "inspection announcements published by the marketplace.")

    def items(self, filters):
        return selectors.announcements(
            kind=filters.get("kind") or "", service_item=filters.get("service_item"),
            region=filters.get("region"), date_from=filters.get("date_from"),
            date_to=filters.get("date_to"))[:FEED_SIZE]

    def item_title(self, item):
        return str(item.display_title())

    def item_description(self, item):
        parts = [item.get_kind_display()]
        if item.service_item is not None:
            parts.append(item.service_item.display_name)
        if item.region is not None:
            parts.append(item.region.name)
        if item.summary:
            parts.append(item.summary[:300])
        return " · ".join(str(part) for part in parts)

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return f"announcement-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_on

    def item_updateddate(self, item):
        return item.last_published_at or item.published_on

    def item_categories(self, item):
        return [item.get_kind_display()]


class AnnouncementAtomFeed(AnnouncementFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)
