"""One regulator interface (issue #12 §5): the workspace's regulator pages moved to the console.
Each old URL keeps its name (stored notifications link to it) and answers with a permanent
redirect to the console page that does the same; a POST there performs nothing; the console
pages refuse non-regulators; the workspace and the services link to the console."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.accounts.models import Organization
from ratings import services
from ratings.models import BlacklistAppeal, Complaint
from ratings.services import inspections
from tests.factories.accounts import (
    AgencyFactory,
    OwnerFactory,
    UserFactory,
    log_in_verified,
    member_of,
)
from tests.factories.bidding import agency_offering, user_of
from tests.factories.cases import complaint, owner_case, plan, regulator_with_staff

pytestmark = pytest.mark.django_db
S = "/console/supervision"


@pytest.fixture
def market():
    """One of everything a regulator acts on, made through the services."""
    regulator, staff = regulator_with_staff(1)
    reg = staff[0]
    agency = agency_offering()
    entry = services.blacklist_add(organization=agency, reason="提供虚假材料", basis="决定书",
                                   source="regulator", by=reg,
                                   ends_at=timezone.now() + dt.timedelta(days=400))
    event = services.credit_event_add(organization=agency, event_type="regulator_decision",
                                      basis="监管决定书第1号", by=reg)
    appeal = services.appeal_submit(entry=entry, text="处罚依据有误", by=member_of(agency))
    repair = services.repair_request(entry=entry, text="已整改", by=member_of(agency),
                                     now=entry.starts_at + dt.timedelta(days=200))
    drawn = inspections.plan_draw(plan=plan(by=reg, sample_size=1, inspectors_per_agency=1),
                                  by=reg)
    return {"reg": reg, "regulator": regulator, "agency": agency, "entry": entry,
            "event": event, "appeal": appeal, "repair": repair, "complaint": complaint(),
            "case": owner_case(), "plan": drawn, "target": drawn.targets.get()}


def moves(m) -> list[tuple[str, str]]:
    """(old URL, console URL) for every removed regulator page."""
    return [
        (reverse("ratings:manage", args=[m["agency"].pk]),
         f"{S}/organizations/{m['agency'].pk}/manage/"),
        (reverse("ratings:lift", args=[m["entry"].pk]), f"{S}/blacklist/{m['entry'].pk}/lift/"),
        (reverse("ratings:reverse_event", args=[m["event"].pk]),
         f"{S}/credit-events/{m['event'].pk}/reverse/"),
        (reverse("ratings:decisions"), f"{S}/blacklist/requests/"),
        (reverse("ratings:appeal_decide", args=[m["appeal"].pk]),
         f"{S}/blacklist/appeals/{m['appeal'].pk}/"),
        (reverse("ratings:repair_decide", args=[m["repair"].pk]),
         f"{S}/blacklist/repairs/{m['repair'].pk}/"),
        (reverse("ratings:complaint_accept", args=[m["complaint"].pk]),
         f"{S}/complaints/{m['complaint'].pk}/"),
        (reverse("ratings:complaint_decide", args=[m["complaint"].pk]),
         f"{S}/complaints/{m['complaint'].pk}/"),
        (reverse("ratings:inspection_plans"), f"{S}/inspections/"),
        (reverse("ratings:inspection_new"), f"{S}/inspections/new/"),
        (reverse("ratings:inspection_draw", args=[m["plan"].pk]),
         f"{S}/inspections/{m['plan'].pk}/"),
        (reverse("ratings:inspection_result", args=[m["target"].pk]),
         f"{S}/inspections/targets/{m['target'].pk}/"),
        (reverse("ratings:case_decide", args=[m["case"].pk]), f"{S}/cases/{m['case'].pk}/"),
    ]


def test_old_urls_keep_their_paths(market):
    """Notifications already sent hold these paths: they must still resolve."""
    old = [url for url, _console in moves(market)]
    agency, entry = market["agency"].pk, market["entry"].pk
    assert f"/workspace/credit/organizations/{agency}/" in old
    assert f"/workspace/credit/entries/{entry}/lift/" in old
    assert "/workspace/credit/decisions/" in old and "/workspace/inspections/" in old
    assert f"/workspace/cases/{market['case'].pk}/decide/" in old


def test_each_old_page_redirects_permanently_to_its_console_page(client, market):
    log_in_verified(client, market["reg"])
    for old, console in moves(market):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, console), old
        assert client.get(console).status_code == 200, console


def test_a_post_to_an_old_action_url_goes_to_the_console_and_does_nothing(client, market):
    log_in_verified(client, market["reg"])
    appeal, item = market["appeal"], market["complaint"]
    response = client.post(reverse("ratings:appeal_decide", args=[appeal.pk]),
                           {"decision": "yes", "reply": "撤销"})
    assert (response.status_code, response["Location"]) == (
        301, f"{S}/blacklist/appeals/{appeal.pk}/")
    response = client.post(reverse("ratings:complaint_accept", args=[item.pk]))
    assert response["Location"] == f"{S}/complaints/{item.pk}/"
    response = client.post(reverse("ratings:manage", args=[market["agency"].pk]),
                           {"action": "exit", "exit-reason": "清退"})
    assert response.status_code == 301
    appeal.refresh_from_db()
    item.refresh_from_db()
    market["agency"].refresh_from_db()
    assert appeal.status == BlacklistAppeal.Status.PENDING
    assert item.status == Complaint.Status.SUBMITTED
    assert market["agency"].status != Organization.Status.EXITED


def test_the_complaint_pages_send_regulators_to_the_console_and_serve_the_complainant(
        client, market):
    item = market["complaint"]
    log_in_verified(client, market["reg"])
    assert client.get("/workspace/complaints/")["Location"] == f"{S}/complaints/"
    assert client.get(f"/workspace/complaints/{item.pk}/")["Location"] == (
        f"{S}/complaints/{item.pk}/")
    client.force_login(item.complainant)
    page = client.get(f"/workspace/complaints/{item.pk}/")
    assert page.status_code == 200 and item.text in page.content.decode()


@pytest.mark.parametrize("who", ["agency", "owner", "plain user", "anonymous"])
def test_the_console_pages_refuse_non_regulators(who, market):
    user = {"agency": lambda: member_of(AgencyFactory()),
            "owner": lambda: member_of(OwnerFactory()), "plain user": UserFactory,
            "anonymous": lambda: None}[who]()
    client = Client()
    if user is not None:
        log_in_verified(client, user)
    for old, console in moves(market):
        response = client.get(old, follow=False)
        assert response["Location"] == console
        refused = client.get(console)
        assert refused.status_code in (302, 403), console
        if refused.status_code == 302:
            assert refused["Location"] == "/console/" or "/console/login/" in refused[
                "Location"], console


def test_an_invited_member_of_the_regulator_joins_the_console_group(market):
    """Inspectors are the regulator's staff: they record results in the console too."""
    from marketplace.accounts import services as accounts

    invitation = accounts.invite_staff(organization=market["regulator"], email="j@example.cn",
                                       by=market["reg"])
    inspector = accounts.accept_invitation(token=invitation.token, username="jiancha",
                                           password="Jiancha-2026-strong")
    assert inspector.has_perm("ratings.change_inspectionplan")
    owner = OwnerFactory()
    invitation = accounts.invite_staff(organization=owner, email="o@example.cn",
                                       by=user_of(owner))
    staff = accounts.accept_invitation(token=invitation.token, username="yezhu",
                                       password="Yezhu-2026-strong")
    assert not staff.has_perm("ratings.change_inspectionplan")


