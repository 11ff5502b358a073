"""The home page's live blocks read the market when the page is shown."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from bidding import services
from cms import selectors
from marketplace.accounts.models import Organization
from tests.factories.accounts import AgencyFactory
from tests.factories.bidding import T0, ProjectFactory, bid, open_bids, publish, user_of
from tests.factories.cms import home

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_home(db):
    page = home()
    page.body = [("market_figures", {"heading": ""}),
                 ("latest_announcements", {"heading": "", "count": 3}),
                 ("closing_projects", {"heading": "", "count": 2}),
                 ("new_agencies", {"heading": "", "count": 2})]
    page.save_revision().publish()
    return page


def test_projects_closing_soon_are_open_ones_nearest_deadline_first(db):
    later = publish(ProjectFactory(bid_deadline=T0 + dt.timedelta(days=9)))
    sooner = publish(ProjectFactory(bid_deadline=T0 + dt.timedelta(days=5)))
    publish(ProjectFactory(bid_deadline=T0 + dt.timedelta(days=7)))
    ProjectFactory(bid_deadline=T0 + dt.timedelta(days=4))  # a draft: never shown
    cancelled = publish(ProjectFactory(bid_deadline=T0 + dt.timedelta(days=4)))
    services.project_cancel(project=cancelled, by=user_of(cancelled.owner), reason="取消",
                            now=T0)
    shown = selectors.projects_closing_soon(limit=2, now=T0 + dt.timedelta(hours=1))
    assert shown[0] == sooner and shown[1].bid_deadline == T0 + dt.timedelta(days=7)
    assert later not in shown
    # Past its deadline a project is no longer "closing soon".
    assert sooner not in selectors.projects_closing_soon(now=T0 + dt.timedelta(days=6))


def test_the_home_page_shows_the_blocks(client, live_home, committed, agencies):
    with committed():
        project = publish(ProjectFactory(bid_deadline=T0 + dt.timedelta(days=5)))
    newest = AgencyFactory(name="重庆最新入驻咨询有限公司")
    with time_machine.travel(T0 + dt.timedelta(hours=2), tick=False):
        response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert project.title in page  # closing soon, and its procurement announcement
    assert f'href="/projects/{project.pk}/"' in page
    assert "/announcements/procurement-project-" in page
    assert newest.name in page
    figures = response.content.decode()
    listed = Organization.objects.filter(kind="agency", status="active").count()
    assert f'data-figure="agencies">{listed}<' in figures
    assert 'data-figure="open_projects">1<' in figures


def test_market_figures_count_final_awards_and_their_amount(project, agencies):
    for agency, price in zip(agencies[:3], ["90000", "80000", "85000"], strict=True):
        bid(project, agency, price)
    project = open_bids(project)
    now = project.bid_deadline + dt.timedelta(hours=1)
    project = services.project_award(project=project, by=user_of(project.owner), now=now)
    assert selectors.market_figures(now=now).awards == 0
    end = project.awards.get().publicity_ends_at
    services.project_finalize(project=project, now=end + dt.timedelta(minutes=1))
    figures = selectors.market_figures(now=end)
    assert figures.awards == 1 and figures.awarded_amount == Decimal("80000.00")
    assert figures.open_projects == 0


def test_the_home_page_renders_in_english(english, live_home):
    page = english.get("/").content.decode()
    assert "Market figures" in page and "Projects closing soon" in page
    assert "Newly registered agencies" in page and "Latest announcements" in page


def test_new_agencies_are_read_newest_first_from_their_index(db):
    """Not by sorting every agency (issue 14 §1: 23 ms of the home page at 20,000 agencies)."""
    from tests.query_plans import plan_of

    AgencyFactory()
    plan = plan_of(selectors.new_agencies)
    assert "organization_newest" in plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan
