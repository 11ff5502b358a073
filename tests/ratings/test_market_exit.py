"""Market exit (清退): the organization stops acting at once, and its USCC cannot register
again until the exit period ends."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from bidding.models import Bid
from marketplace.accounts.errors import Exited
from marketplace.accounts.models import Organization
from marketplace.audit.models import AuditEntry
from marketplace.errors import NotAllowed, StateConflict
from ratings import services
from tests.conftest import client_for
from tests.factories.bidding import agency_offering, bid, published_project, user_of
from tests.factories.ratings import T0

pytestmark = pytest.mark.django_db


def _register(api_client, uscc: str, username: str):
    return api_client.post("/api/v1/register/agency/", {
        "name": "重庆新设咨询有限公司", "uscc": uscc, "region": "500103",
        "contact_name": "李四", "phone": "023-66666666", "email": f"{username}@example.cn",
        "username": username, "password": "Zhongjie-test-2026"}, format="json")


def test_an_expelled_agency_cannot_bid_and_its_open_bids_are_disqualified(reg_user):
    agency = agency_offering()
    open_bid = bid(published_project(now=T0), agency, now=T0 + dt.timedelta(hours=1))
    now = T0 + dt.timedelta(hours=2)
    services.organization_expel(organization=agency, reason="严重失信", basis="决定书",
                                by=reg_user, now=now)
    agency.refresh_from_db()
    open_bid.refresh_from_db()
    assert agency.status == Organization.Status.EXITED
    assert agency.exit_until == now + dt.timedelta(days=1095)
    assert open_bid.status == Bid.Status.DISQUALIFIED
    with pytest.raises(Exited) as refused:
        bid(published_project(now=T0), agency, now=now + dt.timedelta(minutes=5))
    assert refused.value.code == "org.exited"
    assert AuditEntry.objects.filter(action="organization.expelled").exists()


def test_exit_through_the_api_is_for_regulators_only_and_needs_a_reason(agency, reg_user,
                                                                        owner_admin):
    url = f"/api/v1/organizations/{agency.pk}/exit/"
    refusal = client_for(owner_admin).post(url, {"reason": "x"}, format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (403, "not_allowed")
    assert client_for(user_of(agency)).post(url, {"reason": "x"},
                                            format="json").status_code == 403
    refusal = client_for(reg_user).post(url, {"reason": ""}, format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (400, "invalid")
    response = client_for(reg_user).post(url, {"reason": "清退", "basis": "决定书"},
                                         format="json")
    assert response.status_code == 201
    refusal = client_for(reg_user).post(url, {"reason": "again"}, format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (409, "state.conflict")
    agency.refresh_from_db()
    assert agency.status == "exited"


def test_expelling_twice_is_a_conflict(agency, reg_user):
    services.organization_expel(organization=agency, reason="清退", by=reg_user)
    with pytest.raises(StateConflict) as refused:
        services.organization_expel(organization=agency, reason="清退", by=reg_user)
    assert refused.value.code == "state.conflict"


def test_an_owner_that_exited_cannot_post(owner, reg_user):
    from bidding.services import project_publish
    from tests.factories.bidding import ProjectFactory

    project = ProjectFactory(owner=owner)
    services.organization_expel(organization=owner, reason="清退", by=reg_user)
    owner.refresh_from_db()
    with pytest.raises(NotAllowed) as refused:
        project_publish(project=project, by=user_of(owner), now=T0)
    assert refused.value.code == "org.exited"


def test_the_same_uscc_is_refused_during_the_exit_period(agency, reg_user, api_client):
    services.organization_expel(organization=agency, reason="清退", by=reg_user)
    response = _register(api_client, agency.uscc, "comeback")
    assert response.status_code == 400 and "uscc" in response.json()
    assert response.json()["code"] == "org.exit_period"
    assert Organization.objects.filter(uscc=agency.uscc).count() == 1


def test_the_same_uscc_registers_again_after_the_exit_period(agency, reg_user, api_client):
    services.organization_expel(organization=agency, reason="清退", by=reg_user)
    agency.refresh_from_db()
    with time_machine.travel(agency.exit_until + dt.timedelta(days=1), tick=False):
        assert timezone.now() > agency.exit_until
        response = _register(api_client, agency.uscc, "comeback")
        assert response.status_code == 201, response.json()
        # A fresh organization: the exited record stays with its history, a second
        # registration of the same USCC is refused as usual.
        again = _register(api_client, agency.uscc, "comeback2")
    assert again.status_code == 400 and "uscc" in again.json()
    assert again.json()["code"] == "org.uscc_registered"
    holders = Organization.objects.filter(uscc=agency.uscc).order_by("id")
    assert [o.status for o in holders] == [Organization.Status.EXITED, Organization.Status.ACTIVE]


def test_a_suspended_owner_cannot_publish_and_a_suspension_is_for_regulators_only(reg_user):
    from bidding import services as bidding
    from tests.factories.bidding import ProjectFactory

    draft = ProjectFactory(bid_deadline=timezone.now() + dt.timedelta(days=10))
    owner = draft.owner
    with pytest.raises(NotAllowed) as refused:
        services.organization_suspend(organization=owner, reason="x", by=user_of(owner))
    assert refused.value.code == "not_allowed"
    services.organization_suspend(organization=owner, reason="调查期间暂停", by=reg_user)
    with pytest.raises(NotAllowed) as refused:
        bidding.project_publish(project=draft, by=user_of(owner))
    assert refused.value.code == "org.suspended"
    services.organization_reinstate(organization=owner, reason="调查结束", by=reg_user)
    assert bidding.project_publish(project=draft, by=user_of(owner)).status == "bidding"


def test_an_exited_organization_cannot_be_suspended_or_reinstated(reg_user):
    agency = agency_offering()
    services.organization_expel(organization=agency, reason="串通投标", by=reg_user)
    for change in (services.organization_suspend, services.organization_reinstate):
        with pytest.raises(StateConflict) as refused:
            change(organization=agency, reason="x", by=reg_user)
        assert refused.value.code == "state.invalid_transition"


def test_suspension_through_the_api_is_for_regulators_and_needs_a_reason(agency, reg_user):
    suspend = f"/api/v1/organizations/{agency.pk}/suspend/"
    reinstate = f"/api/v1/organizations/{agency.pk}/reinstate/"
    assert client_for(user_of(agency)).post(suspend, {"reason": "x"},
                                            format="json").status_code == 403
    refusal = client_for(reg_user).post(suspend, {"reason": ""}, format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (400, "invalid")
    response = client_for(reg_user).post(suspend, {"reason": "调查期间暂停"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "suspended"
    assert client_for(reg_user).post(suspend, {"reason": "再次"},
                                     format="json").status_code == 409
    response = client_for(reg_user).post(reinstate, {"reason": "调查结束"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "active"
    answer = client_for(reg_user).post("/api/v1/organizations/999999/suspend/", {"reason": "x"},
                                       format="json")
    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")
