"""Complaints: anyone logged in files one; regulators accept and answer; outcomes are public
only once decided, and never name the complainant."""

import pytest

from marketplace.audit.models import AuditEntry
from marketplace.errors import DomainError, NotAllowed, StateConflict
from ratings.models import Complaint, ComplaintAttachment, CreditEvent
from ratings.services import complaints
from tests.conftest import client_for
from tests.factories.accounts import AgencyFactory, OwnerFactory, RegulatorFactory, log_in_verified
from tests.factories.bidding import user_of
from tests.factories.cases import OPENED_AT, complaint
from tests.factories.files import pdf, program
from tests.factories.ratings import regulator_user

pytestmark = pytest.mark.django_db
Status = Complaint.Status


def test_anyone_logged_in_can_complain_about_an_agency_or_an_owner_with_attachments():
    first = complaint(subject=AgencyFactory(), files=[pdf()])
    second = complaint(subject=OwnerFactory())
    assert first.status == second.status == Status.SUBMITTED
    assert first.attachments.count() == 1
    assert AuditEntry.objects.filter(action="complaint.submitted").count() == 2


def test_complaints_about_regulators_or_oneself_are_refused():
    with pytest.raises(DomainError) as refused:
        complaint(subject=RegulatorFactory())
    assert refused.value.code == "invalid"
    agency = AgencyFactory()
    with pytest.raises(DomainError) as refused:
        complaint(subject=agency, by=user_of(agency))
    assert refused.value.code == "invalid"
    with pytest.raises(DomainError) as refused:
        complaint(text="   ")
    assert refused.value.code == "invalid"


def test_a_bad_attachment_refuses_the_complaint():
    with pytest.raises(DomainError) as refused:
        complaint(files=[pdf(), program()])
    assert refused.value.code == "upload.type_not_accepted"
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists()


def test_regulator_accepts_then_answers_and_upheld_records_a_credit_event_once():
    item = complaint()
    regulator = regulator_user()
    with pytest.raises(StateConflict) as refused:  # answered before being taken up
        complaints.complaint_decide(complaint=item, upheld=True, outcome="属实", by=regulator,
                                    now=OPENED_AT)
    assert refused.value.code == "state.invalid_transition"
    complaints.complaint_accept(complaint=item, by=regulator, now=OPENED_AT)
    with pytest.raises(StateConflict) as refused:
        complaints.complaint_accept(complaint=item, by=regulator, now=OPENED_AT)
    assert refused.value.code == "state.invalid_transition"
    item = complaints.complaint_decide(complaint=item, upheld=True, outcome="投诉属实",
                                       by=regulator, now=OPENED_AT)
    assert item.status == Status.UPHELD
    assert item.credit_event.event_type == "complaint_upheld"
    assert item.credit_event.organization_id == item.subject_id
    with pytest.raises(StateConflict) as refused:
        complaints.complaint_decide(complaint=item, upheld=False, outcome="改判",
                                    by=regulator, now=OPENED_AT)
    assert refused.value.code == "state.conflict"
    assert CreditEvent.objects.filter(source_kind="complaint").count() == 1


def test_not_upheld_records_nothing_against_the_organization():
    item = complaint()
    regulator = regulator_user()
    complaints.complaint_accept(complaint=item, by=regulator, now=OPENED_AT)
    item = complaints.complaint_decide(complaint=item, upheld=False, outcome="查无实据",
                                       by=regulator, now=OPENED_AT)
    assert item.status == Status.NOT_UPHELD and item.credit_event is None
    assert not CreditEvent.objects.exists()


def test_only_regulators_handle_complaints():
    item = complaint()
    for user in (item.complainant, user_of(item.subject)):
        with pytest.raises(NotAllowed) as refused:
            complaints.complaint_accept(complaint=item, by=user, now=OPENED_AT)
        assert refused.value.code == "not_allowed"


