"""Anyone files a complaint about a project, an agency or an owner from the public pages,
without an account: the form says what is kept and who sees it; attachments are checked by
their content; filing is throttled per client address and per contact; nothing is handled
before the contact is verified."""

from pathlib import Path

import pytest
from django.core import mail

from marketplace import sms
from marketplace.audit.models import AuditEntry
from ratings.models import Complaint, ComplaintAttachment, PublicComplainant
from tests.factories.accounts import AgencyFactory, OwnerFactory, RegulatorFactory, log_in_verified
from tests.factories.bidding import ProjectFactory, published_project
from tests.factories.files import pdf, program
from tests.factories.ratings import regulator_user
from tests.ratings.public_complaints import (  # noqa: F401 (the fixture)
    EMAIL,
    PHONE,
    _fresh_throttles_and_outbox,
    file_complaint,
    last_code,
    the_complaint,
    verify_url,
)

pytestmark = pytest.mark.django_db
Status = Complaint.Status


def test_the_public_pages_link_to_the_form_which_says_what_is_kept_and_who_sees_it(client):
    project, agency = published_project(), AgencyFactory()
    pages = {project.get_absolute_url(): f"/complaints/about/projects/{project.pk}/",
             f"/agencies/{agency.pk}/": f"/complaints/about/organizations/{agency.pk}/",
             f"/owners/{project.owner_id}/": f"/complaints/about/organizations/"
                                             f"{project.owner_id}/"}
    for page, form in pages.items():
        assert f'href="{form}"' in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        shown = client.get(form, HTTP_ACCEPT_LANGUAGE="en")
        assert shown.status_code == 200
        assert "What we keep and who sees it" in shown.content.decode()
        assert "never published" in shown.content.decode()


def test_a_filing_about_a_project_concerns_its_owner_and_waits_for_the_code(client):
    project = published_project()
    response = file_complaint(client, f"/complaints/about/projects/{project.pk}/",
                              files=[pdf("收费单.pdf")])
    assert response["Location"].startswith("/complaints/verify/")
    complaint = the_complaint()
    assert (complaint.subject, complaint.project, complaint.status) == (
        project.owner, project, Status.UNVERIFIED)
    assert complaint.complainant is None and complaint.attachments.count() == 1
    person = complaint.public_complainant
    assert (person.name, person.contact_kind, person.contact) == ("张三", "email", EMAIL)
    # The code went to the contact and is kept only as a digest.
    assert mail.outbox[-1].to == [EMAIL]
    code = last_code()
    assert code not in {person.code_digest, person.verify_token_digest}
    assert len(person.code_digest) == 64
    # Filed, audited without the person's data; nobody handles it yet.
    entry = AuditEntry.objects.get(action="complaint.public_filed")
    assert entry.actor is None and EMAIL not in str(entry.data) and "张三" not in str(entry.data)
    log_in_verified(client, regulator_user())
    listing = client.get("/console/supervision/complaints/").content.decode()
    assert "收费高于公示标准" not in listing
    assert client.get(f"/console/supervision/complaints/{complaint.pk}/").status_code == 404


def test_a_mobile_number_gets_its_code_by_text_message(client, settings):
    agency = AgencyFactory()
    verify_url(file_complaint(client, f"/complaints/about/organizations/{agency.pk}/",
                              contact=PHONE))
    assert the_complaint().public_complainant.contact == "13800138000"
    assert sms.outbox[-1].to == "13800138000" and last_code() in sms.outbox[-1].text
    written = Path(settings.SMS_FILE_PATH) / "outbox.jsonl"
    assert "13800138000" in written.read_text(encoding="utf-8")
    assert not mail.outbox


@pytest.mark.parametrize(("contact", "message"), [
    ("12345", "Enter a mobile number (11 digits) or an e-mail address."),
    ("zhang@", "Enter a valid e-mail address."),
])
def test_a_contact_that_cannot_receive_a_code_is_refused_on_the_form(client, contact, message):
    response = file_complaint(client, f"/complaints/about/organizations/{AgencyFactory().pk}/",
                              contact=contact)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Complaint.objects.exists() and not mail.outbox and not sms.outbox


def test_an_attachment_whose_content_is_not_accepted_refuses_the_complaint(client):
    response = file_complaint(client, f"/complaints/about/organizations/{AgencyFactory().pk}/",
                              files=[pdf(), program("发票.pdf")])
    assert response.status_code == 200
    assert "This file type is not accepted" in response.content.decode()
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists()
    assert not mail.outbox


def test_only_agencies_owners_and_published_projects_can_be_complained_about(client):
    assert client.get(f"/complaints/about/organizations/{RegulatorFactory().pk}/").status_code \
        == 404
    draft = ProjectFactory()
    assert client.get(f"/complaints/about/projects/{draft.pk}/").status_code == 404
    assert file_complaint(client, f"/complaints/about/projects/{draft.pk}/").status_code == 404
    assert not Complaint.objects.exists()


def test_filing_is_throttled_per_client_address(client, settings):
    settings.COMPLAINT_FILINGS_PER_ADDRESS_HOUR = 2
    url = f"/complaints/about/organizations/{OwnerFactory().pk}/"
    for n in range(2):
        verify_url(file_complaint(client, url, contact=f"person{n}@example.cn"))
    refused = file_complaint(client, url, contact="person9@example.cn")
    assert refused.status_code == 429
    assert "Too many complaints from this address or contact" in refused.content.decode()
    assert Complaint.objects.count() == 2
    # Another address is not held back.
    verify_url(file_complaint(client, url, contact="person9@example.cn", address="198.51.100.2"))


def test_filing_is_throttled_per_contact_whatever_the_address(client, settings):
    settings.COMPLAINT_FILINGS_PER_CONTACT_DAY = 2
    url = f"/complaints/about/organizations/{AgencyFactory().pk}/"
    for n in range(2):
        verify_url(file_complaint(client, url, contact=PHONE, address=f"198.51.100.{n}"))
    refused = file_complaint(client, url, contact="+86 138-0013-8000", address="198.51.100.9")
    assert refused.status_code == 429
    assert PublicComplainant.objects.count() == 2



class RecordingGateway(sms.SmsBackend):
    """A deployment's gateway, as SMS_BACKEND names it."""

    sent: list = []

    def send(self, message):
        self.sent.append(message)


def test_a_gateway_plugs_in_through_sms_backend_and_the_deploy_check_asks_for_one(
        client, settings):
    from ratings.checks import public_complaints_deployable

    assert {m.id for m in public_complaints_deployable()} == {"ratings.W001", "ratings.W002"}
    settings.SMS_BACKEND = f"{__name__}.RecordingGateway"
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "throttles"}}
    assert public_complaints_deployable() == []
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    RecordingGateway.sent.clear()
    verify_url(file_complaint(client, f"/complaints/about/organizations/{AgencyFactory().pk}/",
                              contact=PHONE))
    assert [m.to for m in RecordingGateway.sent] == ["13800138000"] and not sms.outbox
