"""/announcements/ (a Wagtail page at a stable URL): filters, pagination, RSS and Atom feeds."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from cms import announcements
from cms.models import AnnouncementKind
from marketplace.catalog.models import Region, ServiceItem

pytestmark = pytest.mark.django_db
K = AnnouncementKind
ATOM = "{http://www.w3.org/2005/Atom}"


def make(kind, n, *, item="EIA-R", region="500103", day=1, subject=None):
    page, _created = announcements.publish(
        kind=kind, source_type="test", source_id=n, subject=subject or f"公告主题{n}",
        published_on=dt.datetime(2026, 4, day, 9, 0, tzinfo=dt.UTC),
        service_item_id=ServiceItem.objects.get(code=item).pk,
        region_id=Region.objects.get(code=region).pk, object_url=f"/projects/{n}/",
        summary=f"摘要{n}")
    return page


@pytest.fixture
def board(db):
    other_item = ServiceItem.objects.exclude(code="EIA-R").order_by("code").first()
    return {
        "procurement": make(K.PROCUREMENT, 1, day=1),
        "qa": make(K.QA, 2, day=2),
        "result": make(K.RESULT, 3, day=3, item=other_item.code),
        "blacklist": make(K.BLACKLIST, 4, day=4, region="500112"),
        "other_item": other_item,
    }


def subjects(response) -> list[str]:
    return [page.subject for page in response.context["page_obj"]]


def test_the_index_lists_everything_newest_first(client, board):
    response = client.get("/announcements/")
    assert response.status_code == 200
    assert subjects(response) == ["公告主题4", "公告主题3", "公告主题2", "公告主题1"]


@pytest.mark.parametrize(("query", "expected"), [
    ("kind=qa", ["公告主题2"]),
    ("region=500112", ["公告主题4"]),
    ("date_from=2026-04-02&date_to=2026-04-03", ["公告主题3", "公告主题2"]),
])
def test_filters(client, board, query, expected):
    assert subjects(client.get(f"/announcements/?{query}")) == expected


def test_filter_by_service_item(client, board):
    response = client.get(f"/announcements/?service_item={board['other_item'].code}")
    assert subjects(response) == ["公告主题3"]


def test_bad_filters_are_explained_not_a_500(english, board):
    response = english.get("/announcements/?kind=gossip&date_from=2026-04-05&date_to=2026-04-01")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_index_is_paginated(client, db):
    for n in range(25):
        make(K.PROCUREMENT, 100 + n, day=1 + n % 28)
    first = client.get("/announcements/?kind=procurement")
    second = client.get("/announcements/?kind=procurement&page=2")
    assert len(first.context["page_obj"]) == 20 and len(second.context["page_obj"]) == 5
    assert "kind=procurement&amp;page=2" in first.content.decode()


def test_an_announcement_page_renders_in_both_languages(client, english, board):
    url = board["qa"].url
    assert client.get(url).status_code == 200
    page = english.get(url).content.decode()
    assert "Q&amp;A announcement" in page and "公告主题2" in page
    assert 'href="/projects/2/"' in page


def test_the_rss_feed_is_valid_and_lists_the_announcements(client, board):
    response = client.get("/announcements/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert len(items) == 4
    assert items[0].find("link").text.endswith(board["blacklist"].url)
    assert "公告主题4" in items[0].find("title").text


def test_the_feed_takes_the_index_filters(client, board):
    response = client.get("/announcements/feed/?kind=result")
    items = ET.fromstring(response.content).find("channel").findall("item")
    assert [item.find("guid").text for item in items] == [
        f"announcement-{board['result'].pk}"]


def test_the_atom_feed_is_valid(client, board):
    response = client.get("/announcements/atom/")
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert len(feed.findall(f"{ATOM}entry")) == 4
