"""The price index's figures (issue 15 §3) on small hand-built markets: medians and quartiles
checked by hand, only opened projects with a final award counted, regions nested, a
re-awarded project counted once at its new price, and the public pages that show them."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client

from bidding import services
from bidding.models import Project
from bidding.selectors_price_index import item_index, overview, quantile, spread
from tests.factories.accounts import region
from tests.factories.bidding import T0, agency_offering, bid, open_bids, published_project
from tests.factories.bidding import service_item as item_of
from tests.factories.price_index import final_at, project_in_publicity, won_project

pytestmark = pytest.mark.django_db
NOW = T0 + dt.timedelta(days=70)  # mid-May 2026: March's awards are in the last 12 months
D = Decimal


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def hand_built_market():
    """Five projects won in 渝中区 (500103), caps 100,000: winning prices 60,000 … 95,000, two
    bids each; and one in 万州区 (500101) won at 50,000 with three bids."""
    for winning in ("95000.00", "60000.00", "80000.00", "70000.00", "90000.00"):
        won_project(winning, others=("99000.00",))
    won_project("50000.00", region_code="500101", others=("98000.00", "99000.00"))


# --- Statistics by hand ---------------------------------------------------------------------

def test_quartiles_interpolate_between_the_ordered_values():
    values = [D(60), D(70), D(80), D(90)]
    # Positions p·(n−1): 0.75, 1.5, 2.25.
    assert quantile(values, D("0.25")) == D("67.5")
    assert quantile(values, D("0.5")) == D(75)
    assert quantile(values, D("0.75")) == D("82.5")
    one = spread([D("12.34")], D("0.01"))
    assert (one.median, one.q1, one.q3) == (D("12.34"),) * 3
    assert spread([], D("0.01")) is None


# --- A hand-built market --------------------------------------------------------------------

def test_figures_of_a_district_and_of_the_whole_city():
    hand_built_market()
    item = item_of()

    district = item_index(item, region("500103"), now=NOW).summary
    assert district.projects == 5
    # Prices 60, 70, 80, 90, 95 thousand: positions 1, 2, 3.
    assert (district.price.median, district.price.q1, district.price.q3) == (
        D("80000.00"), D("70000.00"), D("90000.00"))
    # Discounts off 100,000: 5, 10, 20, 30, 40 percent.
    assert (district.discount.median, district.discount.q1, district.discount.q3) == (
        D("20.0"), D("10.0"), D("30.0"))
    assert district.bids_per_project == D("2.0")

    # 重庆市 (500000) is province-level: it covers every district and county.
    city = item_index(item, region("500000"), now=NOW).summary
    assert city.projects == 6
    # Prices 50, 60, 70, 80, 90, 95: positions 1.25, 2.5, 3.75.
    assert (city.price.median, city.price.q1, city.price.q3) == (
        D("75000.00"), D("62500.00"), D("87500.00"))
    assert city.bids_per_project == D("2.2")  # 13 bids over 6 projects
    assert item_index(item, None, now=NOW).summary == city
    assert item_index(item, region("500101"), now=NOW).summary.projects == 1


def test_projects_fall_in_the_month_their_award_became_final():
    project = won_project("80000.00")
    month = final_at(project).astimezone(dt.UTC).strftime("%Y-%m")
    index = item_index(item_of(), now=NOW)
    assert len(index.months) == 24
    assert index.months[-1].label == "2026-05"
    counted = {m.label: m.figures.projects for m in index.months if m.figures.projects}
    assert counted == {month: 1}
    # A year later March 2026 has left the 12 months of the summary, not the 24 of the series.
    later = item_index(item_of(), now=NOW + dt.timedelta(days=330))
    assert later.summary.projects == 0
    assert sum(m.figures.projects for m in later.months) == 1


def test_sealed_proposed_and_failed_projects_are_not_counted():
    sealed = published_project(min_bidders=1)
    bid(sealed, agency_offering(), "1000.00")  # still sealed: bidding is open
    failed = published_project(min_bidders=3)
    bid(failed, agency_offering(), "2000.00")
    assert open_bids(failed).status == Project.Status.FAILED
    proposed = project_in_publicity("3000.00")  # award proposed, not final

    assert item_index(item_of(), now=NOW).summary.projects == 0
    assert [row for row in overview(now=NOW) if row.figures.projects] == []

    # The award becoming final clears the cache: the next read counts it.
    services.project_finalize(project=proposed, now=proposed.awards.get().publicity_ends_at)
    summary = item_index(item_of(), now=NOW).summary
    assert summary.projects == 1
    assert summary.price.median == D("3000.00")


def test_a_re_awarded_project_counts_once_at_the_price_of_the_award_in_force():
    project = won_project("60000.00", others=("75000.00",))
    assert item_index(item_of(), now=NOW).summary.price.median == D("60000.00")
    winner = project.awards.get().bid.agency
    now = final_at(project) + dt.timedelta(days=1)
    services.award_withdraw(project=project, agency_id=winner.pk, reason="列入黑名单",
                            bid_reason="列入黑名单", now=now)
    # Passed on: the next bid's award is under publicity, so the project does not count.
    assert item_index(item_of(), now=NOW).summary.projects == 0
    standing = project.awards.get(cancelled_at__isnull=True)
    services.project_finalize(project=project, now=standing.publicity_ends_at)
    summary = item_index(item_of(), now=NOW).summary
    assert summary.projects == 1
    assert summary.price.median == D("75000.00")


def test_the_overview_lists_every_active_item_with_its_figures():
    hand_built_market()
    rows = {row.item.code: row.figures for row in overview(now=NOW)}
    assert rows["EIA-R"].projects == 6
    assert rows["EIA-R"].price.median == D("75000.00")
    assert rows["EIA-T"].projects == 0 and rows["EIA-T"].price is None
    district = {row.item.code: row.figures for row in overview(region("500101"), now=NOW)}
    assert district["EIA-R"].projects == 1


# --- The public pages -----------------------------------------------------------------------

def english() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    return client


def chart_data(html: str) -> dict:
    found = re.search(r'<script id="price-index-data" type="application/json">(.*?)</script>',
                      html, re.S)
    assert found, "the chart data is passed with json_script"
    return json.loads(found.group(1))


def test_the_item_page_shows_the_figures_the_chart_data_and_the_table(time_machine):
    time_machine.move_to(NOW, tick=False)
    hand_built_market()
    response = english().get("/price-index/items/EIA-R/?region=500103")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="summary-median">¥80,000.00<' in html
    assert "¥70,000.00 – ¥90,000.00" in html
    assert 'id="summary-discount">20.0%<' in html
    assert 'id="not-enough-data"' not in html
    assert '<canvas id="price-chart"' in html and "bidding/price_index.js" in html
    data = chart_data(html)
    assert len(data["labels"]) == 24 and data["labels"][-1] == "2026-05"
    march = data["labels"].index("2026-03")
    assert data["projects"][march] == 5
    assert data["price"]["median"][march] == 80000.0
    assert data["discount"]["q3"][march] == 30.0
    rows = re.findall(r'<tr data-month="([0-9-]+)">', html)
    assert rows[0] == "2026-05" and len(rows) == 24  # newest first

    thin = english().get("/price-index/items/EIA-R/?region=500101").content.decode()
    assert 'id="not-enough-data"' in thin and "fewer than 5 projects" in thin


def test_the_overview_page_links_each_item(time_machine):
    time_machine.move_to(NOW, tick=False)
    hand_built_market()
    html = english().get("/price-index/").content.decode()
    row = re.search(r'<tr data-item="EIA-R">(.*?)</tr>', html, re.S).group(1)
    assert "/price-index/items/EIA-R/" in row and "¥75,000.00" in row
    assert ">6<" in row
    assert '<tr data-item="EIA-T">' in html
    # The catalogue's item page links its price index.
    catalogue = english().get("/service-items/EIA-R/").content.decode()
    assert 'href="/price-index/items/EIA-R/"' in catalogue


def test_unknown_region_or_item_on_the_pages():
    bad = english().get("/price-index/?region=999999")
    assert bad.status_code == 200
    assert "No region has this code." in bad.content.decode()
    assert english().get("/price-index/items/NOPE/").status_code == 404