def test_public_list_shows_only_decided_complaints_without_the_complainant(api_client):
    pending = complaint(text="待处理的投诉")
    decided = complaint(text="已处理的投诉")
    regulator = regulator_user()
    complaints.complaint_accept(complaint=decided, by=regulator, now=OPENED_AT)
    complaints.complaint_decide(complaint=decided, upheld=True, outcome="属实，已责令整改",
                                by=regulator, now=OPENED_AT)
    body = api_client.get("/api/v1/complaints/").json()
    assert [c["id"] for c in body["results"]] == [decided.pk]
    row = body["results"][0]
    assert row["outcome"] == "属实，已责令整改" and row["status"] == "upheld"
    text = str(body)
    assert "complainant" not in text and decided.complainant.username not in text
    assert "已处理的投诉" not in text  # the complaint's own text stays private

    page = api_client.get("/complaints/").content.decode()
    assert "属实，已责令整改" in page
    assert decided.complainant.username not in page
    assert pending.subject.name not in page


def test_full_complaint_is_visible_to_its_complainant_and_regulators_only():
    item = complaint(files=[pdf()])
    attachment = item.attachments.get()
    for user in (item.complainant, regulator_user()):
        client = client_for(user)
        response = client.get(f"/api/v1/complaints/{item.pk}/")
        assert response.status_code == 200 and response.json()["text"] == item.text
        download = client.get(f"/api/v1/complaints/{item.pk}/attachments/{attachment.pk}/")
        assert download.status_code == 200
    for user in (user_of(item.subject), user_of(AgencyFactory())):
        client = client_for(user)
        refusal = client.get(f"/api/v1/complaints/{item.pk}/")
        assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")
        answer = client.get(f"/api/v1/complaints/{item.pk}/attachments/{attachment.pk}/")
        assert (answer.status_code, answer.json()["code"]) == (404, "not_found")


def test_api_flow_and_regulator_only_endpoints():
    subject = AgencyFactory()
    complainant = client_for(user_of(OwnerFactory()))
    filed = complainant.post("/api/v1/complaints/", {
        "subject": subject.pk, "text": "收费超出承诺", "attachments": [pdf()]},
        format="multipart")
    assert filed.status_code == 201, filed.content
    pk = filed.json()["id"]
    refusal = complainant.post(f"/api/v1/complaints/{pk}/accept/")
    assert (refusal.status_code, refusal.json()["code"]) == (403, "not_allowed")
    regulator = client_for(regulator_user())
    queue = regulator.get("/api/v1/complaints/queue/?status=submitted").json()
    assert [c["id"] for c in queue["results"]] == [pk]
    assert regulator.post(f"/api/v1/complaints/{pk}/accept/").json()["status"] == "handling"
    decided = regulator.post(f"/api/v1/complaints/{pk}/decide/",
                             {"upheld": False, "outcome": "收费符合承诺"}, format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "not_upheld"
    response = regulator.post(f"/api/v1/complaints/{pk}/decide/",
                              {"upheld": True, "outcome": "x"}, format="json")
    assert (response.status_code, response.json()["code"]) == (409, "state.conflict")
    anonymous = client_for(user_of(AgencyFactory()))
    anonymous.credentials()
    response = anonymous.post("/api/v1/complaints/", {"subject": subject.pk, "text": "x"}
                              )
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_pages_file_then_the_console_accepts_and_answers(client):
    """The complainant files and reads the complaint in the workspace; regulators accept and
    answer it in the console (one regulator interface), the old pages send them there."""
    subject = AgencyFactory()
    client.force_login(user_of(OwnerFactory()))
    response = client.post("/complaints/new/", {"subject_uscc": subject.uscc,
                                                "text": "逾期未出具报告",
                                                "attachments": [pdf()]})
    assert response.status_code == 302
    item = Complaint.objects.get()
    page = client.get(f"/workspace/complaints/{item.pk}/")
    assert page.status_code == 200 and "逾期未出具报告" in page.content.decode()
    assert subject.name in client.get("/workspace/complaints/").content.decode()
    log_in_verified(client, regulator_user())
    assert client.get("/workspace/complaints/")["Location"] == "/console/supervision/complaints/"
    console = f"/console/supervision/complaints/{item.pk}/"
    assert client.get(f"/workspace/complaints/{item.pk}/")["Location"] == console
    assert client.post(console, {"action": "accept"}).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.HANDLING
    response = client.post(console, {"decision": "upheld", "outcome": "情况属实"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.UPHELD and item.credit_event_id
