"""The market overview (/credit/): competition and savings figures from opened projects only
(sealed bids never leak), charts drawn from local assets with the tables as their fallback,
both languages, and a number of queries that does not grow with the market."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.test import Client

from bidding import services
from bidding.selectors_market import (
    average_bids_per_project,
    market_series,
    savings_against_budget_caps,
)
from tests.factories.bidding import T0, agency_offering, bid, open_bids, published_project, user_of
from tests.factories.contracts import awarded_project, project_in_publicity

pytestmark = pytest.mark.django_db
SEALED_PRICE = "76543.21"
QUERY_BOUND = 20


def browser(language: str | None = None) -> Client:
    client = Client()
    if language is not None:
        client.cookies["django_language"] = language
    return client


def opened_project(prices, *, min_bidders: int = 1, withdrawn: int = 0):
    """A project opened with a bid at each of `prices`, after `withdrawn` more bids were
    submitted and withdrawn before the deadline."""
    project = published_project(min_bidders=min_bidders)
    for price in prices:
        bid(project, agency_offering(), price)
    for _ in range(withdrawn):
        agency = agency_offering()
        gone = bid(project, agency, "70000.00")
        services.bid_withdraw(bid=gone, by=user_of(agency),
                              now=project.published_at + dt.timedelta(hours=2))
    return open_bids(project)


def sealed_project():
    """A project still open for bids, with two sealed bids."""
    project = published_project()
    bid(project, agency_offering(), SEALED_PRICE)
    bid(project, agency_offering(), SEALED_PRICE)
    return project


def chart_data(html: str) -> dict:
    found = re.search(r'<script id="market-chart-data" type="application/json">(.*?)</script>',
                      html, re.S)
    assert found, "the chart data is passed with json_script"
    return json.loads(found.group(1))


# --- Figures --------------------------------------------------------------------------------


def test_average_bids_counts_opened_projects_and_ignores_withdrawn_bids():
    opened_project(["80000.00", "85000.00", "90000.00"], withdrawn=1)
    # Two bids against a minimum of three: the round fails at opening, but it was opened.
    failed = opened_project(["81000.00", "82000.00"], min_bidders=3)
    assert failed.status == failed.Status.FAILED

    assert average_bids_per_project() == Decimal("2.5")
    assert average_bids_per_project(since=T0 + dt.timedelta(days=30)) is None


def test_a_bidding_projects_sealed_bids_are_not_counted_nor_shown():
    sealed_project()
    assert average_bids_per_project() is None

    opened_project(["80000.00"])
    assert average_bids_per_project() == Decimal("1.0")
    for language in (None, "en"):
        html = browser(language).get("/credit/").content.decode()
        assert "76543" not in html and "76,543" not in html


def test_savings_compare_final_awards_with_their_budget_caps():
    awarded_project(budget_cap=Decimal("100000.00"),
                    prices=("80000.00", "85000.00", "90000.00"))
    awarded_project(budget_cap=Decimal("50000.00"), prices=("45000.00", "46000.00", "47000.00"))
    # Proposed but not final yet: not in the figures.
    project_in_publicity(budget_cap=Decimal("100000.00"),
                         prices=("70000.00", "85000.00", "90000.00"))

    savings = savings_against_budget_caps()

    assert savings == {"awards": 2, "caps": Decimal("150000.00"),
                       "prices": Decimal("125000.00"), "saving": Decimal("25000.00"),
                       "rate": Decimal("16.7")}


def test_savings_rate_is_none_when_nothing_is_awarded():
    opened_project(["80000.00"])
    assert savings_against_budget_caps() == {"awards": 0, "caps": 0, "prices": 0, "saving": 0,
                                             "rate": None}


def test_market_series_ends_with_the_current_month():
    awarded_project(prices=("80000.00", "85000.00", "90000.00"))

    series = market_series(months=12, now=T0 + dt.timedelta(days=20))

    assert len(series["labels"]) == 12
    assert series["labels"][0] == "2025-04" and series["labels"][-1] == "2026-03"
    assert series["published"][-1] == 1 and series["awards"][-1] == 1
    assert series["amount"][-1] == 80000.0


# --- The page -------------------------------------------------------------------------------


def test_the_overview_is_chinese_by_default_and_english_on_request():
    awarded_project(budget_cap=Decimal("100000.00"),
                    prices=("80000.00", "85000.00", "90000.00"))

    chinese = browser().get("/credit/").content.decode()
    english = browser("en").get("/credit/").content.decode()

    assert '<html lang="zh-hans">' in chinese and "信用等级分布" in chinese
    assert "Grade distribution" not in chinese
    assert '<html lang="en">' in english and "Grade distribution" in english
    assert "Average bids per project" in english and "Savings rate" in english
    assert 'id="average-bids">3.0<' in english
    assert 'id="savings-amount">¥20,000.00<' in english and 'id="savings-rate">20.0%<' in english
    assert 'id="awards-count">1<' in english


def test_the_charts_come_from_local_assets_with_json_script_data_and_tables():
    opened_project(["80000.00", "85000.00"])

    html = browser("en").get("/credit/").content.decode()

    assert '<script src="/static/vendor/chartjs/chart.umd.min.js"></script>' in html
    assert '<script src="/static/ratings/credit_charts.js"></script>' in html
    assert not re.search(r'<script[^>]+src="(https?:)?//', html), "no CDN"
    content = html[html.index("<main"):]
    assert not re.search(r"\son[a-z]+=", content), "no inline event handlers"
    data = chart_data(html)
    assert data["grades"]["labels"] == ["A", "B", "C", "D"]
    assert sum(data["grades"]["agencies"]) == 2
    assert len(data["months"]["labels"]) == 12
    assert data["months"]["labels"] == sorted(data["months"]["labels"])
    # The tables say the same without JavaScript.
    assert 'id="grade-distribution"' in html and 'id="monthly-series"' in html
    assert 'data-label-agencies="Agencies"' in html


def test_the_chart_script_is_a_collected_static_file():
    from django.contrib.staticfiles import finders

    assert finders.find("ratings/credit_charts.js")
    assert finders.find("vendor/chartjs/chart.umd.min.js")


def test_the_number_of_queries_does_not_grow_with_the_market(django_assert_max_num_queries):
    def market_of(n: int) -> None:
        for _ in range(n):
            awarded_project(min_bidders=1, prices=("80000.00", "85000.00"))

    # The first request fills per-process caches (content types, the Wagtail site).
    browser().get("/credit/")
    market_of(2)
    # 8 for the page's own figures, the rest is the site's navigation in base.html.
    with django_assert_max_num_queries(QUERY_BOUND) as small:
        assert browser().get("/credit/").status_code == 200
    market_of(4)
    with django_assert_max_num_queries(QUERY_BOUND) as large:
        assert browser().get("/credit/").status_code == 200

    assert len(small) == len(large)


def average_bids_shown() -> str:
    html = browser("en").get("/credit/").content.decode()
    return re.search(r'id="average-bids">([^<]*)<', html).group(1)


def test_the_market_figures_are_read_once_and_afresh_after_each_project_event():
    """Cached (they aggregate every bid of the market, issue 14 §1), yet an opening shows at
    once: any project event starts a new generation."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    opened_project(["80000.00", "90000.00"])
    assert average_bids_shown() == "2.0"
    with CaptureQueriesContext(connection) as cached:
        assert average_bids_shown() == "2.0"
    assert not any("bidding_bid" in query["sql"] for query in cached.captured_queries)

    opened_project(["80000.00", "85000.00", "90000.00", "95000.00"])
    assert average_bids_shown() == "3.0"


def test_the_latest_events_are_read_from_their_index_not_sorted_whole():
    """The overview's latest events, newest first, walk the `credit_event_recent` index (issue
    14 §1: sorting a 100k-event ledger for 20 rows cost 160 ms on SQLite)."""
    from ratings.selectors import recent_public_events
    from tests.query_plans import plan_of

    plan = plan_of(lambda: list(recent_public_events()))
    assert "credit_event_recent" in plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan
