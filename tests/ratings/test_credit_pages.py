"""Credit publication: the overview, an organization's credit page and API, the blacklist,
"how credit works", and the pages for parties and regulators."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from ratings import services
from ratings.models import BlacklistAppeal, Rating
from tests.conftest import client_for
from tests.factories.accounts import (
    AgencyFactory,
    OwnerFactory,
    log_in_verified,
    member_of,
    reauthentication,
)
from tests.factories.files import pdf
from tests.factories.ratings import closed_contract, event, user_of

pytestmark = pytest.mark.django_db
SOON = dt.timedelta(days=30)


def english(user=None) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        log_in_verified(client, user)
    return client


def test_the_credit_page_charts_the_score_history(agency):
    before = timezone.now() - dt.timedelta(days=3)
    event(agency, "commitment_breach", points=12, now=before)
    services.credit_recompute_organization(organization=agency, now=before)
    page = english().get(f"/credit/{agency.pk}/").content.decode()
    day = timezone.localtime(before).strftime("%Y-%m-%d")
    assert "Score history" in page and 'id="score-history-data"' in page
    assert f"<tr><td>{day}</td><td>68.00</td><td>C</td></tr>" in page
    assert "/static/vendor/chartjs/chart.umd.min.js" in page
    assert "/static/ratings/score_history.js" in page


def test_the_credit_api_shows_score_grade_and_public_events(agency, api_client):
    event(agency, "commitment_breach", public_note="超出承诺时限", now=timezone.now())
    services.credit_recompute_organization(organization=agency)
    body = api_client.get(f"/api/v1/credit/{agency.pk}/").json()
    assert body["score"] == "72.00" and body["grade"] == "C"
    assert body["events"][0]["type"] == "commitment_breach"
    assert body["events"][0]["public_note"] == "超出承诺时限"
    assert set(body["events"][0]) >= {"type", "points", "occurred_at", "public_note"}
    refusal = api_client.get("/api/v1/credit/999999/")
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")


def test_the_credit_page_shows_the_standing_from_the_one_place(agency):
    event(agency, "commitment_breach", public_note="超出承诺时限", now=timezone.now())
    services.credit_recompute_organization(organization=agency)
    page = english().get(f"/credit/{agency.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "72.00" in html and "超出承诺时限" in html and 'id="grade">C<' in html


def test_the_overview_counts_grades_and_blacklisted(reg_user):
    listed = AgencyFactory()
    OwnerFactory()
    services.blacklist_add(organization=listed, reason="违规", basis="x", source="regulator",
                           ends_at=timezone.now() + SOON, by=reg_user)
    page = english().get("/credit/")
    assert page.status_code == 200
    assert page.context["overview"].blacklisted == 1
    assert {g["grade"]: g["agencies"] for g in page.context["overview"].grades}["B"] == 1


def test_the_public_blacklist_lists_active_entries_with_reason_and_dates(reg_user):
    listed, lifted = AgencyFactory(), AgencyFactory()
    services.blacklist_add(organization=listed, reason="串通投标", basis="x", source="regulator",
                           ends_at=timezone.now() + SOON, by=reg_user)
    entry = services.blacklist_add(organization=lifted, reason="其他", basis="x",
                                   source="regulator", ends_at=timezone.now() + SOON,
                                   by=reg_user)
    services.blacklist_lift(entry=entry, reason="撤销", by=reg_user)
    html = english().get("/blacklist/").content.decode()
    assert listed.name in html and "串通投标" in html and lifted.name not in html


def test_how_credit_works_documents_the_settings_values(settings):
    settings.MARKETPLACE_CREDIT_PRIOR_WEIGHT = 7
    settings.MARKETPLACE_GRADE_THRESHOLDS = {"A": 91, "B": 76, "C": 61}
    html = english().get("/credit/how/").content.decode()
    assert "20 × (7 × m + Σ r) / (7 + n)" in html
    assert "≥ 91" in html and "≥ 76" in html


def test_a_listed_organization_appeals_from_its_workspace(agency, agency_admin, reg_user):
    entry = services.blacklist_add(organization=agency, reason="违规", basis="x",
                                   source="regulator", ends_at=timezone.now() + SOON,
                                   by=reg_user)
    client = english(agency_admin)
    assert client.get("/workspace/credit/").status_code == 200
    response = client.post(f"/workspace/credit/entries/{entry.pk}/appeal/",
                           {"text": "依据有误", "evidence": pdf()})
    assert response.status_code == 302
    appeal = BlacklistAppeal.objects.get()
    evidence = appeal.evidence.get()
    assert client.get(f"/workspace/credit/evidence/appeal/{evidence.pk}/").status_code == 200
    stranger = english(member_of(AgencyFactory()))
    assert stranger.get(f"/workspace/credit/evidence/appeal/{evidence.pk}/").status_code == 404
    refusal = stranger.post(f"/workspace/credit/entries/{entry.pk}/appeal/", {"text": "x"})
    assert refusal.status_code == 404 and "Not found." in refusal.content.decode()
    # Regulators decide in the console (one regulator interface), with the evidence linked.
    regulator = english(reg_user)
    requests = regulator.get("/console/supervision/blacklist/requests/").content.decode()
    decide = f"/console/supervision/blacklist/appeals/{appeal.pk}/"
    assert decide in requests
    assert f"/workspace/credit/evidence/appeal/{evidence.pk}/" in regulator.get(
        decide).content.decode()
    assert regulator.get(f"/workspace/credit/evidence/appeal/{evidence.pk}/").status_code == 200
    response = regulator.post(decide, {"decision": "yes", "reply": "撤销"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "lifted"


def test_the_console_desk_records_blacklists_and_expels(agency, reg_user, agency_admin):
    """What the workspace's credit desk did, in the console: a credit event prefilled with the
    organization, a blacklisting, a market exit; the public credit page links regulators there."""
    console = "/console/supervision"
    desk = f"{console}/organizations/{agency.pk}/manage/"
    assert english(agency_admin).get(desk).status_code in (302, 403)
    client = english(reg_user)
    credit_page = client.get(f"/credit/{agency.pk}/").content.decode()
    assert f'href="{desk}"' in credit_page and "Credit desk" in credit_page
    page = client.get(desk).content.decode()
    add_event = f"{console}/credit-events/new/?organization={agency.pk}"
    assert add_event in page and f"/credit/{agency.pk}/" in page
    assert f'value="{agency.uscc}"' in client.get(add_event).content.decode()  # prefilled
    event = {"organization": agency.uscc, "event_type": "commitment_breach", "basis": ""}
    refusal = client.post(f"{console}/credit-events/new/",
                          {**event, **reauthentication(reg_user)})
    assert refusal.status_code == 200 and not agency.credit_events.exists()
    assert client.post(f"{console}/credit-events/new/",
                       {**event, "basis": "决定书", **reauthentication(reg_user)}
                       ).status_code == 302
    ends = (timezone.localtime() + SOON).strftime("%Y-%m-%dT%H:%M")
    assert client.post(f"{console}/blacklist/new/", {**reauthentication(reg_user),
        "organization": agency.uscc, "reason": "违规", "basis": "决定书",
        "ends_at": ends}).status_code == 302
    assert client.post(f"{console}/organizations/{agency.pk}/exit/",
                       {**reauthentication(reg_user), "reason": "清退"}).status_code == 302
    agency.refresh_from_db()
    assert agency.status == "exited" and agency.is_blacklisted()
    assert agency.credit_events.count() == 1


def test_parties_rate_from_the_rate_page_and_reply_on_the_credit_page():
    contract = closed_contract(closed_at=timezone.now() - dt.timedelta(days=1))
    owner = english(user_of(contract.owner))
    url = f"/workspace/contracts/{contract.pk}/rate/"
    assert owner.get(url).status_code == 200
    response = owner.post(url, {"quality": 5, "timeliness": 5, "attitude": 4,
                                "fee_compliance": 4, "conduct": 5, "comment": "很好"})
    assert response.status_code == 302
    agency = english(user_of(contract.agency))
    page = agency.get(url).content.decode()
    assert "很好" not in page  # double-blind on the page too
    agency.post(url, {"cooperation": 4, "clarity": 4, "payment": 4})
    assert "很好" in agency.get(url).content.decode()
    rating = Rating.objects.get(direction="owner_to_agency")
    response = agency.post(f"/workspace/ratings/{rating.pk}/reply/", {"text": "感谢"})
    assert response.status_code == 302
    assert "感谢" in english().get(f"/credit/{contract.agency_id}/").content.decode()


def test_full_flow_through_the_api_moves_the_public_credit(django_capture_on_commit_callbacks,
                                                           api_client):
    contract = closed_contract(closed_at=timezone.now() - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(user_of(contract.owner)).post(
            f"/api/v1/contracts/{contract.pk}/ratings/",
            {"quality": 5, "timeliness": 5, "attitude": 5, "fee_compliance": 5, "conduct": 5},
            format="json").status_code == 201
    assert api_client.get(f"/api/v1/credit/{contract.agency_id}/").json()["score"] == "80.00"
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(user_of(contract.agency)).post(
            f"/api/v1/contracts/{contract.pk}/ratings/",
            {"cooperation": 4, "clarity": 4, "payment": 4}, format="json").status_code == 201
    credit = api_client.get(f"/api/v1/credit/{contract.agency_id}/").json()
    # agencies' mean = 5 (the only agency rating): (5 × 5 + 5) / 6 = 5 → 100
    assert Decimal(credit["score"]) == Decimal("100.00") and credit["grade"] == "A"
    assert credit["rating_summary"] == {"count": 1, "average": "5.00"}
    assert api_client.get(f"/api/v1/credit/{contract.owner_id}/").json()["score"] == "80.00"
