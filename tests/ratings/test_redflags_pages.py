"""Red flags are for regulators only (API and pages); the console lists, filters, explains,
drills down, dismisses (re-authenticated) and prefills a violation case from a flag."""

import pytest
from django.utils import translation

from marketplace.audit.models import AuditEntry
from ratings.models import RedFlag
from ratings.services.redflags import red_flags_run
from tests.conftest import client_for
from tests.factories.accounts import log_in_verified, reauthentication
from tests.factories.bidding import user_of
from tests.factories.redflags import (
    agencies,
    cover_market,
    favouritism_market,
    non_competitive_market,
    opened_project,
    rotation_market,
)

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LIST = "/console/supervision/red-flags/"


@pytest.fixture
def market(reg_user):
    a, b, c = agencies(3)
    identical = opened_project([(a, 88000, True), (b, 88000, True)])
    single = opened_project([(c, 90000, True)], days=10)  # R018 and R003
    red_flags_run(by=reg_user)
    return {"identical": identical, "single": single, "a": a, "b": b, "c": c,
            "flag": RedFlag.objects.get(indicator="R028")}


def test_api_lists_flags_with_figures_and_explanation_for_regulators(market, reg_user):
    client = client_for(reg_user)
    body = client.get("/api/v1/red-flags/?indicator=R028", **EN).json()
    [flag] = body["results"]
    assert flag["indicator"] == "R028" and flag["project"] == market["identical"].pk
    assert {o["id"] for o in flag["organizations"]} == {market["a"].pk, market["b"].pk}
    assert flag["figures"]["prices"][0]["price"] == "88000.00"
    assert "same price" in flag["explanation"] and flag["dismissed"] is False
    by_org = client.get(f"/api/v1/red-flags/?organization={market['c'].pk}", **EN).json()
    assert {f["indicator"] for f in by_org["results"]} == {"R018"}
    by_owner = client.get(f"/api/v1/red-flags/?organization={market['single'].owner_id}").json()
    assert {f["indicator"] for f in by_owner["results"]} == {"R003", "R018"}
    by_project = client.get(f"/api/v1/red-flags/?project={market['single'].pk}").json()
    assert {f["indicator"] for f in by_project["results"]} == {"R003", "R018"}
    bad = client.get("/api/v1/red-flags/?project=abc", **EN)
    assert bad.status_code == 400 and bad.json()["code"] == "filter.invalid_id"


def test_api_run_computes_now(reg_user):
    a, b = agencies(2)
    opened_project([(a, 88000, True), (b, 88000, True)])
    response = client_for(reg_user).post("/api/v1/red-flags/run/")
    assert response.status_code == 201 and response.json()["counts"]["R028"] == 1


def test_nobody_else_reads_or_runs_flags(market, api_client):
    for organization in (market["a"], market["identical"].owner):
        client = client_for(user_of(organization))
        assert client.get("/api/v1/red-flags/", **EN).status_code == 403
        assert client.post("/api/v1/red-flags/run/", **EN).status_code == 403
    assert api_client.get("/api/v1/red-flags/").status_code == 401
    assert AuditEntry.objects.filter(action="redflags.run").count() == 1


