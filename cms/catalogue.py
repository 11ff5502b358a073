"""The public service-item catalogue (中介服务事项清单, issue 17 §1): the items by category with a
search, and one page per item with its seven published terms (on any past date too), the
agencies offering it and its recent projects. Reads only; the terms change in the console."""

import datetime as dt

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bidding import selectors as bidding_selectors
from marketplace.accounts.standing import standing_of
from marketplace.catalog import selectors
from marketplace.catalog.models import ServiceItem
from providers import selectors as provider_selectors
from providers.models import AgencyService

AGENCIES_SHOWN = 20
PROJECTS_SHOWN = 10


@require_GET
def service_item_list(request):
    q = (request.GET.get("q") or "").strip()[:100]
    categories = selectors.categories()
    category = request.GET.get("category") or ""
    if category not in dict(categories):
        category = ""
    groups: dict[str, list[ServiceItem]] = {}
    for item in selectors.catalogue(q=q, category=category):
        groups.setdefault(item.display_category or _("Other"), []).append(item)
    return render(request, "cms/catalogue/list.html", {
        "groups": list(groups.items()), "q": q, "category": category,
        "categories": categories, "count": sum(len(items) for items in groups.values()),
    })


def _on_day(request) -> dt.date | None:
    raw = request.GET.get("on") or ""
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return False


@require_GET
def service_item_detail(request, code: str):
    item = get_object_or_404(ServiceItem, code=code)
    day = _on_day(request)
    bad_day = day is False
    if day and day > timezone.localdate():
        bad_day, day = True, None
    terms = selectors.terms_on(item, day) if day else selectors.current_terms(item)
    if bad_day:
        day = None
    agencies = (provider_selectors.listed_agencies().select_related("region")
                .filter(Exists(AgencyService.objects.filter(agency=OuterRef("pk"),
                                                            service_item=item)))
                .order_by("credit_grade", "-credit_score", "name"))
    now = timezone.now()
    rows = [{"agency": agency, "credit": provider_selectors.credit_standing(agency),
             "standing": standing_of(agency, now=now)} for agency in agencies[:AGENCIES_SHOWN]]
    projects = bidding_selectors.projects_for_viewer(None).filter(service_item=item)
    if not item.is_active and not projects.exists() and not item.revisions.exists():
        raise Http404
    return render(request, "cms/catalogue/item.html", {
        "item": item, "terms": terms, "day": day, "bad_day": bad_day,
        "today": timezone.localdate(), "agency_rows": rows, "agency_count": agencies.count(),
        "projects": projects[:PROJECTS_SHOWN],
        "revisions": list(selectors.revisions(item)[:20]),
    })
