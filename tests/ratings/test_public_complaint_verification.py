"""A public complaint is handled only once the person types the code sent to their contact:
a right code, a wrong one (attempts counted), an expired one, too many attempts, a new code.
Then it is handled like any complaint; the follow link shows its status and, once answered,
the outcome, which is published without the complainant's personal data."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from marketplace import contacts
from marketplace.audit.models import AuditEntry
from marketplace.notifications.models import Notification
from ratings.models import Complaint
from ratings.services import complaints
from ratings.services.public_complaints import public_complaints_purge_unverified
from tests.conftest import client_for
from tests.factories.accounts import AgencyFactory, log_in_verified
from tests.factories.files import pdf
from tests.factories.ratings import regulator_user
from tests.ratings.public_complaints import (  # noqa: F401 (the fixture)
    EMAIL,
    _fresh_throttles_and_outbox,
    delivered,
    file_complaint,
    follow_link,
    last_code,
    post,
    the_complaint,
    verify_url,
)

pytestmark = pytest.mark.django_db
Status = Complaint.Status


@pytest.fixture
def agency():
    return AgencyFactory(name="重庆某环评咨询有限公司")


@pytest.fixture
def filed(client, agency):
    """The verification page's address of a complaint filed about `agency`."""
    return verify_url(file_complaint(client, f"/complaints/about/organizations/{agency.pk}/",
                                     files=[pdf("收据.pdf")]))


def test_the_right_code_sends_the_complaint_to_the_regulators_and_gives_the_follow_link(
        client, filed):
    regulator = regulator_user()
    page = client.get(filed, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "z***@example.cn" in page and EMAIL not in page
    response = post(client, filed, {"code": last_code()})
    follow = response["Location"]
    assert follow.startswith("/complaints/follow/") and follow == follow_link()
    complaint = the_complaint()
    assert complaint.status == Status.SUBMITTED
    assert complaint.public_complainant.verified_at is not None
    # The link is kept as a digest only, and shown once: in the message on the next page.
    assert follow.split("/")[-2] not in str(complaint.public_complainant.__dict__)
    shown = client.get(follow, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "shown only this once" in shown and "Submitted" in shown
    assert "shown only this once" not in client.get(
        follow, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert mail.outbox[-1].to == [EMAIL]
    assert Notification.objects.filter(user=regulator,
                                       kind="ratings.complaint_submitted").exists()
    assert AuditEntry.objects.filter(action="complaint.contact_verified",
                                     object_id=str(complaint.pk)).exists()
    # The verification page now says so; the code cannot be used twice.
    again = post(client, filed, {"code": last_code()})
    assert again.status_code == 409


def test_a_wrong_code_counts_an_attempt_and_too_many_refuse_even_the_right_one(
        client, filed, settings, monkeypatch):
    settings.COMPLAINT_CODE_ATTEMPTS = 3
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    first = post(client, filed, {"code": wrong})
    assert first.status_code == 200 and "Attempts left: 2." in first.content.decode()
    post(client, filed, {"code": wrong})
    last = post(client, filed, {"code": wrong})
    assert "no attempts are left" in last.content.decode()
    refused = post(client, filed, {"code": code})
    assert refused.status_code == 429
    assert "Too many wrong codes. Ask for a new code." in refused.content.decode()
    assert the_complaint().status == Status.UNVERIFIED
    # A new code replaces the old one and its attempts.
    new = "222222" if code != "222222" else "333333"
    monkeypatch.setattr(contacts, "new_code", lambda: new)
    assert post(client, filed + "resend/").status_code == 302
    assert last_code() == new
    assert "The code is not right" in post(client, filed, {"code": code}).content.decode()
    assert post(client, filed, {"code": new}).status_code == 302
    assert the_complaint().status == Status.SUBMITTED


def test_an_expired_code_is_refused_and_a_new_one_works(client, filed, settings):
    later = timezone.now() + dt.timedelta(minutes=settings.COMPLAINT_CODE_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        expired = post(client, filed, {"code": last_code()})
        assert expired.status_code == 200
        assert "This code has expired. Ask for a new code." in expired.content.decode()
        assert the_complaint().status == Status.UNVERIFIED
        assert post(client, filed + "resend/").status_code == 302
        assert post(client, filed, {"code": last_code()}).status_code == 302
    assert the_complaint().status == Status.SUBMITTED


def test_new_codes_are_limited_per_complaint(client, filed, settings):
    settings.COMPLAINT_CODES_PER_COMPLAINT = 2
    assert post(client, filed + "resend/").status_code == 302
    refused = post(client, filed + "resend/")
    assert refused.status_code == 429
    assert "No more codes can be sent for this complaint" in refused.content.decode()


def test_verifying_is_throttled_per_client_address(client, filed, settings):
    settings.COMPLAINT_VERIFICATIONS_PER_ADDRESS_HOUR = 2
    post(client, filed, {"code": "999999"})
    post(client, filed, {"code": "999998"})
    refused = post(client, filed, {"code": last_code()})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert the_complaint().status == Status.UNVERIFIED


def test_unknown_links_find_nothing(client, filed):
    assert client.get("/complaints/follow/not-a-token/").status_code == 404
    assert client.get("/complaints/verify/not-a-token/").status_code == 404
    assert post(client, "/complaints/verify/not-a-token/", {"code": "123456"}).status_code \
        == 404


def test_regulators_handle_it_like_any_complaint_and_the_outcome_is_public_without_the_person(
        client, filed, agency):
    post(client, filed, {"code": last_code()})
    follow = follow_link()
    complaint = the_complaint()
    regulator = regulator_user()
    # The console shows the complainant's verified contact to regulators, as does their API.
    console = log_in_verified(client.__class__(), regulator)
    detail = console.get(f"/console/supervision/complaints/{complaint.pk}/").content.decode()
    assert "张三" in detail and EMAIL in detail
    api = client_for(regulator).get(f"/api/v1/complaints/{complaint.pk}/").json()
    assert api["complainant"] is None
    assert api["public_complainant"]["contact"] == EMAIL
    with delivered():
        complaints.complaint_accept(complaint=complaint, by=regulator)
    assert mail.outbox[-1].to == [EMAIL]
    assert "Being handled" in client.get(follow, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with delivered():
        complaints.complaint_decide(complaint=complaint, upheld=True,
                                    outcome="经查，该机构超标准收费，责令退还。", by=regulator)
    assert mail.outbox[-1].to == [EMAIL]
    page = client.get(follow, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Upheld" in page and "经查，该机构超标准收费，责令退还。" in page
    # Published: the outcome, never the person's name or contact.
    published = client.get("/complaints/").content.decode()
    assert "经查，该机构超标准收费，责令退还。" in published and agency.name in published
    assert "张三" not in published and EMAIL not in published and "zhang" not in published
    listed = client.get("/api/v1/complaints/").json()["results"][0]
    assert listed["outcome"] == "经查，该机构超标准收费，责令退还。"
    assert "张三" not in str(listed) and EMAIL not in str(listed)
    assert "public_complainant" not in listed and "complainant" not in listed


def test_a_complaint_never_verified_is_deleted_after_a_day(client, filed, settings):
    complaint = the_complaint()
    attachment = complaint.attachments.get()
    assert public_complaints_purge_unverified() == 0
    later = timezone.now() + dt.timedelta(hours=settings.COMPLAINT_UNVERIFIED_HOURS + 1)
    assert public_complaints_purge_unverified(now=later) == 1
    assert not Complaint.objects.exists()
    assert not attachment.file.storage.exists(attachment.file.name)
    assert AuditEntry.objects.filter(action="complaint.unverified_deleted").exists()
