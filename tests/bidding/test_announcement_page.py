"""The announcement page's extras: a QR code of its own absolute URL drawn on the server, a
countdown that works from our own script (the deadline stays readable without it), and for an
agency whether it can bid and what it can do now."""

import datetime as dt
import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
import segno
import time_machine
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from bidding import services
from bidding.models import Exclusion
from bidding.views.announcement import qr_svg
from tests.factories.accounts import AgencyFactory
from tests.factories.bidding import T0, agency_offering, bid, open_bids, user_of

pytestmark = pytest.mark.django_db
DURING = T0 + dt.timedelta(days=1)


def browser(organization=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if organization is not None:
        client.force_login(user_of(organization))
    return client


def page(project, organization=None, host="testserver") -> str:
    with time_machine.travel(DURING, tick=False):
        response = browser(organization).get(f"/projects/{project.pk}/", HTTP_HOST=host)
    assert response.status_code == 200
    return response.content.decode()


def test_the_qr_code_is_inline_svg_of_the_absolute_url(project, settings):
    settings.ALLOWED_HOSTS = ["*"]
    url = f"http://market.example.cn/projects/{project.pk}/"
    qr_svg.cache_clear()
    with mock.patch("bidding.views.announcement.segno.make", wraps=segno.make) as make:
        html = page(project, host="market.example.cn")
    make.assert_called_once()
    assert make.call_args.args[0] == url
    expected = segno.make(url, error="m").svg_inline(scale=3, title=url)
    assert expected in html
    svg = expected.split("</title>")[1]
    assert "href" not in svg and "<image" not in svg  # nothing loaded from elsewhere


def test_the_countdown_is_our_script_and_the_deadline_is_text(project):
    html = page(project)
    assert re.search(r'<script src="/static/bidding/countdown\.js"></script>', html)
    assert 'data-deadline="2026-03-06T10:00:00+08:00"' in html
    assert "6 Mar 2026 10:00:00" in html  # readable without JavaScript
    assert "Bidding has closed." in html  # the text the script shows at zero
    script = Path(finders.find("bidding/countdown.js")).read_text()
    assert "clearInterval" in script and "http" not in script


def test_after_the_deadline_the_page_says_bidding_has_closed(project):
    with time_machine.travel(project.bid_deadline + dt.timedelta(seconds=1), tick=False):
        html = browser().get(f"/projects/{project.pk}/").content.decode()
    assert 'id="countdown"' not in html and "Bidding has closed." in html


def test_an_eligible_agency_is_invited_to_bid_and_ask(project):
    html = page(project, agency_offering())
    assert "can bid on this project" in html
    assert f"/workspace/bids/projects/{project.pk}/bid/" in html
    assert f"/workspace/bids/projects/{project.pk}/question/" in html


def test_an_agency_that_cannot_bid_is_told_why(project):
    html = page(project, AgencyFactory())
    assert "You cannot bid on this project" in html
    assert "does not offer the service item" in html
    assert f"/workspace/bids/projects/{project.pk}/bid/" not in html


def test_an_excluded_agency_sees_the_stated_reason(project):
    agency = agency_offering()
    Exclusion.objects.create(project=project, agency=agency, reason="编制了可研报告")
    html = page(project, agency)
    assert "编制了可研报告" in html


def test_a_bidder_sees_revise_withdraw_and_its_receipt(project):
    agency = agency_offering()
    offer = bid(project, agency, now=DURING)
    html = page(project, agency)
    for action in ("revise/", "withdraw/", ""):
        assert f"/workspace/bids/{offer.pk}/{action}" in html
    assert f"/workspace/bids/projects/{project.pk}/bid/" not in html
    assert offer.receipt not in html  # the announcement shows no bid data, even its own


def test_owners_regulators_and_the_public_get_no_agency_panel(project, regulator):
    for viewer in (None, project.owner, regulator):
        assert 'id="agency-panel"' not in page(project, viewer)


def test_objection_button_only_for_bidders_during_publicity(project, agencies):
    for agency, price in zip(agencies[:3], ["90000", "80000", "85000"], strict=True):
        bid(project, agency, price, now=DURING)
    project = open_bids(project)
    now = project.bid_deadline + dt.timedelta(hours=1)
    services.project_award(project=project, by=user_of(project.owner), now=now)
    url = f"/workspace/bids/projects/{project.pk}/objection/"
    with time_machine.travel(now + dt.timedelta(hours=1), tick=False):
        assert url in browser(agencies[0]).get(f"/projects/{project.pk}/").content.decode()
        assert url not in browser(agencies[3]).get(f"/projects/{project.pk}/").content.decode()


def test_the_public_is_invited_to_log_in_to_bid(project):
    html = page(project)
    assert f'/accounts/login/?next=/projects/{project.pk}/' in html
    assert 'id="agency-panel"' not in html


# --- Our scripts, run in Node with a minimal fake page (skipped where Node is missing) --------

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="needs Node.js to run the page scripts")

