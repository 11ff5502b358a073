"""The regulator console (/console/): who gets in, and every action goes through a service."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group

from bidding import services
from bidding.models import Objection, Project
from marketplace.audit.models import AuditEntry
from providers.models import Qualification
from tests.factories.accounts import OwnerFactory, UserFactory, log_in_verified, member_of
from tests.factories.bidding import bid, open_bids, qualify, user_of

pytestmark = pytest.mark.django_db
QUALIFICATIONS = "/console/supervision/qualifications/"
OBJECTIONS = "/console/supervision/objections/"
CONSOLE_PAGES = ["/console/", QUALIFICATIONS, OBJECTIONS,
                 "/console/supervision/organizations/", "/console/supervision/audit/",
                 "/console/supervision/audit/verify/"]


def as_user(client, user):
    log_in_verified(client, user)
    return client


def test_anonymous_visitors_are_sent_to_the_login(client):
    for url in CONSOLE_PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/console/login/" in response["Location"]


@pytest.mark.parametrize("kind", ["agency", "owner"])
def test_agencies_and_owners_are_refused(client, kind, agency_admin, owner_admin):
    as_user(client, agency_admin if kind == "agency" else owner_admin)
    for url in CONSOLE_PAGES:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "/console/login/" in response["Location"]


def test_regulators_get_in_and_see_the_supervision_pages(client, console_regulator):
    assert console_regulator.groups.filter(name="Regulators").exists()
    as_user(client, console_regulator)
    for url in CONSOLE_PAGES:
        assert client.get(url).status_code == 200, url
    dashboard = client.get("/console/").content.decode()
    assert 'data-count="qualifications"' in dashboard and "supervision-chart" in dashboard


def test_editors_edit_pages_but_do_not_supervise(client):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    as_user(client, editor)
    assert client.get("/console/").status_code == 200
    assert client.get("/console/pages/").status_code == 200
    for url in (QUALIFICATIONS, OBJECTIONS, "/console/supervision/audit/",
                "/console/supervision/organizations/"):
        # Wagtail turns a refusal into a redirect to the dashboard, with a message.
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] == "/console/"


def test_organizations_and_the_audit_log_are_read_only(client, console_regulator, agency):
    as_user(client, console_regulator)
    listing = client.get("/console/supervision/organizations/?kind=agency")
    assert listing.status_code == 200 and agency.name in listing.content.decode()
    assert "/edit/" not in listing.content.decode()
    for url in (f"/console/supervision/organizations/edit/{agency.pk}/",
                "/console/supervision/organizations/new/",
                f"/console/supervision/organizations/delete/{agency.pk}/"):
        assert client.get(url).status_code in (302, 403)
    assert client.post(f"/console/supervision/organizations/edit/{agency.pk}/",
                       {"name": "改名"}).status_code in (302, 403)
    agency.refresh_from_db()
    assert agency.name != "改名"
    inspect = client.get(f"/console/supervision/organizations/inspect/{agency.pk}/")
    assert inspect.status_code == 200


def test_the_audit_log_filters_by_action_organization_and_date(client, console_regulator,
                                                               agency):
    qualification = qualify(agency, "EIA")
    verifier = console_regulator
    from providers import services as provider_services

    provider_services.qualification_verify(qualification=qualification, by=verifier)
    as_user(client, console_regulator)
    entries = client.get("/console/supervision/audit/?action=qualification.")
    assert [e.action for e in entries.context["object_list"]] == ["qualification.verified"]
    from django.utils import timezone

    today = timezone.localdate(AuditEntry.objects.latest("id").created_at).isoformat()
    dated = client.get(f"/console/supervision/audit/?created_at_from={today}"
                       f"&created_at_to={today}")
    assert "qualification.verified" in [e.action for e in dated.context["object_list"]]
    mine = client.get(f"/console/supervision/audit/?organization={agency.pk}")
    assert all(e.organization_id == agency.pk for e in mine.context["object_list"])
    empty = client.get("/console/supervision/audit/?created_at_from=2001-01-01"
                       "&created_at_to=2001-01-02")
    assert list(empty.context["object_list"]) == []


def test_verifying_a_qualification_goes_through_the_service(client, console_regulator, agency):
    qualification = qualify(agency, "EIA")
    as_user(client, console_regulator)
    assert qualification.number in client.get(QUALIFICATIONS).content.decode()
    response = client.post(f"{QUALIFICATIONS}{qualification.pk}/",
                           {"decision": "verify", "reason": "与发证机关核对一致"})
    assert response.status_code == 302
    qualification.refresh_from_db()
    assert qualification.status == Qualification.Status.VERIFIED
    assert qualification.reviewed_by == console_regulator
    entry = AuditEntry.objects.get(action="qualification.verified")
    assert entry.actor == console_regulator and entry.data["reason"] == "与发证机关核对一致"


def test_a_rejection_needs_a_reason(client, console_regulator, agency):
    qualification = qualify(agency, "EIA")
    as_user(client, console_regulator)
    client.cookies["django_language"] = "en"
    response = client.post(f"{QUALIFICATIONS}{qualification.pk}/", {"decision": "reject",
                                                                    "reason": " "})
    assert response.status_code == 200
    assert "Give the reason for the rejection." in response.content.decode()
    qualification.refresh_from_db()
    assert qualification.status == Qualification.Status.DECLARED
    assert not AuditEntry.objects.filter(action="qualification.rejected").exists()
    client.post(f"{QUALIFICATIONS}{qualification.pk}/", {"decision": "reject",
                                                         "reason": "证书编号不存在"})
    qualification.refresh_from_db()
    assert qualification.status == Qualification.Status.REJECTED
    assert AuditEntry.objects.filter(action="qualification.rejected").exists()


def test_a_second_review_is_refused_with_a_message(client, console_regulator, agency):
    qualification = qualify(agency, "EIA", status=Qualification.Status.REJECTED)
    as_user(client, console_regulator)
    response = client.post(f"{QUALIFICATIONS}{qualification.pk}/", {"decision": "verify"})
    assert response.status_code == 200
    qualification.refresh_from_db()
    assert qualification.status == Qualification.Status.REJECTED


@pytest.fixture
def objection(project, agencies):
    offers = [bid(project, a, p) for a, p in zip(
        agencies, ["90000", "80000", "85000", "88000"], strict=True)]
    project = open_bids(project)
    now = project.bid_deadline + dt.timedelta(hours=1)
    project = services.project_award(project=project, by=user_of(project.owner), now=now)
    with time_machine.travel(now + dt.timedelta(hours=1), tick=False):
        yield services.objection_file(project=project, by=user_of(offers[0].agency),
                                      reason="中选单位资质造假")


def test_deciding_an_objection_goes_through_the_service(client, console_regulator, objection):
    as_user(client, console_regulator)
    assert objection.project.title in client.get(OBJECTIONS).content.decode()
    response = client.post(f"{OBJECTIONS}{objection.pk}/", {
        "decision": "upheld", "reply": "经核实，质疑成立。", "exclude_bid": "on"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == Objection.Status.UPHELD
    assert objection.decided_by == console_regulator
    assert objection.project.status == Project.Status.EVALUATING
    assert AuditEntry.objects.filter(action__startswith="objection.decided",
                                     actor=console_regulator).exists()


def test_an_objection_decision_needs_reasons(client, console_regulator, objection):
    as_user(client, console_regulator)
    response = client.post(f"{OBJECTIONS}{objection.pk}/", {"decision": "rejected",
                                                            "reply": ""})
    assert response.status_code == 200
    objection.refresh_from_db()
    assert objection.status == Objection.Status.PENDING


def test_a_console_user_who_is_not_a_regulator_cannot_act(client, objection):
    # Someone given the permissions by hand, without belonging to a regulator: the service
    # still refuses.
    outsider = member_of(OwnerFactory())
    outsider.groups.add(Group.objects.get(name="Regulators"))
    as_user(client, outsider)
    response = client.post(f"{OBJECTIONS}{objection.pk}/", {"decision": "upheld",
                                                            "reply": "越权"})
    assert response.status_code == 200
    objection.refresh_from_db()
    assert objection.status == Objection.Status.PENDING


def test_verify_chain_reports_the_result_of_audit_verify(client, console_regulator, agency):
    as_user(client, console_regulator)
    client.cookies["django_language"] = "en"
    ok = client.post("/console/supervision/audit/verify/")
    assert 'data-chain-ok="true"' in ok.content.decode()
    entry = AuditEntry.objects.order_by("id").first()
    AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    broken = client.post("/console/supervision/audit/verify/")
    assert 'data-chain-ok="false"' in broken.content.decode()
    assert f"#{entry.pk}" in broken.content.decode()
