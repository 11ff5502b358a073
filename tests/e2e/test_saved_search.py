"""Saving a project search in the browser (issue 17 §5): the list's filters are chosen, "Save
this search" carries them to the form, and the search appears on the saved-searches page.
In both languages."""

import pytest
from playwright.sync_api import expect

from bidding.models import SavedSearch
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.bidding import ITEM_CODE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_search_saved_from_the_project_list_appears_on_the_saved_searches_page(guide, language):
    user = UserFactory(username="zhang.wei")
    tour = guide.open("visitor", language)
    page = tour.page
    tour.login(user.username, PASSWORD)
    tour.goto("/projects/", "project list")
    page.locator("#id_service_item").select_option(ITEM_CODE)
    page.locator("#id_region").select_option("500103")
    tour.submit("project list filtered", form="main form[role=search]")
    page.get_by_role("link", name=tour.t("Save this search")).click()
    tour.check("save this search form")
    expect(page.locator("main")).to_contain_text(tour.t("Region"))
    page.locator("#id_name").fill("渝中环评")
    page.get_by_label(tour.t("At once")).check()
    tour.submit("saved searches page", button=tour.t("Save search"))

    expect(page.locator("main")).to_contain_text("渝中环评")
    expect(page.locator("main")).to_contain_text(tour.t("At once"))
    search = SavedSearch.objects.get(user=user)
    assert search.query == f"service_item={ITEM_CODE}&region=500103"
    assert search.frequency == "instant"
