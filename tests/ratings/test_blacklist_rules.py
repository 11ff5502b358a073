"""The blacklist: automatic rules, regulator entries, immediate effects on bidding, lifting
and expiry."""

import datetime as dt

import pytest

from bidding.models import Bid
from marketplace.audit.models import AuditEntry
from marketplace.errors import DomainError, NotAllowed, StateConflict
from marketplace.notifications.models import Notification
from ratings import services
from ratings.models import BlacklistEntry
from tests.conftest import client_for
from tests.factories.bidding import (
    agency_offering,
    bid,
    open_bids,
    published_project,
    user_of,
)
from tests.factories.ratings import T0, event

pytestmark = pytest.mark.django_db
NOW = T0 + dt.timedelta(hours=2)   # the project below is open for bids until T0 + 4 days


@pytest.fixture
def bidder():
    return agency_offering()


@pytest.fixture
def open_bid(bidder):
    project = published_project(now=T0)
    return bid(project, bidder, now=T0 + dt.timedelta(hours=1))


def _entries(organization):
    return BlacklistEntry.objects.filter(organization=organization)


def _assert_removed_from_bidding(bidder, open_bid):
    open_bid.refresh_from_db()
    bidder.refresh_from_db()
    assert open_bid.status == Bid.Status.DISQUALIFIED and open_bid.valid is False
    assert bidder.is_blacklisted(NOW)
    with pytest.raises(DomainError) as refused:
        bid(published_project(now=T0), bidder, now=NOW + dt.timedelta(minutes=1))
    assert refused.value.code == "org.blacklisted"


def test_a_serious_event_blacklists_at_once_and_disqualifies_open_bids(bidder, open_bid,
                                                                      settings):
    recorded = event(bidder, "false_materials", now=NOW, basis="伪造资质证书")
    entry = _entries(bidder).get()
    assert entry.source == "automatic" and entry.rule == "serious_event"
    assert entry.credit_event == recorded
    assert entry.ends_at == NOW + dt.timedelta(days=365)
    _assert_removed_from_bidding(bidder, open_bid)


def test_before_the_opening_the_owner_is_not_told_who_bid(bidder, open_bid):
    # Sealed bids: not even the owner learns, before the opening, that this agency bid.
    event(bidder, "collusion", now=NOW, basis="串标")
    assert not Notification.objects.filter(user=user_of(open_bid.project.owner),
                                           kind="ratings.bidder_removed").exists()
    assert Notification.objects.filter(user=user_of(bidder), kind="ratings.blacklisted").exists()


def test_after_the_opening_the_owner_of_a_project_with_a_removed_bid_is_told(bidder):
    project = published_project(now=T0)
    bid(project, bidder, now=T0 + dt.timedelta(hours=1))
    for _ in range(2):
        bid(project, agency_offering(), now=T0 + dt.timedelta(hours=1))
    project = open_bids(project)
    event(bidder, "collusion", now=project.opened_at + dt.timedelta(hours=1), basis="串标")
    told = Notification.objects.get(user=user_of(project.owner), kind="ratings.bidder_removed")
    assert bidder.name in told.title


def test_a_replayed_serious_event_lists_once(bidder):
    for _ in range(2):
        event(bidder, "collusion", now=NOW, source_kind="case", source_id=5)
    assert _entries(bidder).count() == 1


def test_three_refusals_to_sign_within_twelve_months_blacklist(bidder, open_bid):
    event(bidder, "refusal_to_sign", occurred_at=NOW - dt.timedelta(days=300), now=NOW)
    event(bidder, "refusal_to_sign", occurred_at=NOW - dt.timedelta(days=100), now=NOW)
    assert not _entries(bidder).exists()
    event(bidder, "refusal_to_sign", now=NOW)
    entry = _entries(bidder).get()
    assert entry.rule == "refusals_to_sign"
    _assert_removed_from_bidding(bidder, open_bid)


