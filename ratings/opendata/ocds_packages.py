"""The stored OCDS releases as release packages and the compiled records as record packages
(issue 17 §5), paginated by date: the items in (date, id) order, `since` keeps those dated at
or after a time, and `links.next` continues after the page's last item (an opaque cursor).

A record's date is its project's latest release: a consumer that follows `next` to the end
and later asks again with `since` = its last date gets every record that changed since."""

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from bidding import selectors as bidding_selectors
from bidding.models import Project
from marketplace.errors import DomainError
from ratings.models import OCDSRelease
from ratings.opendata import ocds, ocds_schema


@dataclass(frozen=True)
class Page:
    since: dt.datetime | None = None
    after: tuple[dt.datetime, int] | None = None  # the cursor: the last (date, id) seen
    limit: int = 100


def _cursor(date: dt.datetime, pk: int) -> str:
    raw = json.dumps([date.astimezone(dt.UTC).isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _parse_cursor(value: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        date, pk = json.loads(raw)
        moment = parse_datetime(date)
        if moment is None or moment.tzinfo is None or not isinstance(pk, int):
            raise ValueError(value)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise DomainError(_("This cursor is not one of ours: follow links.next as given."),
                          field="cursor")
    return moment, pk


def page_from(params, parse_since) -> Page:
    """The page asked for by the query parameters `since`, `cursor` and `limit`."""
    limit = params.get("limit")
    if limit in (None, ""):
        size = settings.OCDS_PAGE_SIZE
    else:
        try:
            size = int(limit)
        except ValueError:
            size = 0
        if not 1 <= size <= settings.OCDS_MAX_PAGE_SIZE:
            raise DomainError(_("Give a limit from 1 to %(max)s.")
                              % {"max": settings.OCDS_MAX_PAGE_SIZE}, field="limit")
    cursor = params.get("cursor")
    return Page(since=parse_since(params.get("since")),
                after=_parse_cursor(cursor) if cursor else None, limit=size)


def _paged(items: QuerySet, page: Page, date_field: str) -> tuple[list, str | None]:
    if page.since is not None:
        items = items.filter(**{f"{date_field}__gte": page.since})
    if page.after is not None:
        date, pk = page.after
        items = items.filter(Q(**{f"{date_field}__gt": date})
                             | Q(**{date_field: date, "pk__gt": pk}))
    rows = list(items.order_by(date_field, "pk")[:page.limit + 1])
    more = len(rows) > page.limit
    rows = rows[:page.limit]
    return rows, (_cursor(getattr(rows[-1], date_field), rows[-1].pk) if more else None)


def _package_head(*, uri: str, publication_policy: str, published: dt.datetime | None) -> dict:
    return {
        "uri": uri,
        "version": ocds.OCDS_VERSION,
        "extensions": [ocds.BID_EXTENSION],
        # On demand: the date of the last change to the contents (OCDS's advice).
        "publishedDate": ocds.iso(published or timezone.now()),
        "publisher": {"name": settings.WAGTAIL_SITE_NAME,
                      "uri": settings.WAGTAILADMIN_BASE_URL},
        "license": ocds.LICENSE,
        "publicationPolicy": publication_policy,
    }


def _with_next(package: dict, next_url: str | None) -> dict:
    if next_url:
        package["links"] = {"next": next_url}
    return package


def release_package(*, page: Page, uri: str, publication_policy: str, next_url) -> dict:
    """`next_url(cursor)` makes the next page's URL."""
    releases, cursor = _paged(OCDSRelease.objects.all(), page, "date")
    package = _package_head(uri=uri, publication_policy=publication_policy,
                            published=max((r.date for r in releases), default=None))
    package["releases"] = [r.data for r in releases]
    return _with_next(package, next_url(cursor) if cursor else None)


def public_project(pk: int) -> Project | None:
    """A published project (drafts, even cancelled ones, are nobody's business here)."""
    return (bidding_selectors.projects_for_viewer(None)
            .filter(pk=pk, published_at__isnull=False).first())


def project_releases(project: Project) -> list[OCDSRelease]:
    return list(OCDSRelease.objects.filter(project=project).order_by("date", "pk"))


def project_release_package(project: Project, *, uri: str, publication_policy: str) -> dict:
    releases = project_releases(project)
    package = _package_head(uri=uri, publication_policy=publication_policy,
                            published=releases[-1].date if releases else None)
    package["releases"] = [r.data for r in releases]
    return package


def record(releases: list[OCDSRelease], *, releases_url: str) -> dict:
    """A record: its releases linked (the project's release package URL + "#" + release id),
    in date order, and the compiled release merged by ocdsmerge over the local schema."""
    return {
        "ocid": releases[-1].ocid,
        "releases": [{"url": f"{releases_url}#{r.release_id}", "date": r.data["date"],
                      "tag": r.tag} for r in releases],
        "compiledRelease": ocds_schema.compile_releases([r.data for r in releases]),
    }


def _records_of(projects: list, releases_url) -> tuple[list[dict], list[str]]:
    by_project: dict[int, list[OCDSRelease]] = {p.pk: [] for p in projects}
    for release in (OCDSRelease.objects.filter(project__in=by_project)
                    .order_by("project_id", "date", "pk")):
        by_project[release.project_id].append(release)
    urls = {p.pk: releases_url(p.pk) for p in projects}
    return ([record(by_project[p.pk], releases_url=urls[p.pk]) for p in projects],
            list(urls.values()))


def record_package(*, page: Page, uri: str, publication_policy: str, next_url,
                   releases_url) -> dict:
    """One record per project with releases, ordered by its latest release's date;
    `releases_url(project id)` is the URL of that project's release package."""
    projects = Project.objects.annotate(last_release=Max("ocds_releases__date")).filter(
        last_release__isnull=False)
    projects, cursor = _paged(projects, page, "last_release")
    package = _package_head(uri=uri, publication_policy=publication_policy,
                            published=max((p.last_release for p in projects), default=None))
    records, urls = _records_of(projects, releases_url)
    if urls:
        package["packages"] = urls
    package["records"] = records
    return _with_next(package, next_url(cursor) if cursor else None)


def project_record_package(project: Project, *, uri: str, publication_policy: str,
                           releases_url: str) -> dict:
    releases = project_releases(project)
    package = _package_head(uri=uri, publication_policy=publication_policy,
                            published=releases[-1].date if releases else None)
    package["packages"] = [releases_url]
    package["records"] = [record(releases, releases_url=releases_url)] if releases else []
    return package