FAKE_PAGE = """
let now = %(client_now)d;
Date.now = () => now;
const intervals = [];
let cleared = 0;
globalThis.setInterval = (fn) => { intervals.push(fn); return intervals.length; };
globalThis.clearInterval = () => { cleared += 1; };
const elements = %(elements)s;
for (const el of Object.values(elements)) {
  el.listeners = {};
  el.addEventListener = (kind, fn) => { el.listeners[kind] = fn; };
}
globalThis.document = {
  documentElement: {lang: %(lang)s},
  getElementById: (id) => elements[id] || null,
  querySelectorAll: () => Object.values(elements).filter((el) => el.output),
};
%(script)s
const seen = [elements.countdown ? elements.countdown.textContent : null];
%(then)s
console.log(JSON.stringify({seen, cleared, elements}));
"""


def run_script(name, elements, *, client_now=0, then="", lang="en"):
    script = Path(finders.find(f"bidding/{name}")).read_text()
    source = FAKE_PAGE % {"client_now": client_now, "elements": json.dumps(elements),
                          "script": script, "then": then, "lang": json.dumps(lang)}
    out = subprocess.run([NODE, "-e", source], capture_output=True, text=True, timeout=20,
                         check=True)
    return json.loads(out.stdout)


@needs_node
def test_the_countdown_counts_by_the_servers_clock_and_stops_at_zero():
    countdown = {"dataset": {"deadline": "2026-03-06T10:00:00+08:00",
                             "serverNow": "2026-03-05T08:59:58+08:00",
                             "dayOne": "{days} day", "dayOther": "{days} days",
                             "left": "Time left: {time}", "closedText": "Bidding has closed."},
                 "textContent": ""}
    # The visitor's clock is an hour fast: the countdown still follows the server's.
    client_now = 1772672398000 + 3600_000
    result = run_script("countdown.js", {"countdown": countdown}, client_now=client_now, then="""
        now += 1000; intervals[0](); seen.push(elements.countdown.textContent);
        now += 90001000; intervals[0](); seen.push(elements.countdown.textContent);
    """)
    assert result["seen"] == ["Time left: 1 day 01:00:02", "Time left: 1 day 01:00:01",
                              "Bidding has closed."]
    assert result["cleared"] == 1


@needs_node
@pytest.mark.parametrize(("lang", "day_one", "day_other", "left", "expected"), [
    ("zh-hans", "{days}天", "{days}天", "剩余时间：{time}", "剩余时间：6天 00:24:57"),
    ("en", "{days} day", "{days} days", "Time left: {time}", "Time left: 6 days 00:24:57"),
])
def test_the_countdown_reads_naturally_in_each_language(lang, day_one, day_other, left,
                                                        expected):
    """No "6 天数 00:24:57": the day count is one translated phrase, chosen by plural rule."""
    countdown = {"dataset": {"deadline": "2026-03-11T09:24:57+08:00",
                             "serverNow": "2026-03-05T09:00:00+08:00", "dayOne": day_one,
                             "dayOther": day_other, "left": left, "closedText": "—"},
                 "textContent": ""}
    result = run_script("countdown.js", {"countdown": countdown}, client_now=1772672400000,
                        lang=lang)
    assert result["seen"] == [expected]


def test_the_countdown_words_come_translated_from_the_page(project):
    with time_machine.travel(DURING, tick=False):
        client = Client()  # Chinese, the default language
        html = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'data-day-one="{days}天"' in html and 'data-left="剩余时间：{time}"' in html
    assert "天数" not in html


@needs_node
def test_the_discount_preview_converts_like_the_service():
    from bidding.services.eligibility import price_from_discount_rate

    project = type("P", (), {"budget_cap": Decimal("123456.78")})()
    rate = {"id": "id_discount_rate", "value": "12.345",
            "dataset": {"budgetCap": "123456.78"}}
    output = {"output": True, "dataset": {"discountPriceFor": "id_discount_rate"},
              "textContent": ""}
    for value in ("12.35", "0", "100", "7.5"):
        rate["value"] = value
        result = run_script("discount_price.js", {"id_discount_rate": rate, "out": output})
        expected = price_from_discount_rate(project=project, rate=Decimal(value))
        assert result["elements"]["out"]["textContent"] == f"{expected:.2f}"
