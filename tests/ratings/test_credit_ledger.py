"""The credit ledger: append-only, idempotent on its source, corrected by reversals."""

import datetime as dt
from decimal import Decimal

import pytest

from marketplace.audit.models import AuditEntry
from marketplace.errors import DomainError, NotAllowed, StateConflict
from ratings import policy, services
from ratings.models import CreditEvent
from tests.conftest import client_for
from tests.factories.accounts import AgencyFactory, member_of
from tests.factories.ratings import T0, event

pytestmark = pytest.mark.django_db


def test_events_are_append_only(agency):
    recorded = event(agency)
    recorded.public_note = "edited"
    with pytest.raises(RuntimeError):
        recorded.save()
    with pytest.raises(RuntimeError):
        recorded.delete()


def test_a_replayed_source_records_once(agency):
    first = event(agency, "late_delivery", source_kind="contracts.creditincident", source_id=7,
                  data={"days": 3})
    again = event(agency, "late_delivery", source_kind="contracts.creditincident", source_id=7,
                  data={"days": 3})
    assert first.pk == again.pk
    assert CreditEvent.objects.filter(organization=agency).count() == 1


def test_the_same_source_may_record_different_types(agency):
    event(agency, "late_delivery", source_kind="x", source_id=1, data={"days": 1})
    event(agency, "commitment_breach", source_kind="x", source_id=1)
    assert CreditEvent.objects.filter(organization=agency).count() == 2


def test_points_and_duration_come_from_the_policy(agency):
    recorded = event(agency, "refusal_to_sign")
    config = policy.event_policy("refusal_to_sign")
    assert recorded.points == Decimal(str(config["points"]))
    assert recorded.severity == config["severity"]
    assert recorded.expires_at == T0 + dt.timedelta(days=365)


def test_late_delivery_counts_per_day_up_to_the_cap(agency, settings):
    settings.MARKETPLACE_CREDIT_EVENT_TYPES = {
        **policy.EVENT_TYPES,
        "late_delivery": {"points": 2, "per_day": True, "cap": 15, "severity": "minor",
                          "duration": "365d"}}
    assert event(agency, "late_delivery", data={"days": 4}).points == Decimal("8.00")
    assert event(agency, "late_delivery", data={"days": 40}).points == Decimal("15.00")


def test_an_unknown_type_is_refused(agency):
    with pytest.raises(DomainError) as refused:
        event(agency, "made_up")
    assert refused.value.code == "invalid"


def test_a_correction_references_the_event_and_cannot_be_repeated(agency, reg_user):
    recorded = event(agency)
    reversal = services.credit_event_reverse(event=recorded, reason="录入错误", by=reg_user,
                                             now=T0 + dt.timedelta(hours=1))
    assert reversal.reverses_id == recorded.pk and reversal.event_type == "reversal"
    recorded.refresh_from_db()
    assert recorded.public_note == "" and recorded.is_reversed
    with pytest.raises(StateConflict) as refused:
        services.credit_event_reverse(event=recorded, reason="again", by=reg_user)
    assert refused.value.code == "state.conflict"
    with pytest.raises(StateConflict) as refused:
        services.credit_event_reverse(event=reversal, reason="undo", by=reg_user)
    assert refused.value.code == "state.conflict"


def test_only_regulators_correct_and_a_reason_is_required(agency, agency_admin, reg_user):
    recorded = event(agency)
    with pytest.raises(NotAllowed) as refused:
        services.credit_event_reverse(event=recorded, reason="mine", by=agency_admin)
    assert refused.value.code == "not_allowed"
    with pytest.raises(DomainError) as refused:
        services.credit_event_reverse(event=recorded, reason="  ", by=reg_user)
    assert refused.value.code == "invalid"


def test_regulator_adds_an_event_with_a_written_basis_through_the_api(agency, reg_user):
    response = client_for(reg_user).post(
        f"/api/v1/credit/{agency.pk}/events/",
        {"event_type": "commitment_breach", "basis": "渝监〔2026〕12号", "public_note": "超期"},
        format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["type"] == "commitment_breach"
    created = CreditEvent.objects.get(pk=response.json()["id"])
    assert created.basis == "渝监〔2026〕12号" and created.recorded_by == reg_user
    assert AuditEntry.objects.filter(action="credit.event_recorded",
                                     object_id=str(created.pk)).exists()


def test_an_event_without_basis_is_refused(agency, reg_user):
    response = client_for(reg_user).post(f"/api/v1/credit/{agency.pk}/events/",
                                         {"event_type": "commitment_breach", "basis": " "},
                                         format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not CreditEvent.objects.exists()


def test_only_regulators_add_events(agency, owner_admin, api_client):
    body = {"event_type": "commitment_breach", "basis": "x"}
    response = client_for(owner_admin).post(f"/api/v1/credit/{agency.pk}/events/", body,
                                            format="json")
    assert (response.status_code, response.json()["code"]) == (403, "not_allowed")
    response = api_client.post(f"/api/v1/credit/{agency.pk}/events/", body,
                               format="json")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")
    other = AgencyFactory()
    response = client_for(member_of(other)).post(f"/api/v1/credit/{agency.pk}/events/", body,
                                                 format="json")
    assert (response.status_code, response.json()["code"]) == (403, "not_allowed")
    assert not CreditEvent.objects.exists()


def test_reversal_through_the_api(agency, reg_user, agency_admin):
    recorded = event(agency)
    url = f"/api/v1/credit-events/{recorded.pk}/reverse/"
    refusal = client_for(agency_admin).post(url, {"reason": "x"}, format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (403, "not_allowed")
    response = client_for(reg_user).post(url, {"reason": "依申请更正"}, format="json")
    assert response.status_code == 201
    refusal = client_for(reg_user).post(url, {"reason": "again"}, format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (409, "state.conflict")


def test_each_event_recomputes_the_score_after_commit(agency,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event(agency, "commitment_breach", now=dt.datetime.now(dt.UTC))
    agency.refresh_from_db()
    assert agency.credit_score == Decimal("72.00")
