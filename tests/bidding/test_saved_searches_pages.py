"""The saved-search pages (issue 17 §5): "save this search" on the project list carries the
current filters to a form; "my saved searches" lists them with their last matches and lets the
user rename, re-time and delete them (someone else's: 404)."""

import datetime as dt
import re
from html import unescape

import pytest

from bidding.models import SavedSearch, SavedSearchMatch
from bidding.services import saved_searches as services
from tests.factories.accounts import UserFactory
from tests.factories.bidding import ITEM_CODE, T0, published_project

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _save_link(page: str) -> str:
    return unescape(re.search(r'id="save-search" href="([^"]+)"', page).group(1))


def test_the_list_offers_to_save_its_current_filters(client):
    client.force_login(UserFactory())
    page = client.get(f"/projects/?service_item={ITEM_CODE}&region=500103&page=2", **EN)

    link = _save_link(page.content.decode())

    assert link.startswith("/workspace/saved-searches/new/?query=")
    form = client.get(link, **EN).content.decode()
    assert "Save this search" in form
    assert 'name="query" value="service_item=EIA-R&amp;region=500103"' in form
    assert "Region" in form and "渝中区" in form  # the filters, as a person reads them


def test_saving_from_the_form_lands_on_the_saved_searches_page(client):
    alice = UserFactory()
    client.force_login(alice)

    response = client.post("/workspace/saved-searches/new/", {
        "name": "渝中环评", "frequency": "instant",
        "query": f"service_item={ITEM_CODE}&region=500103"}, follow=True, **EN)

    search = SavedSearch.objects.get(user=alice)
    assert response.redirect_chain[-1][0] == f"/workspace/saved-searches/#search-{search.pk}"
    page = response.content.decode()
    assert "Search saved." in page and "渝中环评" in page and "At once" in page


def test_a_bad_query_is_said_on_the_form_and_nothing_is_saved(client):
    client.force_login(UserFactory())

    response = client.post("/workspace/saved-searches/new/", {
        "name": "x", "frequency": "daily", "query": "region=999999"}, **EN)

    assert response.status_code == 200
    assert "Region:" in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_the_page_shows_the_last_matches_and_changes_a_search(client):
    alice = UserFactory()
    search = services.saved_search_create(user=alice, name="渝中环评",
                                          query=f"service_item={ITEM_CODE}",
                                          now=T0 - dt.timedelta(days=1))
    project = published_project(title="解放碑片区改造环评")
    SavedSearchMatch.objects.create(search=search, project=project)
    client.force_login(alice)

    page = client.get("/workspace/saved-searches/", **EN).content.decode()
    assert "解放碑片区改造环评" in page and "Daily digest" in page

    client.post(f"/workspace/saved-searches/{search.pk}/", {
        f"search-{search.pk}-name": "改名了", f"search-{search.pk}-frequency": "instant"})
    search.refresh_from_db()
    assert (search.name, search.frequency) == ("改名了", "instant")

    client.post(f"/workspace/saved-searches/{search.pk}/delete/")
    assert not SavedSearch.objects.exists()


def test_someone_elses_search_cannot_be_changed_from_the_page(client):
    search = services.saved_search_create(user=UserFactory(), name="别人的", query="")
    client.force_login(UserFactory())

    assert client.post(f"/workspace/saved-searches/{search.pk}/", {
        f"search-{search.pk}-name": "拿走", f"search-{search.pk}-frequency": "daily"},
    ).status_code == 404
    assert client.post(f"/workspace/saved-searches/{search.pk}/delete/").status_code == 404
    assert SavedSearch.objects.get().name == "别人的"


def test_saving_a_search_needs_a_login(client):
    response = client.get("/workspace/saved-searches/new/?query=region%3D500103")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_reads_in_the_same_queries_for_one_search_or_many(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    alice = UserFactory()
    client.force_login(alice)

    def saved(n):
        search = services.saved_search_create(
            user=alice, name=f"搜索{n}", query=f"service_item={ITEM_CODE}&q=环评{n}",
            now=T0 - dt.timedelta(days=1))
        for k in range(7):  # more than the page shows
            SavedSearchMatch.objects.create(search=search, project=published_project(
                title=f"项目{n}-{k}"))
        return search

    saved(0)
    client.get("/workspace/saved-searches/", **EN)  # warm: the session and per-process caches
    with CaptureQueriesContext(connection) as one:
        client.get("/workspace/saved-searches/", **EN)
    for n in range(1, 4):
        saved(n)
    with CaptureQueriesContext(connection) as four:
        page = client.get("/workspace/saved-searches/", **EN).content.decode()
    assert len(four) == len(one), (len(one), len(four))
    assert page.count("项目3-") == 5  # the last five matches of a search, not all seven
