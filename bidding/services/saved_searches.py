"""Saved project searches (issue 17 §5): saving, renaming, changing the frequency, deleting, and
delivering new matching projects to the inbox (and by e-mail, as the user's preferences say).

A project is delivered to a search once: the `SavedSearchMatch` row is written before the
notice, under a unique constraint, so a repeated or concurrent run skips it. At once: when a
project is published (`match_published_project`, a task enqueued in the publishing
transaction). Daily: the beat task's digest of the projects published since the last run."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bidding import selectors_searches as selectors
from bidding.models import Project, SavedSearch, SavedSearchMatch
from marketplace.audit import services as audit
from marketplace.catalog.models import ServiceItem
from marketplace.errors import DomainError
from marketplace.formatting.moments import local_minute
from marketplace.formatting.money import format_money
from marketplace.limits import check_text_length
from marketplace.notifications.services import notify

Frequency = SavedSearch.Frequency
# Enough for anyone's interests; a cap keeps one account from making every publication slow.
MAX_SAVED_SEARCHES = 50
KIND_MATCH, KIND_DIGEST = "saved_search.match", "saved_search.digest"


class TooManySearches(DomainError):
    code = "saved_search.too_many"


def check_can_save_search(*, user) -> None:
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_SEARCHES:
        raise TooManySearches(_("You can keep at most %(max)s saved searches; delete one "
                                "first.") % {"max": MAX_SAVED_SEARCHES})


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the search a name."), field="name", code="saved_search.no_name")
    check_text_length(name, kind="line", field="name")
    return name


def _check_frequency(frequency: str) -> None:
    if frequency not in Frequency.values:
        raise DomainError(_("Choose how often to hear of new projects."), field="frequency",
                          code="saved_search.bad_frequency")


@transaction.atomic
def saved_search_create(*, user, name: str, query: str, frequency: str = Frequency.DAILY,
                        now: dt.datetime | None = None) -> SavedSearch:
    """Save the list's filters in `query` (its query string) under `name`. Projects published
    from now on are delivered; the ones already listed are not."""
    now = now or timezone.now()
    name = _clean_name(name)
    _check_frequency(frequency)
    check_text_length(query, kind="query", field="query")
    query, values = selectors.parsed_query(query)
    check_can_save_search(user=user)
    code = values.get("service_item")
    search = SavedSearch.objects.create(
        user=user, name=name, query=query, frequency=frequency, created_at=now, last_run_at=now,
        service_item=ServiceItem.objects.get(code=code) if code else None,
        region=values.get("region"))
    audit.record(action="saved_search.created", actor=user, obj=search,
                 data={"name": name, "query": query, "frequency": frequency}, now=now)
    return search


@transaction.atomic
def saved_search_update(*, search: SavedSearch, by, name: str | None = None,
                        frequency: str | None = None, now: dt.datetime | None = None
                        ) -> SavedSearch:
    """Rename a search or change its frequency. A change of frequency starts the new one from
    now (what the old one had not yet delivered is not delivered twice, nor late)."""
    now = now or timezone.now()
    search = selectors.saved_search_of(by, search.pk)
    search = SavedSearch.objects.select_for_update().get(pk=search.pk)
    changed = {}
    if name is not None and _clean_name(name) != search.name:
        search.name = changed["name"] = _clean_name(name)
    if frequency is not None and frequency != search.frequency:
        _check_frequency(frequency)
        search.frequency = changed["frequency"] = frequency
        search.last_run_at = now
    if changed:
        search.save()
        audit.record(action="saved_search.updated", actor=by, obj=search, data=changed, now=now)
    return search


@transaction.atomic
def saved_search_delete(*, search: SavedSearch, by, now: dt.datetime | None = None) -> None:
    search = selectors.saved_search_of(by, search.pk)
    audit.record(action="saved_search.deleted", actor=by, obj=search,
                 data={"name": search.name, "query": search.query}, now=now or timezone.now())
    search.delete()


# --- Delivery ---------------------------------------------------------------------------------

def _record_matches(search: SavedSearch, projects, now: dt.datetime) -> list[Project]:
    """The projects not yet delivered for `search`, each recorded as delivered now."""
    delivered = []
    for project in projects:
        _match, created = SavedSearchMatch.objects.get_or_create(
            search=search, project=project, defaults={"matched_at": now})
        if created:
            delivered.append(project)
    return delivered


def _project_line(project: Project) -> str:
    return _("Service item: %(item)s. Region: %(region)s. Budget cap: %(cap)s. Bids close at "
             "%(deadline)s.") % {
        "item": project.service_item.name, "region": project.region.name,
        "cap": format_money(project.budget_cap), "deadline": local_minute(project.bid_deadline)}


def _searches_page(search: SavedSearch) -> str:
    return f"{reverse('bidding:saved_searches')}#search-{search.pk}"


@transaction.atomic
def match_published_project(*, project_id: int, now: dt.datetime | None = None) -> int:
    """Deliver a just-published project to the at-once searches it matches; returns how many
    searches it was delivered to."""
    now = now or timezone.now()
    project = (Project.objects.select_related("service_item", "region")
               .filter(pk=project_id).first())
    if project is None or project.published_at is None or project.status == Project.Status.DRAFT:
        return 0
    candidates = list(selectors.instant_candidates(project))
    if any("q=" in search.query for search in candidates):
        # Keywords are looked up in the search index: make sure it holds the project already.
        from marketplace.search.services import index_objects

        index_objects(doc_type="project", pks=[project.pk])
    one = Project.objects.filter(pk=project.pk)
    count = 0
    with translation.override(settings.LANGUAGE_CODE):
        for search in candidates:
            if not selectors.matching(search, one).exists():
                continue
            if _record_matches(search, [project], now):
                notify(users=[search.user], kind=KIND_MATCH, url=project.get_absolute_url(),
                       title=_("New project matching “%(name)s”: %(title)s")
                       % {"name": search.name, "title": project.title},
                       body=_project_line(project))
                count += 1
    return count


def send_daily_digests(*, now: dt.datetime | None = None) -> int:
    """One digest per daily search with new matches since its last run; returns how many
    digests were sent. Each search runs in its own transaction."""
    now = now or timezone.now()
    ids = list(SavedSearch.objects.filter(frequency=Frequency.DAILY, user__is_active=True,
                                          last_run_at__lt=now).values_list("pk", flat=True))
    return sum(1 for pk in ids if _send_digest(search_id=pk, now=now))


@transaction.atomic
def _send_digest(*, search_id: int, now: dt.datetime) -> bool:
    search = (SavedSearch.objects.select_for_update().select_related("user")
              .filter(pk=search_id, frequency=Frequency.DAILY, last_run_at__lt=now).first())
    if search is None:  # deleted, switched to at once, or already run by another worker
        return False
    window = selectors.public_projects().filter(published_at__gt=search.last_run_at,
                                                published_at__lte=now)
    projects = list(selectors.matching(search, window)
                    .exclude(pk__in=search.matches.values("project_id"))
                    .select_related("service_item", "region").order_by("published_at", "pk"))
    delivered = _record_matches(search, projects, now)
    search.last_run_at = now
    search.save(update_fields=["last_run_at"])
    if not delivered:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        lines = [f"· {p.title}\n  {_project_line(p)}\n  "
                 f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{p.get_absolute_url()}"
                 for p in delivered]
        notify(users=[search.user], kind=KIND_DIGEST, url=_searches_page(search),
               title=ngettext("%(count)s new project matching “%(name)s”",
                              "%(count)s new projects matching “%(name)s”", len(delivered))
               % {"count": len(delivered), "name": search.name},
               body="\n".join(lines))
    return True


def on_project_event(sender, *, event: str, signal=None, **ids) -> None:
    """Inside the publishing transaction (connected in BiddingConfig.ready): match the project
    against the at-once searches after commit, through the task queue."""
    from bidding.signals import ProjectEvent

    if event != ProjectEvent.PUBLISHED:
        return
    from bidding import tasks as bidding_tasks  # tasks call services: import here
    from marketplace.outbox.services import enqueue

    enqueue(bidding_tasks.match_saved_searches, project_id=ids["project_id"])
