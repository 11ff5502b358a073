"""Public credit pages (信用公示): market overview, an organization's credit, the blacklist,
and how credit works. Stable URLs (DESIGN §5)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from marketplace.accounts.standing import standing_of
from marketplace.errors import NotFound
from ratings import selectors

PAGE_SIZE = 20


def credit_overview(request):
    """The market overview: credit grades, market figures and charts, recent events."""
    overview = selectors.market_overview()
    activity = selectors.market_activity()
    return render(request, "ratings/credit_overview.html", {
        "overview": overview, "market": activity,
        "charts": selectors.overview_chart_data(overview, activity),
        "events": selectors.recent_public_events(),
    })


def credit_how(request):
    return render(request, "ratings/credit_how.html", {"cfg": selectors.credit_settings()})


def credit_detail(request, pk: int):
    try:
        organization = selectors.organization_or_404(pk)
    except NotFound:
        raise Http404 from None
    viewer = selectors.viewer_organization(request.user)
    events = Paginator(selectors.public_events(organization), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "ratings/credit_detail.html", {
        "organization": organization, "credit": selectors.standing(organization),
        "summary": selectors.rating_summary(organization),
        "standing": standing_of(organization),
        "ratings": selectors.revealed_ratings_received(organization)[:20],
        "events": events, "entries": selectors.blacklist_history(organization),
        "exits": selectors.market_exits(organization),
        "is_regulator": viewer is not None and viewer.is_regulator,
        "history": [{"date": timezone.localtime(p["at"]).strftime("%Y-%m-%d"),
                     "score": str(p["score"]), "grade": p["grade"]}
                    for p in selectors.score_history(organization)],
    })


def blacklist(request):
    page = Paginator(selectors.active_blacklist(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ratings/blacklist.html", {"page": page, "now": timezone.now()})
