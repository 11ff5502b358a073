"""Reads of the reference data that views and the API share."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from marketplace.catalog.models import CalendarYear, FeePricing, ServiceItem, ServiceItemRevision
from marketplace.catalog.terms import snapshot


def years_missing_calendar(now: dt.datetime | None = None) -> list[int]:
    """This year and next, where nobody has entered the holidays yet (ascending).

    Working-day periods fall back to Monday-Friday in such a year (`marketplace.periods`), so
    regulators are asked to enter it; next year counts because periods reach into it.
    """
    year = timezone.localdate(now or timezone.now()).year
    wanted = [year, year + 1]
    entered = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    return [y for y in wanted if y not in entered]


# --- The service-item catalogue ---------------------------------------------------------------

@dataclass(frozen=True)
class Terms:
    """An item's published terms as in force from `valid_from` (None: the current row, no
    history kept yet), with the revision that published them."""

    values: dict
    valid_from: dt.datetime | None = None
    revision: ServiceItemRevision | None = None

    def __getattr__(self, name):
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def fee_pricing_display(self) -> str:
        value = self.values.get("fee_pricing")
        return FeePricing(value).label if value in FeePricing.values else (value or "")


def catalogue(*, q: str = "", category: str = "") -> QuerySet[ServiceItem]:
    """Active items in catalogue order, filtered by a text (code, names, department, legal
    basis) and by category (its Chinese name, as stored)."""
    items = ServiceItem.objects.filter(is_active=True)
    q = (q or "").strip()
    if q:
        items = items.filter(Q(code__icontains=q) | Q(name__icontains=q)
                             | Q(name_en__icontains=q) | Q(competent_department__icontains=q)
                             | Q(legal_basis__icontains=q))
    if category:
        items = items.filter(category=category)
    return items.order_by("category", "code")


def categories() -> list[tuple[str, str]]:
    """(stored category, its name in the page's language) of the active items."""
    seen: dict[str, str] = {}
    for item in ServiceItem.objects.filter(is_active=True).order_by("category", "code"):
        seen.setdefault(item.category, item.display_category)
    return list(seen.items())


def revisions(item: ServiceItem) -> QuerySet[ServiceItemRevision]:
    """The item's revisions, newest first."""
    return item.revisions.select_related("edited_by").order_by("-valid_from", "-id")


def terms_on(item: ServiceItem, day: dt.date) -> Terms:
    """The terms in force on `day` (at its end, Beijing time): the last revision published
    before the next day began. A day before the first revision gets the first revision: those
    are the terms the item had when the catalogue started keeping history."""
    next_day = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min,
                                   tzinfo=timezone.get_current_timezone())
    return _terms_from(item, valid_from__lt=next_day)


def terms_at(item: ServiceItem, moment: dt.datetime) -> Terms:
    """The terms in force at `moment` (a revision published at that very instant counts):
    e.g. the time limit a monopoly item had when a project on it was published."""
    return _terms_from(item, valid_from__lte=moment)


def _terms_from(item: ServiceItem, **before) -> Terms:
    history = item.revisions.select_related("edited_by")
    revision = (history.filter(**before).order_by("-valid_from", "-id").first()
                or history.order_by("valid_from", "id").first())
    if revision is None:
        return Terms(values=snapshot(item))
    return Terms(values={**snapshot(item), **revision.terms}, valid_from=revision.valid_from,
                 revision=revision)


def current_terms(item: ServiceItem) -> Terms:
    return Terms(values=snapshot(item))