def test_workspace_and_notifications_link_to_the_console(client, market):
    from marketplace.notifications.models import Notification

    log_in_verified(client, market["reg"])
    page = client.get("/workspace/").content.decode()
    for url in (f"{S}/blacklist/requests/", f"{S}/complaints/", f"{S}/inspections/"):
        assert f'href="{url}"' in page, url
    for kind, url in (("ratings.appeal_submitted", f"{S}/blacklist/requests/"),
                      ("ratings.repair_requested", f"{S}/blacklist/requests/"),
                      ("ratings.complaint_submitted",
                       f"{S}/complaints/{market['complaint'].pk}/")):
        notice = Notification.objects.filter(user=market["reg"], kind=kind).first()
        assert notice is not None and notice.url == url, kind


def test_the_console_shows_what_the_workspace_pages_showed(client, market):
    """Nothing a regulator read on the removed pages is lost: the organization page's credit,
    public page link and corrected events; the complaint's complainant organization."""
    reg, agency, event = market["reg"], market["agency"], market["event"]
    services.credit_event_reverse(event=event, reason="依据错误", by=reg)
    log_in_verified(client, reg)
    client.cookies["django_language"] = "en"
    page = client.get(f"{S}/organizations/{agency.pk}/manage/").content.decode()
    agency.refresh_from_db()
    assert f"{agency.credit_grade} ({agency.credit_score})" in page
    assert f'href="/credit/{agency.pk}/"' in page
    assert "Corrected" in page and f"credit-events/{event.pk}/reverse/" not in page
    filed = complaint(by=user_of(OwnerFactory()))
    page = client.get(f"{S}/complaints/{filed.pk}/").content.decode()
    assert f"{filed.complainant.get_username()} ({filed.complainant_organization.name})" in page