def test_flags_are_on_no_page_but_the_console(market, client):
    flag = market["flag"]
    client.force_login(user_of(market["a"]))
    for url in (LIST, f"{LIST}{flag.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]
    for url in (market["identical"].get_absolute_url(), f"/credit/{market['a'].pk}/"):
        page = client.get(url, **EN)
        assert page.status_code == 200
        assert "R028" not in page.content.decode() and "Identical bid prices" not in (
            page.content.decode())


def test_console_lists_filters_and_drills_down(market, reg_user, client):
    log_in_verified(client, reg_user)
    page = client.get(LIST, **EN).content.decode()
    assert "R028" in page and "R018" in page and "R003" in page
    only = client.get(f"{LIST}?indicator=R028&state=open", **EN).content.decode()
    assert 'data-indicator="R028"' in only and 'data-indicator="R018"' not in only
    elsewhere = client.get(f"{LIST}?region=999999&indicator=R028", **EN).content.decode()
    assert 'data-indicator="R028"' in elsewhere  # an unknown region is ignored, not a 500
    detail = client.get(f"{LIST}{market['flag'].pk}/", **EN).content.decode()
    assert "¥88,000.00" in detail and "Identical prices" in detail
    assert market["identical"].title in detail
    assert market["a"].name in detail and market["b"].name in detail
    assert f"?respondent={market['a'].pk}&amp;flag={market['flag'].pk}" in detail
    organization = client.get(f"/console/supervision/organizations/{market['a'].pk}/manage/",
                              **EN).content.decode()
    assert 'data-testid="organization-red-flags"' in organization and "R028" in organization


def test_case_form_is_prefilled_from_the_flag(market, reg_user, client):
    log_in_verified(client, reg_user)
    flag = market["flag"]
    page = client.get(f"/workspace/cases/new/?respondent={market['a'].pk}&flag={flag.pk}",
                      **EN).content.decode()
    assert market["a"].uscc in page and "R028" in page
    assert f'value="{market["identical"].pk}"' in page
    client.force_login(user_of(market["identical"].owner))
    owner_page = client.get(f"/workspace/cases/new/?flag={flag.pk}", **EN).content.decode()
    assert "R028" not in owner_page


def test_console_dismissal_needs_reauthentication_and_is_audited(market, reg_user, client):
    log_in_verified(client, reg_user)
    url = f"{LIST}{market['flag'].pk}/"
    with translation.override("en"):
        refused = client.post(url, {"reason": "按指导价报价", "password": "wrong",
                                    "otp_code": "000000"}, **EN)
    assert refused.status_code == 200
    market["flag"].refresh_from_db()
    assert not market["flag"].is_dismissed
    response = client.post(url, {"reason": "按指导价报价", **reauthentication(reg_user)})
    assert response.status_code == 302
    market["flag"].refresh_from_db()
    assert market["flag"].is_dismissed and market["flag"].dismissed_reason == "按指导价报价"
    assert AuditEntry.objects.filter(action="redflag.dismissed").count() == 1
    assert "按指导价报价" in client.get(url, **EN).content.decode()
    open_list = client.get(f"{LIST}?indicator=R028", **EN).content.decode()
    assert 'data-indicator="R028"' not in open_list


def test_console_compute_now(reg_user, client):
    a, b = agencies(2)
    opened_project([(a, 88000, True), (b, 88000, True)])
    log_in_verified(client, reg_user)
    response = client.post(f"{LIST}run/")
    assert response.status_code == 302
    assert RedFlag.objects.filter(indicator="R028").exists()


PATTERN_PAGES = {
    "CN02": (rotation_market, "Bid rotation", "Projects both bid on"),
    "CN03": (cover_market, "Cover bidding", "Close second places"),
    "CN04": (favouritism_market, "Owner favouritism", "Share of the whole market"),
    "CN05": (non_competitive_market, "Repeated non-competitive awards", "By direct selection"),
}


@pytest.mark.parametrize("indicator", sorted(PATTERN_PAGES))
def test_console_filters_and_drills_down_the_collusion_patterns(indicator, reg_user, client):
    build, name, label = PATTERN_PAGES[indicator]
    build()
    red_flags_run(by=reg_user)
    flag = RedFlag.objects.get(indicator=indicator)
    log_in_verified(client, reg_user)
    page = client.get(f"{LIST}?indicator={indicator}", **EN).content.decode()
    assert f'<option value="{indicator}" selected>{indicator} {name}</option>' in page
    assert f'data-indicator="{indicator}"' in page
    detail = client.get(f"{LIST}{flag.pk}/", **EN).content.decode()
    assert detail.count(f"{indicator} {name}") >= 1 and label in detail
    for party in flag.parties.all():
        assert party.organization.name in detail
        assert f"?respondent={party.organization_id}&amp;flag={flag.pk}" in detail
