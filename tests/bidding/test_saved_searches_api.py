"""Saved searches through the API (issue 17 §5): any logged-in user creates, lists, renames,
re-times and deletes their own; someone else's is 404; a bad query is a clear 400."""

import pytest

from bidding.models import SavedSearch
from marketplace.audit.models import AuditEntry
from tests.conftest import client_for
from tests.factories.accounts import UserFactory
from tests.factories.bidding import ITEM_CODE

pytestmark = pytest.mark.django_db
URL = "/api/v1/saved-searches/"


def _create(client, **body):
    return client.post(URL, {"name": "渝中环评", "query": f"service_item={ITEM_CODE}&region=500103",
                             **body}, format="json", HTTP_ACCEPT_LANGUAGE="en")


def test_a_user_saves_a_search_from_the_lists_query_string():
    alice = UserFactory()

    response = _create(client_for(alice), query=f"?page=3&region=500103&q=&service_item={ITEM_CODE}"
                                                "&sort=x", frequency="instant")

    assert response.status_code == 201
    assert response.data["query"] == f"service_item={ITEM_CODE}&region=500103"
    assert response.data["frequency"] == "instant"
    assert response.data["recent_matches"] == []
    search = SavedSearch.objects.get()
    assert (search.user, search.service_item.code, search.region.code) == (alice, ITEM_CODE,
                                                                           "500103")
    assert AuditEntry.objects.filter(action="saved_search.created", actor=alice).exists()


def test_the_default_frequency_is_the_daily_digest():
    assert _create(client_for(UserFactory())).data["frequency"] == "daily"


@pytest.mark.parametrize(("query", "field"), [
    ("service_item=NO-SUCH-ITEM", "Service item"),
    ("region=999999", "Region"),
    ("budget_min=lots", "Budget cap at least"),
])
def test_a_query_the_list_would_refuse_is_a_clear_400(query, field):
    response = _create(client_for(UserFactory()), query=query)

    assert response.status_code == 400
    assert response.data["code"] == "saved_search.bad_query"
    assert field in str(response.data["query"])
    assert not SavedSearch.objects.exists()


def test_a_search_needs_a_name_and_a_known_frequency():
    client = client_for(UserFactory())

    assert _create(client, name="").status_code == 400
    assert "name" in _create(client, name="   ").data
    assert _create(client, frequency="hourly").status_code == 400
    assert not SavedSearch.objects.exists()


def test_listing_renaming_retiming_and_deleting_ones_own_search():
    alice = UserFactory()
    client = client_for(alice)
    pk = _create(client).data["id"]

    assert [s["id"] for s in client.get(URL).data["results"]] == [pk]
    changed = client.patch(f"{URL}{pk}/", {"name": "环评·渝中", "frequency": "instant"},
                           format="json")
    assert changed.status_code == 200
    assert (changed.data["name"], changed.data["frequency"]) == ("环评·渝中", "instant")
    assert client.get(f"{URL}{pk}/").data["name"] == "环评·渝中"
    assert client.delete(f"{URL}{pk}/").status_code == 204
    assert not SavedSearch.objects.exists()
    assert AuditEntry.objects.filter(action="saved_search.deleted", actor=alice).exists()


def test_someone_elses_search_is_not_found():
    pk = _create(client_for(UserFactory())).data["id"]
    bob = client_for(UserFactory())

    assert bob.get(URL).data["count"] == 0
    assert bob.get(f"{URL}{pk}/").status_code == 404
    assert bob.patch(f"{URL}{pk}/", {"name": "拿走"}, format="json").status_code == 404
    assert bob.delete(f"{URL}{pk}/").status_code == 404
    assert SavedSearch.objects.get(pk=pk).name == "渝中环评"


def test_saved_searches_need_a_login(api_client):
    assert api_client.get(URL).status_code == 401
    assert api_client.post(URL, {"name": "x"}, format="json").status_code == 401


def test_a_user_keeps_at_most_the_cap(monkeypatch):
    from bidding.services import saved_searches

    monkeypatch.setattr(saved_searches, "MAX_SAVED_SEARCHES", 2)
    client = client_for(UserFactory())
    _create(client)
    _create(client)

    response = _create(client)

    assert response.status_code == 400
    assert response.data["code"] == "saved_search.too_many"
    assert SavedSearch.objects.count() == 2
