"""Appeals against an entry and credit repair (信用修复), each decided by a regulator with a
written reply."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.audit.models import AuditEntry
from marketplace.errors import DomainError, NotAllowed, StateConflict
from ratings import services
from ratings.models import AppealEvidence, BlacklistAppeal, CreditRepairRequest
from tests.conftest import client_for
from tests.factories.accounts import Membership, member_of
from tests.factories.files import pdf, program

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(agency, reg_user):
    return services.blacklist_add(organization=agency, reason="违规", basis="决定书",
                                  source="regulator", by=reg_user,
                                  ends_at=timezone.now() + dt.timedelta(days=365))


def test_the_listed_organization_appeals_with_evidence(entry, agency_admin):
    response = client_for(agency_admin).post(
        f"/api/v1/blacklist/{entry.pk}/appeal/",
        {"text": "处罚依据有误", "evidence": [pdf("说明.pdf"), pdf("合同.pdf")]},
        format="multipart")
    assert response.status_code == 201, response.json()
    appeal = BlacklistAppeal.objects.get(pk=response.json()["id"])
    assert appeal.status == "pending" and appeal.evidence.count() == 2
    assert {e["original_name"] for e in response.json()["evidence"]} == {"说明.pdf", "合同.pdf"}


def test_a_bad_evidence_file_refuses_the_whole_appeal(entry, agency_admin):
    response = client_for(agency_admin).post(
        f"/api/v1/blacklist/{entry.pk}/appeal/",
        {"text": "x", "evidence": [pdf(), program()]}, format="multipart")
    assert response.status_code == 400 and "evidence" in response.json()
    assert response.json()["code"] == "upload.type_not_accepted"
    assert not BlacklistAppeal.objects.exists() and not AppealEvidence.objects.exists()


def test_only_the_listed_organization_admin_appeals(entry, agency, owner_admin, reg_user):
    staff = member_of(agency, role=Membership.Role.STAFF)
    for user in (owner_admin, reg_user, staff):
        response = client_for(user).post(f"/api/v1/blacklist/{entry.pk}/appeal/", {"text": "x"},
                                         format="json")
        assert (response.status_code, response.json()["code"]) == (403, "not_allowed")
    assert not BlacklistAppeal.objects.exists()


def test_one_pending_appeal_per_entry(entry, agency_admin):
    services.appeal_submit(entry=entry, text="一", by=agency_admin)
    with pytest.raises(StateConflict) as refused:
        services.appeal_submit(entry=entry, text="二", by=agency_admin)
    assert refused.value.code == "state.conflict"


def test_an_upheld_appeal_lifts_the_entry(entry, agency, agency_admin, reg_user):
    appeal = services.appeal_submit(entry=entry, text="依据有误", by=agency_admin)
    response = client_for(reg_user).post(f"/api/v1/appeals/{appeal.pk}/decide/",
                                         {"upheld": True, "reply": "经复核，撤销"},
                                         format="json")
    assert response.status_code == 200 and response.json()["status"] == "upheld"
    entry.refresh_from_db()
    agency.refresh_from_db()
    assert entry.status == "lifted" and "经复核" in entry.lift_reason
    assert not agency.is_blacklisted()
    assert AuditEntry.objects.filter(action="blacklist.appeal_decided").exists()


def test_a_dismissed_appeal_keeps_the_entry(entry, agency, agency_admin, reg_user):
    appeal = services.appeal_submit(entry=entry, text="不服", by=agency_admin)
    services.appeal_decide(appeal=appeal, upheld=False, reply="事实清楚", by=reg_user)
    entry.refresh_from_db()
    assert entry.status == "active"
    with pytest.raises(StateConflict) as refused:
        services.appeal_decide(appeal=appeal, upheld=True, reply="改判", by=reg_user)
    assert refused.value.code == "state.conflict"


def test_deciding_needs_a_regulator_and_a_reply(entry, agency_admin, reg_user):
    appeal = services.appeal_submit(entry=entry, text="不服", by=agency_admin)
    with pytest.raises(NotAllowed) as refused:
        services.appeal_decide(appeal=appeal, upheld=True, reply="自行撤销", by=agency_admin)
    assert refused.value.code == "not_allowed"
    with pytest.raises(DomainError) as refused:
        services.appeal_decide(appeal=appeal, upheld=True, reply=" ", by=reg_user)
    assert refused.value.code == "invalid"


def test_credit_repair_waits_for_the_minimum_period(entry, agency_admin, settings):
    with pytest.raises(StateConflict) as refused:
        services.repair_request(entry=entry, text="已整改", by=agency_admin)
    assert refused.value.code == "state.conflict"
    response = client_for(agency_admin).post(f"/api/v1/blacklist/{entry.pk}/repair/",
                                             {"text": "已整改"}, format="multipart")
    assert response.status_code == 409
    assert response.json()["code"] == "state.conflict"
    later = entry.starts_at + dt.timedelta(days=90)
    request = services.repair_request(entry=entry, text="已整改", files=[pdf()],
                                      by=agency_admin, now=later)
    assert request.status == "pending" and request.evidence.count() == 1


def test_approved_repair_lifts_the_entry_and_keeps_the_record(entry, agency, agency_admin,
                                                              reg_user):
    later = entry.starts_at + dt.timedelta(days=91)
    request = services.repair_request(entry=entry, text="已整改", by=agency_admin, now=later)
    response = client_for(reg_user).post(f"/api/v1/repairs/{request.pk}/decide/",
                                         {"approved": True, "reply": "同意修复"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    entry.refresh_from_db()
    agency.refresh_from_db()
    assert entry.status == "lifted" and agency.blacklisted_until is None
    assert CreditRepairRequest.objects.filter(pk=request.pk).exists()


def test_refused_repair_keeps_the_entry(entry, agency_admin, reg_user):
    later = entry.starts_at + dt.timedelta(days=91)
    request = services.repair_request(entry=entry, text="已整改", by=agency_admin, now=later)
    services.repair_decide(request=request, approved=False, reply="整改不到位", by=reg_user,
                           now=later)
    entry.refresh_from_db()
    assert entry.status == "active"


def test_an_expired_entry_cannot_be_appealed(entry, agency_admin):
    with pytest.raises(StateConflict) as refused:
        services.appeal_submit(entry=entry, text="x", by=agency_admin,
                               now=entry.ends_at + dt.timedelta(seconds=1))
    assert refused.value.code == "state.conflict"
