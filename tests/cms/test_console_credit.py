"""The console's credit supervision: market exit, blacklist (add, lift, appeals, credit repair),
complaints, violation cases, random inspections and credit events. Each page refuses
non-regulators; each action goes through its ratings service (state changed, audit entry
written) and a missing reason is refused with the service's message."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from marketplace.accounts.models import Organization
from marketplace.audit.models import AuditEntry
from ratings import services
from ratings.models import (
    BlacklistAppeal,
    BlacklistEntry,
    Complaint,
    CreditEvent,
    CreditRepairRequest,
    InspectionPlan,
    ViolationCase,
)
from ratings.services import complaints as complaint_services
from tests.factories.accounts import (
    OwnerFactory,
    UserFactory,
    log_in_verified,
    member_of,
    reauthentication,
)
from tests.factories.bidding import agency_offering
from tests.factories.cases import complaint, owner_case

pytestmark = pytest.mark.django_db
S = "/console/supervision"


def as_user(client, user, *, english=True):
    log_in_verified(client, user)
    if english:
        client.cookies["django_language"] = "en"
    return client


def later(days=365):
    return timezone.now() + dt.timedelta(days=days)


def local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def entry(agency, console_regulator):
    return services.blacklist_add(organization=agency, reason="提供虚假材料", basis="监管决定书",
                                  source="regulator", by=console_regulator, ends_at=later())


@pytest.fixture
def credit_event(agency, console_regulator):
    return services.credit_event_add(organization=agency, event_type="regulator_decision",
                                     basis="监管决定书第1号", by=console_regulator)


@pytest.fixture
def pages(agency, entry, credit_event):
    case = owner_case()
    filed = complaint(subject=agency)
    plan = services_plan(title="抽查计划")
    return [f"{S}/organizations/{agency.pk}/manage/", f"{S}/organizations/{agency.pk}/exit/",
            f"{S}/organizations/{agency.pk}/suspend/",
            f"{S}/organizations/{agency.pk}/reinstate/",
            f"{S}/blacklist/", f"{S}/blacklist/new/", f"{S}/blacklist/{entry.pk}/lift/",
            f"{S}/blacklist/requests/", f"{S}/complaints/", f"{S}/complaints/{filed.pk}/",
            f"{S}/cases/", f"{S}/cases/{case.pk}/", f"{S}/inspections/",
            f"{S}/inspections/new/", f"{S}/inspections/{plan.pk}/", f"{S}/credit-events/",
            f"{S}/credit-events/new/", f"{S}/credit-events/{credit_event.pk}/reverse/"]


def services_plan(**kwargs):
    from ratings.services import inspections

    regulator = Organization.objects.get(kind=Organization.Kind.REGULATOR)
    user = member_of(regulator)
    return inspections.plan_create(sample_size=1, inspectors_per_agency=1, by=user, **kwargs)


# --- Who gets in ------------------------------------------------------------------------------


def test_regulators_open_every_credit_page(client, console_regulator, pages):
    as_user(client, console_regulator)
    for url in pages:
        assert client.get(url).status_code == 200, url
    menu = client.get("/console/").content.decode()
    for url in (f"{S}/complaints/", f"{S}/cases/", f"{S}/blacklist/", f"{S}/inspections/",
                f"{S}/credit-events/", f"{S}/contract-templates/", "/workspace/contracts/"):
        assert url in menu, url


@pytest.mark.parametrize("who", ["agency", "owner", "editor", "anonymous"])
def test_non_regulators_are_refused_on_every_credit_page(client, who, agency_admin, owner_admin,
                                                         console_regulator, pages):
    if who == "editor":
        user = UserFactory()
        user.groups.add(Group.objects.get(name="Editors"))
    else:
        user = {"agency": agency_admin, "owner": owner_admin, "anonymous": None}[who]
    if user is not None:
        log_in_verified(client, user)
    for url in pages:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] == "/console/" or "/console/login/" in response[
                "Location"], url


def test_a_console_user_outside_the_regulator_cannot_act(client, agency):
    # Given the regulators' permissions by hand: the service still refuses.
    outsider = member_of(OwnerFactory())
    outsider.groups.add(Group.objects.get(name="Regulators"))
    as_user(client, outsider)
    response = client.post(f"{S}/blacklist/new/", {
        "organization": agency.pk, "reason": "越权", "basis": "无", "ends_at":
        local_input(later())})
    assert response.status_code == 200
    assert "Only regulators can do this." in response.content.decode()
    assert not BlacklistEntry.objects.exists()


# --- Market exit ------------------------------------------------------------------------------


def test_market_exit_needs_a_reason_and_goes_through_the_service(client, console_regulator,
                                                                 agency):
    as_user(client, console_regulator)
    listing = client.get(f"{S}/organizations/").content.decode()
    assert f"{S}/organizations/{agency.pk}/manage/" in listing
    refused = client.post(f"{S}/organizations/{agency.pk}/exit/",
                          {**reauthentication(console_regulator), "reason": " ", "basis": ""})
    assert refused.status_code == 200
    assert "Give the reason for the market exit." in refused.content.decode()
    agency.refresh_from_db()
    assert agency.status == Organization.Status.ACTIVE
    response = client.post(f"{S}/organizations/{agency.pk}/exit/",
                           {**reauthentication(console_regulator),
                            "reason": "串通投标", "basis": "处罚决定书2026-1"})
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.status == Organization.Status.EXITED and agency.exit_until is not None
    entry = AuditEntry.objects.get(action="organization.expelled")
    assert entry.actor == console_regulator and entry.data["reason"] == "串通投标"
    again = client.post(f"{S}/organizations/{agency.pk}/exit/",
                        {**reauthentication(console_regulator), "reason": "再次"})
    assert again.status_code == 200
    assert AuditEntry.objects.filter(action="organization.expelled").count() == 1


def test_a_suspension_stops_bidding_until_the_organization_is_reinstated(
        client, console_regulator, agency):
    from bidding import services as bidding
    from marketplace.errors import NotAllowed
    from tests.factories.bidding import published_project, user_of

    as_user(client, console_regulator)
    manage = client.get(f"{S}/organizations/{agency.pk}/manage/").content.decode()
    assert f"{S}/organizations/{agency.pk}/suspend/" in manage
    refused = client.post(f"{S}/organizations/{agency.pk}/suspend/",
                          {**reauthentication(console_regulator), "reason": ""})
    assert "Give the reason for this decision." in refused.content.decode()
    assert client.post(f"{S}/organizations/{agency.pk}/suspend/",
                       {**reauthentication(console_regulator),
                        "reason": "涉嫌提供虚假材料，调查期间暂停"}).status_code == 302
    agency.refresh_from_db()
    assert agency.status == Organization.Status.SUSPENDED
    project = published_project(now=timezone.now())
    with pytest.raises(NotAllowed) as excinfo:
        bidding.bid_submit(project=project, by=user_of(agency), price="50000",
                           promised_days=10, proposal="方案")
    assert excinfo.value.code == "org.suspended"
    again = client.post(f"{S}/organizations/{agency.pk}/suspend/",
                        {**reauthentication(console_regulator), "reason": "再次"})
    assert again.status_code == 200  # already suspended: refused with the reason shown
    assert client.post(f"{S}/organizations/{agency.pk}/reinstate/",
                       {"reason": "调查结束，未发现违规"}).status_code == 302
    agency.refresh_from_db()
    assert agency.status == Organization.Status.ACTIVE
    assert [e.action for e in AuditEntry.objects.filter(
        action__startswith="organization.").order_by("pk")] == [
        "organization.suspended", "organization.reinstated"]


# --- Blacklist --------------------------------------------------------------------------------


def test_the_organization_is_named_by_its_uscc(client, console_regulator, agency):
    as_user(client, console_regulator)
    page = client.get(f"{S}/blacklist/new/?organization={agency.pk}").content.decode()
    assert f'value="{agency.uscc}"' in page  # filled in from the organization's page
    unknown = client.post(f"{S}/blacklist/new/", {
        **reauthentication(console_regulator), "organization": "91500000MA5U000000",
        "reason": "违规", "basis": "决定书", "ends_at": local_input(later())})
    assert "No organization has this unified social credit code." in unknown.content.decode()
    assert client.post(f"{S}/blacklist/new/", {**reauthentication(console_regulator),
        "organization": agency.uscc.lower(), "reason": "违规", "basis": "决定书",
        "ends_at": local_input(later())}).status_code == 302
    assert BlacklistEntry.objects.get().organization == agency


def test_blacklisting_needs_a_reason_and_an_end_date(client, console_regulator, agency):
    as_user(client, console_regulator)
    no_reason = client.post(f"{S}/blacklist/new/", {
        **reauthentication(console_regulator), "organization": agency.pk, "reason": "",
        "basis": "决定书", "ends_at": local_input(later())})
    assert "Give the reason for blacklisting." in no_reason.content.decode()
    no_end = client.post(f"{S}/blacklist/new/", {
        **reauthentication(console_regulator), "organization": agency.pk, "reason": "违规",
        "basis": "决定书", "ends_at": ""})
    assert "Give the end date of the listing." in no_end.content.decode()
    assert not BlacklistEntry.objects.exists()
    response = client.post(f"{S}/blacklist/new/", {
        **reauthentication(console_regulator), "organization": agency.pk,
        "reason": "提供虚假材料", "basis": "决定书", "ends_at": local_input(later())})
    assert response.status_code == 302
    entry = BlacklistEntry.objects.get()
    agency.refresh_from_db()
    assert entry.source == "regulator" and entry.created_by == console_regulator
    assert agency.blacklisted_until == entry.ends_at
    assert AuditEntry.objects.get(action="blacklist.added").actor == console_regulator
    assert agency.name in client.get(f"{S}/blacklist/").content.decode()


def test_lifting_needs_a_reason(client, console_regulator, agency, entry):
    as_user(client, console_regulator)
    refused = client.post(f"{S}/blacklist/{entry.pk}/lift/", {"reason": ""})
    assert "Give the reason for lifting the entry." in refused.content.decode()
    entry.refresh_from_db()
    assert entry.status == BlacklistEntry.Status.ACTIVE
    response = client.post(f"{S}/blacklist/{entry.pk}/lift/", {"reason": "已整改完毕"})
    assert response.status_code == 302
    entry.refresh_from_db()
    agency.refresh_from_db()
    assert entry.status == BlacklistEntry.Status.LIFTED and entry.lifted_by == console_regulator
    assert agency.blacklisted_until is None
    assert AuditEntry.objects.get(action="blacklist.lifted").data["reason"] == "已整改完毕"


def test_an_upheld_appeal_lifts_the_entry(client, console_regulator, entry, agency):
    appeal = services.appeal_submit(entry=entry, text="处罚依据有误", by=member_of(agency))
    as_user(client, console_regulator)
    assert "处罚依据有误" in client.get(f"{S}/blacklist/requests/").content.decode()
    refused = client.post(f"{S}/blacklist/appeals/{appeal.pk}/", {"decision": "yes",
                                                                  "reply": ""})
    assert "Write the reply to the appeal." in refused.content.decode()
    response = client.post(f"{S}/blacklist/appeals/{appeal.pk}/", {"decision": "yes",
                                                                   "reply": "申诉成立"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    entry.refresh_from_db()
    assert appeal.status == BlacklistAppeal.Status.UPHELD and appeal.decided_by == console_regulator
    assert entry.status == BlacklistEntry.Status.LIFTED
    assert AuditEntry.objects.filter(action="blacklist.appeal_decided").exists()


def test_a_refused_repair_request_keeps_the_entry(client, console_regulator, entry, agency):
    request = services.repair_request(entry=entry, text="已整改", by=member_of(agency),
                                      now=entry.starts_at + dt.timedelta(days=200))
    as_user(client, console_regulator)
    response = client.post(f"{S}/blacklist/repairs/{request.pk}/", {"decision": "no",
                                                                    "reply": "整改不到位"})
    assert response.status_code == 302
    request.refresh_from_db()
    entry.refresh_from_db()
    assert request.status == CreditRepairRequest.Status.REFUSED
    assert entry.status == BlacklistEntry.Status.ACTIVE
    assert AuditEntry.objects.get(action="blacklist.repair_decided").data["approved"] is False


# --- Complaints and cases ---------------------------------------------------------------------


def test_a_complaint_is_taken_up_then_answered(client, console_regulator, agency):
    filed = complaint(subject=agency, text="收费不透明")
    as_user(client, console_regulator)
    assert "收费不透明" in client.get(f"{S}/complaints/").content.decode()
    client.post(f"{S}/complaints/{filed.pk}/", {"action": "accept"})
    filed.refresh_from_db()
    assert filed.status == Complaint.Status.HANDLING and filed.handled_by == console_regulator
    assert AuditEntry.objects.filter(action="complaint.accepted").exists()
    refused = client.post(f"{S}/complaints/{filed.pk}/", {"decision": "upheld", "outcome": ""})
    assert "Write the outcome and its reasons." in refused.content.decode()
    response = client.post(f"{S}/complaints/{filed.pk}/", {"decision": "upheld",
                                                           "outcome": "经查属实"})
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == Complaint.Status.UPHELD and filed.credit_event is not None
    assert AuditEntry.objects.get(action="complaint.decided").actor == console_regulator


def test_a_case_ready_for_decision_is_decided(client, console_regulator):
    case = owner_case()
    as_user(client, console_regulator)
    listing = client.get(f"{S}/cases/").content.decode()
    assert case.respondent.name in listing
    assert "/workspace/cases/new/" in listing  # regulators open cases too
    unsigned = client.post(f"{S}/cases/{case.pk}/", {"upheld": "upheld", "decision": "认定"})
    assert "The password is not correct." in unsigned.content.decode()
    refused = client.post(f"{S}/cases/{case.pk}/", {"upheld": "upheld", "decision": "",
                                                    **reauthentication(console_regulator)})
    assert "Write the decision and its reasons." in refused.content.decode()
    declined = client.post(f"{S}/cases/{case.pk}/", {"upheld": "declined",
                                                     **reauthentication(console_regulator),
                                                     "decision": "证据不足", "decline_reason": ""})
    assert "Say why the case is declined." in declined.content.decode()
    response = client.post(f"{S}/cases/{case.pk}/", {"upheld": "upheld",
                                                     **reauthentication(console_regulator),
                                                     "decision": "逾期属实，予以认定"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == ViolationCase.Status.UPHELD and case.decided_by == console_regulator
    assert AuditEntry.objects.get(action="case.decided").data["upheld"] is True


# --- Inspections --------------------------------------------------------------------------------


def test_a_plan_is_created_drawn_and_its_results_recorded(client, console_regulator):
    agencies = [agency_offering() for _ in range(3)]
    as_user(client, console_regulator)
    refused = client.post(f"{S}/inspections/new/", {"title": " ", "sample_size": 2,
                                                    "inspectors_per_agency": 1})
    assert "Give the plan a title." in refused.content.decode()
    response = client.post(f"{S}/inspections/new/", {
        "title": "2026年双随机抽查", "sample_size": 2, "inspectors_per_agency": 1})
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/inspections/{plan.pk}/")
    assert plan.regulator.kind == "regulator" and plan.created_by == console_regulator
    client.post(f"{S}/inspections/{plan.pk}/draw/")
    plan.refresh_from_db()
    assert plan.status == InspectionPlan.Status.DRAWN
    assert sorted(plan.pool) == sorted(a.uscc for a in agencies)
    assert AuditEntry.objects.filter(action="inspection.drawn").exists()
    first, second = plan.targets.order_by("position")
    failed = client.post(f"{S}/inspections/targets/{first.pk}/",
                         {f"t{first.pk}-result": "failed", f"t{first.pk}-findings": ""})
    assert "Describe the findings of a failed inspection." in failed.content.decode()
    client.post(f"{S}/inspections/targets/{first.pk}/",
                {f"t{first.pk}-result": "failed", f"t{first.pk}-findings": "档案缺失"})
    client.post(f"{S}/inspections/targets/{second.pk}/", {f"t{second.pk}-result": "passed"})
    plan.refresh_from_db()
    first.refresh_from_db()
    assert first.result == "failed" and first.credit_event.event_type == "inspection_failed"
    assert plan.status == InspectionPlan.Status.COMPLETED
    assert AuditEntry.objects.filter(action="inspection.recorded").count() == 2


# --- Credit events ------------------------------------------------------------------------------


def test_a_credit_event_needs_a_written_basis(client, console_regulator, agency):
    as_user(client, console_regulator)
    refused = client.post(f"{S}/credit-events/new/", {
        **reauthentication(console_regulator), "organization": agency.pk,
        "event_type": "commitment_breach", "basis": ""})
    assert "Give the basis of this event." in refused.content.decode()
    assert not CreditEvent.objects.exists()
    response = client.post(f"{S}/credit-events/new/", {
        **reauthentication(console_regulator), "organization": agency.pk,
        "event_type": "commitment_breach", "basis": "监管决定书2026-7", "public_note": "违反承诺"})
    assert response.status_code == 302
    event = CreditEvent.objects.get()
    assert event.organization == agency and event.basis == "监管决定书2026-7"
    assert event.recorded_by == console_regulator


def test_a_credit_event_is_corrected_with_a_reason(client, console_regulator, credit_event):
    as_user(client, console_regulator)
    url = f"{S}/credit-events/{credit_event.pk}/reverse/"
    assert url in client.get(f"{S}/credit-events/").content.decode()
    refused = client.post(url, {"reason": ""})
    assert "Give the reason for the correction." in refused.content.decode()
    assert client.post(url, {"reason": "录入错误"}).status_code == 302
    reversal = CreditEvent.objects.get(reverses=credit_event)
    assert reversal.event_type == "reversal" and reversal.recorded_by == console_regulator
    assert AuditEntry.objects.get(action="credit.event_reversed").data["reason"] == "录入错误"
    assert url not in client.get(f"{S}/credit-events/").content.decode()


# --- Dashboard ----------------------------------------------------------------------------------


def test_the_dashboard_counts_what_needs_action(client, console_regulator, agency, entry):
    complaint(subject=agency)
    handled = complaint(subject=agency)
    complaint_services.complaint_accept(complaint=handled, by=console_regulator)
    owner_case()
    services.appeal_submit(entry=entry, text="申诉", by=member_of(agency))
    as_user(client, console_regulator)
    page = client.get("/console/").content.decode()
    assert 'data-count="complaints">2<' in page
    assert 'data-count="cases">1<' in page
    assert 'data-count="appeals">1<' in page
    assert 'data-count="repairs">0<' in page
