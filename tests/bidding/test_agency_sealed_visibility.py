"""Sealed bids on the agency's pages: before opening nobody but the bidding agency sees a bid's
price, proposal, bidder or attachment — not on the announcement (title and meta tags
included), "my bids", the receipt page, the download link or the API; after opening they can."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from tests.bidding.conftest import api_as
from tests.conftest import client_for
from tests.factories.accounts import RegulatorFactory, member_of
from tests.factories.bidding import T0, agency_offering, bid, open_bids, user_of
from tests.factories.files import pdf

pytestmark = pytest.mark.django_db
DURING = T0 + dt.timedelta(days=1)
PRICE = "87654.32"
SHOWN_PRICE = "87,654.32"  # how pages print it (¥87,654.32)
PROPOSAL = "PROPOSAL-ALPHA-SECRET"
FILE_NAME = "ALPHA-SECRET-PLAN.pdf"
ROLES = ["anonymous", "owner", "other_agency", "other_bidder", "regulator"]


@pytest.fixture
def market(project):
    alpha = agency_offering(name="阿尔法秘密评价有限公司")
    beta, gamma = agency_offering(), agency_offering()
    sealed = bid(project, alpha, PRICE, proposal=PROPOSAL,
                 files=[pdf(FILE_NAME, b"ALPHA-FILE-BODY")], now=DURING)
    bid(project, beta, "80000.00", now=DURING)
    bid(project, gamma, "81000.00", now=DURING)
    return {"project": project, "alpha": alpha, "bid": sealed,
            "viewers": {"anonymous": None, "owner": project.owner,
                        "other_agency": agency_offering(), "other_bidder": beta,
                        "regulator": RegulatorFactory()}}


def secrets(market) -> list[str]:
    sealed, alpha = market["bid"], market["alpha"]
    attachment = sealed.attachments.get()
    return [PRICE, PRICE.split(".")[0], SHOWN_PRICE, SHOWN_PRICE.split(".")[0], PROPOSAL,
            FILE_NAME, attachment.sha256, alpha.name, alpha.uscc, sealed.receipt, sealed.salt]


def browser(organization) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if organization is not None:
        client.force_login(user_of(organization))
    return client


def api(organization):
    if organization is None:
        from rest_framework.test import APIClient
        return APIClient()
    if organization.is_regulator:
        return client_for(member_of(organization))
    return api_as(organization)


def everything_seen_by(market, organization) -> tuple[str, list[int]]:
    """Every page and endpoint that could show the bid, as one text, and the download's
    status codes (page session and API token)."""
    project, sealed = market["project"], market["bid"]
    client, token = browser(organization), api(organization)
    attachment = sealed.attachments.get()
    texts = [client.get(f"/projects/{project.pk}/").content.decode(),
             client.get("/projects/").content.decode(),
             client.get("/workspace/bids/").content.decode(),
             client.get(f"/workspace/bids/{sealed.pk}/").content.decode(),
             token.get(f"/api/v1/projects/{project.pk}/bids/").content.decode(),
             token.get(f"/api/v1/bids/{sealed.pk}/").content.decode(),
             token.get(f"/api/v1/projects/{project.pk}/").content.decode()]
    downloads = [client.get(f"/files/bids/{attachment.pk}/").status_code,
                 token.get(f"/files/bids/{attachment.pk}/").status_code]
    return "\n".join(texts), downloads


@pytest.mark.parametrize("role", ROLES)
def test_before_opening_nobody_else_sees_the_bid_anywhere(market, role):
    seen, downloads = everything_seen_by(market, market["viewers"][role])
    for secret in secrets(market):
        assert secret not in seen, secret
    assert downloads == [404, 404]


@pytest.mark.parametrize("role", ROLES)
def test_the_receipt_page_is_the_bidders_alone_even_after_opening(market, role):
    open_bids(market["project"])
    page = browser(market["viewers"][role]).get(f"/workspace/bids/{market['bid'].pk}/")
    assert page.status_code in (302, 403, 404)
    assert market["bid"].salt not in page.content.decode()


def test_the_bidder_sees_its_own_bid_before_opening(market):
    seen, downloads = everything_seen_by(market, market["alpha"])
    for secret in secrets(market):
        if secret not in (market["alpha"].name, market["alpha"].uscc):  # its own identity
            assert secret in seen, secret
    assert downloads == [200, 200]


@pytest.mark.parametrize("role", ROLES)
def test_after_opening_the_bid_is_public(market, role):
    open_bids(market["project"])
    organization = market["viewers"][role]
    page = browser(organization).get(f"/projects/{market['project'].pk}/").content.decode()
    assert market["alpha"].name in page and SHOWN_PRICE in page and market["bid"].receipt in page
    attachment = market["bid"].attachments.get()
    download = browser(organization).get(f"/files/bids/{attachment.pk}/")
    body = api(organization).get(f"/api/v1/bids/{market['bid'].pk}/").json()
    assert body["price"] == PRICE
    assert "salt" not in body
    # The files are part of the proposal: the owner and regulators read them, nobody else.
    if role in ("owner", "regulator"):
        assert download.status_code == 200
        assert [a["name"] for a in body["attachments"]] == [FILE_NAME]
    else:
        assert download.status_code == 404
        assert "attachments" not in body


def test_the_page_title_and_meta_tags_never_carry_bid_data(market):
    page = browser(market["viewers"]["owner"]).get(
        f"/projects/{market['project'].pk}/").content.decode()
    head = page.split("</head>")[0]
    for secret in secrets(market):
        assert secret not in head
