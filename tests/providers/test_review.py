"""Regulators verify or reject declared qualifications; the agency's admins are told."""

import pytest
from django.core import mail
from django.urls import reverse

from marketplace.audit.models import AuditEntry
from marketplace.errors import DomainError, NotAllowed, StateConflict
from marketplace.notifications.models import Notification
from providers import services
from providers.models import Qualification
from tests.conftest import client_for
from tests.factories.providers import QualificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def qualification(agency):
    return QualificationFactory(agency=agency, number="渝测资字0001")


def test_a_regulator_verifies_and_the_agency_admin_finds_it_in_the_inbox(
        qualification, regulator_user, agency_admin, agency_staff, indexed,
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.qualification_verify(qualification=qualification, by=regulator_user,
                                      reason="已核对发证机关系统")

    qualification.refresh_from_db()
    assert qualification.status == Qualification.Status.VERIFIED
    assert qualification.reviewed_by == regulator_user
    assert qualification.reviewed_at is not None
    note = Notification.objects.get(user=agency_admin)
    assert "渝测资字0001" in note.title
    assert note.url == reverse("providers:qualifications")
    # Admins only: staff are not bothered with reviews.
    assert not Notification.objects.filter(user=agency_staff).exists()
    assert [m.to for m in mail.outbox] == [[agency_admin.email]]
    assert indexed == [("agency", qualification.agency_id)]


def test_a_regulator_rejects_with_a_reason_the_agency_admin_reads(
        qualification, regulator_user, agency_admin, indexed,
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.qualification_reject(qualification=qualification, by=regulator_user,
                                      reason="证书编号在发证机关系统中不存在")

    qualification.refresh_from_db()
    assert qualification.status == Qualification.Status.REJECTED
    assert qualification.review_reason == "证书编号在发证机关系统中不存在"
    note = Notification.objects.get(user=agency_admin)
    assert "证书编号在发证机关系统中不存在" in note.body
    assert "证书编号在发证机关系统中不存在" in mail.outbox[0].body


def test_review_texts_are_stored_in_the_platform_language(qualification, regulator_user,
                                                          agency_admin, indexed):
    from django.utils import translation

    with translation.override("en"):
        services.qualification_verify(qualification=qualification, by=regulator_user)
    # The type is named in Chinese whatever language the regulator's page was in.
    assert "环境影响评价" in Notification.objects.get(user=agency_admin).title


def test_reviews_are_audited(qualification, regulator_user, indexed):
    services.qualification_verify(qualification=qualification, by=regulator_user)
    services.qualification_reject(qualification=qualification, by=regulator_user,
                                  reason="发现伪造")
    actions = list(AuditEntry.objects.filter(action__startswith="qualification.")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["qualification.verified", "qualification.rejected"]
    rejected = AuditEntry.objects.get(action="qualification.rejected")
    assert rejected.data["from"] == "verified"
    assert rejected.data["reason"] == "发现伪造"


def test_a_rejection_needs_a_reason(qualification, regulator_user):
    with pytest.raises(DomainError) as refused:
        services.qualification_reject(qualification=qualification, by=regulator_user,
                                      reason="  ")
    assert refused.value.field == "reason"


def test_only_regulators_review(qualification, agency_admin, owner_admin):
    for user in (agency_admin, owner_admin):
        with pytest.raises(NotAllowed) as refused:
            services.qualification_verify(qualification=qualification, by=user)
        assert refused.value.code == "not_allowed"
        with pytest.raises(NotAllowed) as refused:
            services.qualification_reject(qualification=qualification, by=user, reason="x")
        assert refused.value.code == "not_allowed"
    qualification.refresh_from_db()
    assert qualification.status == Qualification.Status.DECLARED


def test_a_rejected_qualification_cannot_be_reviewed_again(qualification, regulator_user,
                                                           indexed):
    services.qualification_reject(qualification=qualification, by=regulator_user, reason="假")
    with pytest.raises(StateConflict) as refused:
        services.qualification_verify(qualification=qualification, by=regulator_user)
    assert refused.value.code == "state.invalid_transition"
    with pytest.raises(StateConflict) as refused:
        services.qualification_reject(qualification=qualification, by=regulator_user,
                                      reason="再次")
    assert refused.value.code == "state.invalid_transition"


def test_the_review_page_lists_declared_qualifications_for_regulators_only(
        client, qualification, regulator_user, agency_admin):
    verified = QualificationFactory(status=Qualification.Status.VERIFIED, number="已核验0002")
    client.force_login(regulator_user)
    response = client.get(reverse("providers:qualification_review"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "渝测资字0001" in html
    assert verified.number not in html

    client.force_login(agency_admin)
    refusal = client.get(reverse("providers:qualification_review"))
    assert refusal.status_code == 403
    assert "只有监管部门才能审核资质。" in refusal.content.decode()


def test_the_review_page_verifies_and_rejects(client, regulator_user, agency, indexed):
    first, second = QualificationFactory.create_batch(2, agency=agency)
    client.force_login(regulator_user)

    response = client.post(reverse("providers:qualification_verify", args=[first.pk]), {})
    assert response.status_code == 302
    response = client.post(reverse("providers:qualification_reject", args=[second.pk]),
                           {"reason": ""})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == Qualification.Status.DECLARED  # no reason, no rejection
    client.post(reverse("providers:qualification_reject", args=[second.pk]),
                {"reason": "扫描件模糊不清"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Qualification.Status.VERIFIED
    assert second.status == Qualification.Status.REJECTED


def test_the_api_verifies_rejects_and_answers_409_on_a_second_rejection(
        qualification, regulator_user, agency_admin, indexed):
    regulator = client_for(regulator_user)
    response = regulator.post(
        reverse("api:qualification_verify", args=[qualification.pk]), {}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "verified"

    response = regulator.post(reverse("api:qualification_reject", args=[qualification.pk]),
                              {"reason": "经查证书系伪造"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert response.json()["review_reason"] == "经查证书系伪造"

    again = regulator.post(reverse("api:qualification_reject", args=[qualification.pk]),
                           {"reason": "再次"}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "state.invalid_transition"
    assert "detail" in again.json()


def test_the_api_review_errors(qualification, regulator_user, agency_admin, api_client):
    url = reverse("api:qualification_reject", args=[qualification.pk])
    refusal = api_client.post(url, {"reason": "x"}, format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (401, "not_authenticated")
    assert client_for(agency_admin).post(url, {"reason": "x"},
                                         format="json").status_code == 403
    response = client_for(regulator_user).post(url, {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "reason" in response.json()
    missing = reverse("api:qualification_verify", args=[999999])
    refusal = client_for(regulator_user).post(missing, {}, format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")
