"""The owner form's budget-cap hint (issue 15 §3): similar projects' median and middle half,
a warning when the cap is outside it, "not enough data" below the minimum, the region widened
to the city when a district has too few; fetched with htmx and rendered with the form."""

import datetime as dt

import pytest
from django.core.cache import cache

from bidding.views.price_index import hint_for
from tests.factories.accounts import OwnerFactory
from tests.factories.bidding import T0, ProjectFactory
from tests.factories.owner_pages import browser_as
from tests.factories.price_index import won_project

pytestmark = pytest.mark.django_db
NOW = T0 + dt.timedelta(days=70)


@pytest.fixture(autouse=True)
def fresh_cache(time_machine):
    time_machine.move_to(NOW, tick=False)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def market():
    """Five projects won in 渝中区 at 60,000 … 95,000 (middle half 70,000–90,000)."""
    for winning in ("60000.00", "70000.00", "80000.00", "90000.00", "95000.00"):
        won_project(winning)


def hint_page(client, **params) -> str:
    response = client.get("/price-index/cap-hint/", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_hint_gives_median_middle_half_and_count(market, client):
    html = hint_page(english(client), service_item="EIA-R", region="500103",
                     budget_cap="85000")
    assert ("Similar projects: median ¥80,000.00, middle half ¥70,000.00–¥90,000.00, "
            "5 projects in the last 12 months.") in html
    assert 'data-position="within"' in html
    assert "cap-warning" not in html
    assert 'href="/price-index/items/EIA-R/?region=500103"' in html


@pytest.mark.parametrize(("cap", "position", "words"), [
    ("65000", "low", "bids may come in above it and the tender fail"),
    ("120000", "high", "does not spend more public money than the work needs"),
])
def test_a_cap_outside_the_middle_half_is_warned_about(market, client, cap, position, words):
    html = hint_page(english(client), service_item="EIA-R", region="500103", budget_cap=cap)
    assert f'id="cap-warning-{position}"' in html and words in html
    assert "Advice only: you may set any cap." in html
    hint = hint_for({"service_item": "EIA-R", "region": "500103", "budget_cap": cap})
    assert hint.position == position


def test_too_few_projects_say_there_is_not_enough_data(client):
    for winning in ("60000.00", "70000.00", "80000.00", "90000.00"):
        won_project(winning)
    html = hint_page(english(client), service_item="EIA-R", budget_cap="10")
    assert 'id="not-enough-data"' in html
    assert "fewer than 5 similar projects" in html
    assert "cap-warning" not in html


def test_a_district_with_too_few_projects_gets_the_citys_figures(market, client):
    html = hint_page(english(client), service_item="EIA-R", region="500101")
    assert "Too few in your region: figures for 重庆市（市级）." in html
    assert "5 projects in the last 12 months" in html


def test_nothing_chosen_or_unreadable_input_gives_no_hint_and_no_error(market, client):
    assert hint_page(client).strip() == ""
    assert hint_page(client, service_item="NOPE").strip() == ""
    html = hint_page(english(client), service_item="EIA-R", region="x", budget_cap="abc")
    assert "All regions." in html and 'data-position=""' in html


def test_the_form_fetches_the_hint_with_htmx_and_shows_it_again_on_errors(market):
    owner = OwnerFactory()
    client = browser_as(owner)
    page = client.get("/workspace/projects/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="price-hint"' in page and 'hx-get="/price-index/cap-hint/"' in page
    assert "Similar projects" not in page  # nothing chosen yet

    # A form with an error keeps the owner's choice and shows the hint for it.
    response = client.post("/workspace/projects/new/", {
        "service_item": "EIA-R", "region": "500103", "budget_cap": "200000", "title": "",
    }, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Similar projects: median ¥80,000.00" in html
    assert 'id="cap-warning-high"' in html


def test_editing_a_draft_shows_the_hint_for_its_terms(market):
    draft = ProjectFactory(budget_cap="65000.00")
    client = browser_as(draft.owner)
    html = client.get(f"/workspace/projects/{draft.pk}/edit/",
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Similar projects: median ¥80,000.00" in html
    assert 'id="cap-warning-low"' in html