def test_refusals_spread_over_more_than_twelve_months_do_not(bidder):
    event(bidder, "refusal_to_sign", occurred_at=NOW - dt.timedelta(days=400), now=NOW)
    event(bidder, "refusal_to_sign", occurred_at=NOW - dt.timedelta(days=100), now=NOW)
    event(bidder, "refusal_to_sign", now=NOW)
    assert not _entries(bidder).exists()


def test_grade_d_blacklists_when_the_score_is_recomputed(bidder, open_bid):
    event(bidder, "commitment_breach", points=25, now=NOW)   # 80 - 25 = 55 → D
    assert not _entries(bidder).exists()
    services.credit_recompute_organization(organization=bidder, now=NOW)
    entry = _entries(bidder).get()
    assert entry.rule == "grade_d"
    _assert_removed_from_bidding(bidder, open_bid)
    # Recomputing again does not list twice while the entry is active.
    services.credit_recompute_organization(organization=bidder, now=NOW)
    services.credit_recompute_all(now=NOW)
    assert _entries(bidder).count() == 1


def test_grade_d_found_by_the_nightly_recompute_blacklists_too(bidder):
    event(bidder, "commitment_breach", points=25, now=NOW)
    services.credit_recompute_all(now=NOW)
    assert _entries(bidder).get().rule == "grade_d"


