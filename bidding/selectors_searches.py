"""Reads of saved project searches (issue 17 §5): a user's own searches, what a saved query
means (the public list's filters) and which projects it matches."""

from urllib.parse import urlencode

from django.db.models import Prefetch, Q
from django.http import QueryDict
from django.utils.translation import gettext as _

from bidding.filters import ProjectPageFilter
from bidding.models import Project, SavedSearch, SavedSearchMatch
from marketplace.errors import DomainError, NotFound
from marketplace.search.services import fresh_results

# The list page's filters a search keeps, in the order its normalized query lists them.
FILTERS = tuple(ProjectPageFilter.Meta.fields)
LAST_MATCHES = 5


class BadSearch(DomainError):
    code = "saved_search.bad_query"


def parsed_query(query: str) -> tuple[str, dict]:
    """The normalized query string (only the list's filters, non-empty, in a fixed order) and
    the filter form's cleaned values; `BadSearch` naming the first filter that is wrong (an
    unknown service item or region, a budget that is no number)."""
    params = QueryDict((query or "").strip().lstrip("?"))
    data = {name: params.get(name, "").strip() for name in FILTERS}
    data = {name: value for name, value in data.items() if value}
    form = ProjectPageFilter(data, queryset=Project.objects.none()).form
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        label = form.fields[name].label if name in form.fields else name
        raise BadSearch(_("%(filter)s: %(error)s") % {"filter": label, "error": errors[0]},
                        field="query")
    return urlencode(data), form.cleaned_data


def matching(search: SavedSearch, projects):
    """The projects of `projects` that `search`'s filters select (as the public list would).

    Keywords are ranked afresh, not answered from the results kept for the pages: a delivery
    is made once, and a result kept by another process from before the project was indexed
    would miss it for good."""
    with fresh_results():
        return ProjectPageFilter(QueryDict(search.query), queryset=projects).qs


def public_projects():
    return Project.objects.exclude(status=Project.Status.DRAFT).filter(published_at__isnull=False)


def instant_candidates(project: Project):
    """The at-once searches that may match `project`, narrowed in SQL by what it is (service
    item, region), saved before it was published and not yet given it; each candidate's full
    filter is applied afterwards (`matching`)."""
    return (SavedSearch.objects
            .filter(frequency=SavedSearch.Frequency.INSTANT, user__is_active=True,
                    created_at__lte=project.published_at)
            .filter(Q(service_item__isnull=True) | Q(service_item_id=project.service_item_id))
            .filter(Q(region__isnull=True) | Q(region_id=project.region_id))
            .exclude(matches__project=project)
            .select_related("user").order_by("pk"))


def saved_searches_of(user):
    """The user's searches, each with its last LAST_MATCHES matches (a sliced prefetch: one
    query, never every match a search ever had)."""
    recent = (SavedSearchMatch.objects.select_related("project")
              .order_by("-matched_at", "-id")[:LAST_MATCHES])
    return (SavedSearch.objects.filter(user=user)
            .select_related("service_item", "region")
            .prefetch_related(Prefetch("matches", queryset=recent, to_attr="recent_matches")))


def saved_search_of(user, pk) -> SavedSearch:
    """One of the user's searches; anyone else's is "not found"."""
    search = SavedSearch.objects.filter(user=user, pk=pk).first()
    if search is None:
        raise NotFound(_("This saved search does not exist."))
    return search
