"""Journey 5: a regulator blacklists an agency from the console, with a reason; the public
blacklist, the directory, the agency's own workspace and credit page all say so, and the
agency cannot bid.

This journey also runs in the PostgreSQL half of `make test` (both_databases).
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bidding.models import Bid
from marketplace.accounts import services as accounts
from tests.factories.accounts import PASSWORD, give_authenticator, member_of
from tests.factories.bidding import agency_offering, bid, published_project, qualify

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.both_databases]

REASON = "经查，该机构在两江新区某环评项目中提供虚假监测数据，情节严重。"


@pytest.fixture
def market():
    now = timezone.now()
    agency = agency_offering(name="重庆诚信环评咨询有限公司")
    qualify(agency, "EIA")
    project = published_project(now=now - dt.timedelta(hours=2),
                                bid_deadline=now + dt.timedelta(days=5))
    other = published_project(now=now - dt.timedelta(hours=2),
                              bid_deadline=now + dt.timedelta(days=5))
    live_bid = bid(project, agency, "85000.00", now=now - dt.timedelta(hours=1))
    # A regulator account made the way the product makes them (it joins "Regulators").
    regulator = accounts.create_regulator(username="supervisor", password=PASSWORD)
    give_authenticator(regulator)  # mandatory for regulators; the tour types its codes
    return {"agency": agency, "agency_user": member_of(agency), "project": project,
            "other": other, "bid": live_bid, "regulator": regulator}


def test_a_blacklisting_from_the_console_shows_everywhere_and_stops_bidding(guide, market):
    agency = market["agency"]
    regulator = guide.open("regulator", "zh-hans")
    page = regulator.page
    regulator.login(market["regulator"].username, PASSWORD)
    regulator.goto("/console/", "console dashboard")
    regulator.goto("/console/supervision/blacklist/", "console blacklist")
    page.get_by_role("link", name=regulator.t("Add to the blacklist")).first.click()
    regulator.check("blacklist form")
    # The required reason is starred like the other required fields.
    expect(page.locator("label[for=id_reason]")).to_contain_text("*")
    page.locator("#id_organization").fill(agency.uscc)
    page.locator("#id_reason").fill(REASON)
    page.locator("#id_basis").fill("渝发改〔2026〕12号")
    ends = timezone.localtime() + dt.timedelta(days=365)
    page.locator("#id_ends_at").fill(ends.strftime("%Y-%m-%dT%H:%M"))
    regulator.reauthenticate(market["regulator"].username, PASSWORD)
    submit = page.locator("main form button[type=submit], main form input[type=submit]").first
    expect(submit).to_contain_text(regulator.t("Add to the blacklist"))
    with page.expect_navigation():
        submit.click()
    regulator.check("console blacklist after the listing")
    row = page.locator("tr", has_text=agency.name)
    expect(row).to_contain_text(regulator.t("Currently listed"))

    public = guide.open("public", "zh-hans")
    public.goto("/blacklist/", "public blacklist")
    expect(public.page.locator("main")).to_contain_text(agency.name)
    expect(public.page.locator("main")).to_contain_text(REASON)
    public.goto("/agencies/", "directory")
    expect(public.page.locator("tr", has_text=agency.name)).to_contain_text("黑名单")

    own = guide.open("agency", "zh-hans")
    own.login(market["agency_user"].username, PASSWORD)
    notice = own.page.locator("#blacklist-notice")
    expect(notice).to_contain_text("黑名单")
    expect(notice).to_contain_text(REASON)
    own.goto("/workspace/credit/", "own credit page")
    expect(own.page.locator("main")).to_contain_text("黑名单")
    expect(own.page.locator("main")).not_to_contain_text("正常")
    # The agency cannot bid: the announcement says why and offers no bid button.
    own.goto(market["other"].get_absolute_url(), "announcement while blacklisted")
    expect(own.page.locator("#eligibility")).to_contain_text("黑名单")
    expect(own.page.get_by_role("link", name="提交报价")).to_have_count(0)
    own.goto(f"/workspace/bids/projects/{market['other'].pk}/bid/", "bid form while blacklisted")
    expect(own.page.locator("main")).to_contain_text("黑名单")
    market["bid"].refresh_from_db()
    assert market["bid"].status == Bid.Status.DISQUALIFIED
    assert not Bid.objects.filter(project=market["other"], agency=agency).exists()
