"""The China-specific "shared identity" flag (CN01): where bids were submitted from is recorded
with each bid, read by regulators' flags only, and blanked after the retention period."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings
from django.utils import translation

from bidding.client import ClientInfo, agent_hash
from bidding.models import Bid
from bidding.services.client_data import bid_client_data_purge
from contracts.models import StripeAccount
from marketplace.audit.models import AuditEntry
from ratings.redflags.explain import explanation, figure_rows
from ratings.redflags.indicators import compute_all
from tests.conftest import client_for
from tests.factories.bidding import T0, agency_offering, bid, published_project, user_of
from tests.factories.redflags import agencies, opened_project

pytestmark = pytest.mark.django_db


def found() -> list:
    return [f for f in compute_all() if f.indicator == "CN01"]


def test_a_bid_records_where_it_was_submitted_from_without_showing_it():
    project = published_project()
    agency = agency_offering()
    with time_machine.travel(T0 + dt.timedelta(hours=1)):
        response = client_for(user_of(agency)).post(
            f"/api/v1/projects/{project.pk}/bids/",
            {"price": "80000.00", "promised_days": 20, "proposal": "技术方案"},
            REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Mozilla/5.0 Test")
    assert response.status_code == 201, response.content
    assert "client_ip" not in response.json() and "203.0.113.7" not in response.content.decode()
    stored = Bid.objects.get(project=project, agency=agency)
    assert stored.client_ip == "203.0.113.7"
    assert stored.client_agent_hash == agent_hash("Mozilla/5.0 Test")
    assert "Mozilla" not in stored.client_agent_hash and len(stored.client_agent_hash) == 64


def test_cn01_flags_bidders_sharing_an_ip_address_or_a_phone():
    a, b, c = agencies(3)
    project = opened_project([(a, 88000, True), (b, 89000, True), (c, 90000, True)])
    Bid.objects.filter(project=project, agency__in=[a, b]).update(client_ip="198.51.100.4")
    c.phone = b.phone = "023-59999999"
    c.save(update_fields=["phone"])
    b.save(update_fields=["phone"])
    [flag] = found()
    assert flag.project_id == project.pk
    assert {org for org, _role in flag.parties} == {a.pk, b.pk, c.pk}
    assert flag.figures["shared"] == [
        {"what": "ip", "value": "198.51.100.4", "agencies": sorted([a.pk, b.pk])},
        {"what": "phone", "value": "023-59999999", "agencies": sorted([b.pk, c.pk])}]


def test_cn01_spares_distinct_bidders_and_a_shared_browser_alone():
    a, b = agencies(2)
    project = opened_project([(a, 88000, True), (b, 89000, True)])
    Bid.objects.filter(project=project, agency=a).update(client_ip="198.51.100.4")
    Bid.objects.filter(project=project, agency=b).update(client_ip="198.51.100.5")
    Bid.objects.filter(project=project).update(client_agent_hash=agent_hash("Chrome/120"))
    assert found() == []


def paid_into(agency, *fingerprints):
    """The agency's Stripe account, as the `account.updated` webhook leaves it."""
    return StripeAccount.objects.create(organization=agency, account_id=f"acct_{agency.pk:016d}",
                                        bank_fingerprints=sorted(fingerprints))


def test_cn01_flags_bidders_paid_into_the_same_bank_account_without_showing_it():
    a, b, c, outsider = agencies(4)
    project = opened_project([(a, 88000, True), (b, 89000, True), (c, 90000, True)])
    paid_into(a, "1JWtPxqbdX5Gamtc", "Xn8dK2vQzR4pLm7Y")
    paid_into(b, "Xn8dK2vQzR4pLm7Y")  # one of a's two bank accounts
    paid_into(c, "Qq9wErTyUiOp1234")
    paid_into(outsider, "1JWtPxqbdX5Gamtc")  # shares too, but did not bid on this project
    [flag] = found()
    assert flag.project_id == project.pk
    assert {org for org, _role in flag.parties} == {a.pk, b.pk}
    assert flag.figures["shared"] == [
        {"what": "bank_account", "value": "", "agencies": sorted([a.pk, b.pk])}]
    with translation.override("en"):
        text = explanation(flag)
        rows = " ".join(value for _label, value in figure_rows(flag.figures))
    assert "2 agencies share the same bank account (per the payment provider)" in text
    assert "the same bank account (per the payment provider)" in rows
    assert not any(fp in text + rows + str(flag.figures)
                   for fp in ("1JWtPxqbdX5Gamtc", "Xn8dK2vQzR4pLm7Y"))


def test_cn01_spares_bidders_with_their_own_bank_accounts():
    a, b, c = agencies(3)
    opened_project([(a, 88000, True), (b, 89000, True)])
    paid_into(a, "1JWtPxqbdX5Gamtc")
    paid_into(b, "Xn8dK2vQzR4pLm7Y")
    paid_into(c, "Xn8dK2vQzR4pLm7Y")  # b's bank account, but c bid on no project with b
    StripeAccount.objects.create(organization=agencies(1)[0], account_id="acct_nobank")
    assert found() == []


def test_cn01_never_reads_a_sealed_project():
    project = published_project(bid_deadline=T0 + dt.timedelta(days=5))
    same = ClientInfo(ip="198.51.100.9", agent_hash=agent_hash("Chrome/120"))
    for _ in range(2):
        bid(project, agency_offering(), client=same)
    assert found() == []


@override_settings(MARKETPLACE_BID_CLIENT_RETENTION_DAYS=30)
def test_client_data_is_blanked_after_the_retention_period():
    a, b = agencies(2)
    project = opened_project([(a, 88000, True), (b, 89000, True)])
    Bid.objects.filter(project=project).update(client_ip="198.51.100.4",
                                               client_agent_hash="ab" * 32)
    assert bid_client_data_purge(now=T0 + dt.timedelta(days=29)) == 0
    assert bid_client_data_purge(now=T0 + dt.timedelta(days=31)) == 2
    assert set(Bid.objects.values_list("client_ip", "client_agent_hash")) == {(None, "")}
    assert AuditEntry.objects.get(action="bid.client_data_purged").data["bids"] == 2
    assert bid_client_data_purge(now=T0 + dt.timedelta(days=32)) == 0


@override_settings(MARKETPLACE_BID_CLIENT_RETENTION_DAYS=30)
def test_the_bid_form_says_what_is_recorded_who_sees_it_and_how_long(client):
    project = published_project()
    client.force_login(user_of(agency_offering()))
    with time_machine.travel(T0 + dt.timedelta(hours=1)):
        page = client.get(f"/workspace/bids/projects/{project.pk}/bid/",
                          HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "we record the IP address" in page and "Only regulators see them" in page
    assert "deleted after 30 days" in page