def test_a_regulator_blacklists_through_the_api_and_open_bids_are_invalid(
        bidder, open_bid, reg_user):
    response = client_for(reg_user).post("/api/v1/blacklist/", {
        "organization": bidder.pk, "reason": "违规承接", "basis": "渝监决〔2026〕3号",
        "ends_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=90)).isoformat()},
        format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["source"] == "regulator" and body["reason"] == "违规承接"
    open_bid.refresh_from_db()
    assert open_bid.valid is False
    assert AuditEntry.objects.filter(action="blacklist.added", object_id=str(body["id"])).exists()
    listed = client_for(reg_user).get("/api/v1/blacklist/").json()["results"]
    assert [e["organization"] for e in listed] == [bidder.pk]
    assert set(listed[0]) >= {"id", "organization", "reason", "source", "starts_at", "ends_at"}


@pytest.mark.parametrize("missing", ["reason", "ends_at", "basis"])
def test_a_regulator_entry_needs_reason_basis_and_end_date(bidder, reg_user, missing):
    body = {"organization": bidder.pk, "reason": "违规", "basis": "决定书",
            "ends_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=9)).isoformat()}
    body.pop(missing)
    response = client_for(reg_user).post("/api/v1/blacklist/", body, format="json")
    assert response.status_code == 400 and missing in response.json()
    assert response.json()["code"] == "invalid"
    assert not _entries(bidder).exists()


def test_an_end_date_in_the_past_is_refused(bidder, reg_user):
    with pytest.raises(DomainError) as refused:
        services.blacklist_add(organization=bidder, reason="x", basis="y", source="regulator",
                               ends_at=NOW - dt.timedelta(days=1), by=reg_user, now=NOW)
    assert refused.value.code == "invalid"


def test_only_regulators_blacklist_and_lift(bidder, owner_admin, api_client, reg_user):
    body = {"organization": bidder.pk, "reason": "x", "basis": "y",
            "ends_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=9)).isoformat()}
    response = client_for(owner_admin).post("/api/v1/blacklist/", body,
                                            format="json")
    assert (response.status_code, response.json()["code"]) == (403, "not_allowed")
    response = api_client.post("/api/v1/blacklist/", body, format="json")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")
    response = client_for(user_of(bidder)).post("/api/v1/blacklist/", body,
                                                format="json")
    assert (response.status_code, response.json()["code"]) == (403, "not_allowed")
    entry = services.blacklist_add(organization=bidder, reason="x", basis="y",
                                   source="regulator", ends_at=dt.datetime.now(dt.UTC)
                                   + dt.timedelta(days=9), by=reg_user)
    response = client_for(owner_admin).post(f"/api/v1/blacklist/{entry.pk}/lift/", {"reason": "z"},
                                            format="json")
    assert (response.status_code, response.json()["code"]) == (403, "not_allowed")
    with pytest.raises(NotAllowed) as refused:
        services.blacklist_add(organization=bidder, reason="x", basis="y", source="regulator",
                               ends_at=NOW + dt.timedelta(days=1), by=owner_admin, now=NOW)
    assert refused.value.code == "not_allowed"


def test_lifting_restores_bidding_and_keeps_the_record(bidder, reg_user):
    entry = services.blacklist_add(organization=bidder, reason="x", basis="y",
                                   source="regulator", ends_at=NOW + dt.timedelta(days=30),
                                   by=reg_user, now=NOW)
    response = client_for(reg_user).post(f"/api/v1/blacklist/{entry.pk}/lift/",
                                         {"reason": "整改到位"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "lifted"
    bidder.refresh_from_db()
    assert bidder.blacklisted_until is None
    bid(published_project(now=T0), bidder, now=NOW + dt.timedelta(hours=1))
    refusal = client_for(reg_user).post(f"/api/v1/blacklist/{entry.pk}/lift/", {"reason": "again"},
                                        format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (409, "state.conflict")
    refusal = client_for(reg_user).post(f"/api/v1/blacklist/{entry.pk}/lift/", {"reason": ""},
                                        format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (400, "invalid")


def test_blacklisted_until_is_the_latest_active_entry(bidder, reg_user):
    short = services.blacklist_add(organization=bidder, reason="a", basis="b", source="regulator",
                                   ends_at=NOW + dt.timedelta(days=10), by=reg_user, now=NOW)
    long = services.blacklist_add(organization=bidder, reason="c", basis="d", source="regulator",
                                  ends_at=NOW + dt.timedelta(days=50), by=reg_user, now=NOW)
    bidder.refresh_from_db()
    assert bidder.blacklisted_until == long.ends_at
    services.blacklist_lift(entry=long, reason="撤销", by=reg_user, now=NOW)
    bidder.refresh_from_db()
    assert bidder.blacklisted_until == short.ends_at


def test_entries_expire_at_their_end_date_idempotently(bidder, reg_user):
    entry = services.blacklist_add(organization=bidder, reason="x", basis="y",
                                   source="regulator", ends_at=NOW + dt.timedelta(days=10),
                                   by=reg_user, now=NOW)
    assert services.blacklist_expire_due(now=NOW + dt.timedelta(days=9)) == 0
    assert services.blacklist_expire_due(now=NOW + dt.timedelta(days=10)) == 1
    assert services.blacklist_expire_due(now=NOW + dt.timedelta(days=11)) == 0
    entry.refresh_from_db()
    bidder.refresh_from_db()
    assert entry.status == "expired" and bidder.blacklisted_until is None
    assert AuditEntry.objects.filter(action="blacklist.expired").count() == 1


def test_regulators_cannot_be_blacklisted(reg_user):
    regulator = reg_user.membership.organization
    with pytest.raises(DomainError) as refused:
        services.blacklist_add(organization=regulator, reason="x", basis="y", source="regulator",
                               ends_at=NOW + dt.timedelta(days=1), by=reg_user, now=NOW)
    assert refused.value.code == "invalid"


def test_a_lifted_entry_cannot_be_lifted_again(bidder, reg_user):
    entry = services.blacklist_add(organization=bidder, reason="x", basis="y",
                                   source="regulator", ends_at=NOW + dt.timedelta(days=1),
                                   by=reg_user, now=NOW)
    services.blacklist_lift(entry=entry, reason="ok", by=reg_user, now=NOW)
    with pytest.raises(StateConflict) as refused:
        services.blacklist_lift(entry=entry, reason="ok", by=reg_user, now=NOW)
    assert refused.value.code == "state.conflict"
