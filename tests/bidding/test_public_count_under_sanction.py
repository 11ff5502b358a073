"""The public bid count before opening moves only with the bidders' own submit and withdraw
(#13 §1.2, selectors "bid_count"): blacklisting a bidder during bidding disqualifies its bid
but must not change the count on any surface that shows it, or a sanction would reveal who bid.
Surfaces: the project list and announcement pages, the public API (list, detail, bids), the
OCDS release, the owner's workspace; the CMS announcement, the feeds and the site search show no
count at all, and blacklisting changes nothing they show about the project."""

import datetime as dt
import re

import pytest
from django.test import Client

from bidding import services as bidding
from ratings import services as ratings
from ratings.models import BlacklistEntry
from tests.factories.accounts import RegulatorFactory
from tests.factories.bidding import T0, agency_offering, bid, published_project, user_of

pytestmark = pytest.mark.django_db


def _row(items, pk):
    return next(item for item in items if item["id"] == pk)


def count_on_every_surface(client, project) -> dict:
    pk = project.pk
    counts = {}
    listing = client.get("/projects/")
    counts["project list page"] = next(row["bid_count"] for row in listing.context["rows"]
                                       if row["project"].pk == pk)
    detail = client.get(f"/projects/{pk}/").content.decode()
    counts["project page"] = int(re.search(r"(\d+) bids? received", detail).group(1))
    counts["API list"] = _row(client.get("/api/v1/projects/").json()["results"], pk)[
        "bid_count"]
    counts["API detail"] = client.get(f"/api/v1/projects/{pk}/").json()["bid_count"]
    counts["API bids"] = client.get(f"/api/v1/projects/{pk}/bids/").json()["bid_count"]
    package = client.get("/api/v1/open-data/ocds/").json()
    release = next(r for r in package["releases"] if r["ocid"].endswith(f"-{pk}"))
    counts["OCDS statistics"] = next(s["value"] for s in release["bids"]["statistics"]
                                     if s["id"] == "bids")
    return counts


def owner_counts(project) -> dict:
    client = Client()
    client.force_login(user_of(project.owner))
    workspace = client.get(f"/workspace/projects/{project.pk}/")
    listing = client.get("/workspace/projects/")
    return {"owner workspace": workspace.context["bid_count"],
            "owner project list": next(p.live_bid_count for p in listing.context["page"]
                                       if p.pk == project.pk)}


def countless_surfaces(client, project) -> dict:
    """What the pages without a count show about the project: it must not change either."""
    from cms.models import AnnouncementKind, AnnouncementPage

    page = AnnouncementPage.objects.get(object_url=project.get_absolute_url(),
                                        kind=AnnouncementKind.PROCUREMENT)
    feed = client.get("/announcements/feed/").content.decode()
    item = re.search(r"<item>(?:(?!</item>).)*" + re.escape(project.title) + r".*?</item>",
                     feed, re.S)
    search = client.get("/search/", {"q": project.title}).content.decode()
    return {"announcement": re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "",
                                   client.get(page.url).content.decode()).count("bid"),
            "feed item": item.group(0) if item else None,
            "search mentions the title": project.title in search}


@pytest.fixture
def bidding_with_a_bidder_to_blacklist(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        project = published_project(now=T0)
    listed, others = agency_offering(), [agency_offering(), agency_offering()]
    for agency in others:
        bid(project, agency)
    bid(project, listed)
    return project, listed, others


def test_blacklisting_a_bidder_before_opening_leaves_every_public_count_unchanged(
        client, bidding_with_a_bidder_to_blacklist, django_capture_on_commit_callbacks):
    project, listed, _others = bidding_with_a_bidder_to_blacklist
    client.cookies["django_language"] = "en"
    before = {**count_on_every_surface(client, project), **owner_counts(project)}
    quiet_before = countless_surfaces(client, project)
    assert set(before.values()) == {3}
    assert quiet_before["feed item"] is not None and quiet_before["search mentions the title"]
    with django_capture_on_commit_callbacks(execute=True):
        ratings.blacklist_add(organization=listed, reason="提供虚假材料", basis="监管决定",
                              ends_at=T0 + dt.timedelta(days=365),
                              source=BlacklistEntry.Source.REGULATOR,
                              by=user_of(RegulatorFactory()), now=T0 + dt.timedelta(hours=3))
    after = {**count_on_every_surface(client, project), **owner_counts(project)}
    assert after == before
    assert countless_surfaces(client, project) == quiet_before


def test_only_the_bidders_own_withdrawal_lowers_the_public_count(
        client, bidding_with_a_bidder_to_blacklist):
    project, _listed, others = bidding_with_a_bidder_to_blacklist
    client.cookies["django_language"] = "en"
    own = project.bids.get(agency=others[0])
    bidding.bid_withdraw(bid=own, by=user_of(others[0]), now=T0 + dt.timedelta(hours=2))
    assert set(count_on_every_surface(client, project).values()) == {2}
