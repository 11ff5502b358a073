"""The price index in Chromium (issue 15 §3): the public page of a service item draws its
charts under the Content-Security-Policy with the table behind them, and the owner's project
form shows the budget-cap hint as soon as an item is chosen, with its warning when the cap is
outside the usual range. In both languages."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories.accounts import PASSWORD, OwnerFactory, member_of
from tests.factories.price_index import won_project

pytestmark = pytest.mark.django_db(transaction=True)
PRICES = ("60000.00", "70000.00", "80000.00", "90000.00", "95000.00")


@pytest.fixture
def market():
    """Five projects won in 渝中区 over the last weeks: median 80,000, middle half
    70,000–90,000."""
    cache.clear()
    start = timezone.now() - dt.timedelta(days=30)
    for n, winning in enumerate(PRICES):
        won_project(winning, others=("99000.00",), start=start + dt.timedelta(hours=n))
    yield
    cache.clear()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_items_price_index_draws_its_charts_and_table(guide, market, language):
    tour = guide.open("public", language)
    page = tour.goto("/service-items/EIA-R/", "catalogue item")
    page.locator("#price-index-link").click()
    tour.check("price index of the item")
    expect(page.locator("#summary-median")).to_have_text("¥80,000.00")
    expect(page.locator("#summary-projects")).to_have_text("5")
    for canvas in ("#price-chart", "#discount-chart", "#projects-chart"):
        expect(page.locator(canvas)).to_be_visible()
    # Chart.js drew on the canvas (it sizes it to its box and keeps the chart on the node).
    assert page.evaluate("() => !!window.Chart.getChart(document.getElementById('price-chart'))")
    rows = page.locator("#price-index-months tbody tr")
    expect(rows).to_have_count(24)
    month = timezone.localtime(timezone.now()).strftime("%Y-%m")
    expect(page.locator("#price-index-months")).to_contain_text(month)
    expect(page.locator("#price-index-months")).to_contain_text("¥70,000.00 – ¥90,000.00")

    tour.goto("/price-index/?region=500000", "price index overview")
    expect(page.locator('#price-index-overview tr[data-item="EIA-R"]')).to_contain_text(
        "¥80,000.00")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_owner_form_shows_the_cap_hint_after_choosing_an_item(guide, market, language):
    owner = OwnerFactory()
    member_of(owner, username="hint-owner")
    tour = guide.open("owner", language)
    tour.login("hint-owner", PASSWORD)
    page = tour.goto("/workspace/projects/new/", "project form")
    hint = page.locator("#price-hint")
    expect(hint).not_to_contain_text("¥80,000.00")

    page.locator("#id_service_item").select_option("EIA-R")
    expect(hint).to_contain_text("¥80,000.00")  # the median
    expect(hint).to_contain_text("¥70,000.00–¥90,000.00")  # the middle half
    page.locator("#id_region").select_option("500103")
    page.locator("#id_budget_cap").fill("50000")
    expect(page.locator("#cap-warning-low")).to_be_visible()
    page.locator("#id_budget_cap").fill("85000")
    expect(hint.locator("[data-position=within]")).to_be_visible()
    expect(page.locator("#cap-warning-low")).to_have_count(0)
    tour.check("project form with the cap hint")
