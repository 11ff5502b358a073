"""A signing window that lapses: refusal incidents, and the award passing to the next bid."""

import datetime as dt

import pytest
from celery import current_app
from django.conf import settings

from bidding.models import Award, Bid, Draw, Project
from contracts import services, tasks
from contracts.models import Contract, CreditIncident
from contracts.signals import credit_incident
from marketplace.audit.models import AuditEntry
from marketplace.errors import StateConflict
from tests.conftest import client_for
from tests.contracts.conftest import api_as
from tests.factories.accounts import member_of
from tests.factories.bidding import user_of
from tests.factories.contracts import (
    contract_awaiting_signatures,
    finalize,
    latest_contract,
    sign,
    standing_award,
)

pytestmark = pytest.mark.django_db


def after_window(contract):
    return contract.signing_deadline + dt.timedelta(minutes=1)


def test_the_beat_task_is_scheduled_with_the_other_due_tasks():
    entries = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert entries["contracts.lapse_due_contracts"] == settings.DUE_EVERY == 2.0
    assert "contracts.lapse_due_contracts" in current_app.tasks


def test_the_task_lapses_the_contract_and_records_the_agency_refusal(contract, time_machine):
    received = []

    def receiver(sender, incident, **kwargs):
        received.append(incident)

    credit_incident.connect(receiver)
    try:
        sign(contract, contract.owner)
        time_machine.move_to(after_window(contract), tick=False)
        assert tasks.lapse_due_contracts.apply().get() == 1
        assert tasks.lapse_due_contracts.apply().get() == 0  # idempotent
    finally:
        credit_incident.disconnect(receiver)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.LAPSED and contract.lapsed_at
    incident = CreditIncident.objects.get()
    assert (incident.organization, incident.kind) == (contract.agency, "refusal_to_sign")
    assert received == [incident]
    assert AuditEntry.objects.filter(action="contract.lapsed").count() == 1


def test_before_the_deadline_nothing_lapses(contract):
    assert services.lapse_due_contracts(now=contract.signing_deadline
                                        - dt.timedelta(seconds=1)) == 0
    contract.refresh_from_db()
    assert contract.status == Contract.Status.AWAITING_SIGNATURES


def test_a_later_action_treats_the_lapsed_window_as_refusal_by_each_unsigned_party(contract):
    with pytest.raises(StateConflict) as refused:
        sign(contract, contract.agency, now=after_window(contract))
    assert refused.value.code == "state.conflict"
    contract.refresh_from_db()
    assert contract.status == Contract.Status.LAPSED
    assert set(CreditIncident.objects.values_list("organization", flat=True)) == {
        contract.owner_id, contract.agency_id}
    assert not contract.signatures.exists()


def test_the_owner_awards_the_next_bid_in_rank_order_and_a_new_contract_follows(
        contract, time_machine):
    first_bid = contract.bid
    sign(contract, contract.owner)
    time_machine.move_to(after_window(contract), tick=False)
    response = api_as(contract.owner).post(
        f"/api/v1/projects/{contract.project_id}/award-next/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "publicity"
    project = Project.objects.get(pk=contract.project_id)
    old = Award.objects.get(pk=contract.award_id)
    assert old.cancelled_at and str(contract.pk) in old.cancel_reason
    first_bid.refresh_from_db()
    assert first_bid.valid is False and first_bid.rank is None
    award = standing_award(project)
    assert award.bid.price == first_bid.price + 5000  # 85000.00: rank 2 before, rank 1 now
    assert award.publicity_ends_at > after_window(contract)
    assert AuditEntry.objects.filter(action="project.award_passed_on").count() == 1

    finalize(project)
    new = latest_contract(project)
    assert new.pk != contract.pk and new.award == award and new.agency == award.bid.agency
    assert new.status == Contract.Status.AWAITING_SIGNATURES
    assert api_as(contract.owner).get(f"/api/v1/projects/{project.pk}/").json()[
        "contract"] == new.pk


def test_a_random_project_redraws_with_the_same_secret_among_the_rest(time_machine):
    contract = contract_awaiting_signatures(method=Project.Method.RANDOM)
    time_machine.move_to(after_window(contract), tick=False)
    services.contract_award_next(contract=contract, by=user_of(contract.owner))
    project = Project.objects.get(pk=contract.project_id)
    draws = list(Draw.objects.filter(project=project).order_by("id"))
    assert len(draws) == 2 and draws[0].secret == draws[1].secret
    assert contract.bid.receipt.lower() not in draws[1].candidates
    assert len(draws[1].candidates) == 2
    assert standing_award(project).bid == draws[1].bid


def test_a_direct_project_waits_for_the_owner_to_choose_again(time_machine):
    contract = contract_awaiting_signatures(method=Project.Method.DIRECT)
    time_machine.move_to(after_window(contract), tick=False)
    project = services.contract_award_next(contract=contract, by=user_of(contract.owner))
    assert project.status == Project.Status.EVALUATING
    assert not Award.objects.filter(project=project, cancelled_at__isnull=True).exists()


def test_the_last_valid_bid_refusing_fails_the_project(time_machine):
    contract = contract_awaiting_signatures(method=Project.Method.DIRECT,
                                            prices=("80000.00",), min_bidders=1)
    time_machine.move_to(after_window(contract), tick=False)
    project = services.contract_award_next(contract=contract, by=user_of(contract.owner))
    assert project.status == Project.Status.FAILED


def test_when_only_the_owner_failed_to_sign_the_award_cannot_pass_on(contract, time_machine):
    sign(contract, contract.agency)
    time_machine.move_to(after_window(contract), tick=False)
    services.contract_lapse(contract=contract)
    incident = CreditIncident.objects.get()
    assert incident.organization == contract.owner
    with pytest.raises(StateConflict) as refused:
        services.contract_award_next(contract=contract, by=user_of(contract.owner))
    assert refused.value.code == "state.conflict"
    assert Project.objects.get(pk=contract.project_id).status == Project.Status.AWARDED


def test_only_the_owner_may_pass_the_award_on(contract, time_machine):
    time_machine.move_to(after_window(contract), tick=False)
    response = api_as(contract.agency).post(
        f"/api/v1/projects/{contract.project_id}/award-next/")
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"
    assert Bid.objects.filter(valid=False).count() == 0


def test_a_contract_still_in_its_window_cannot_pass_on(contract):
    response = api_as(contract.owner).post(f"/api/v1/projects/{contract.project_id}/award-next/")
    assert response.status_code == 409
    assert response.json()["code"] == "state.conflict"


def test_an_agency_that_refuses_to_sign_lapses_the_contract_and_the_award_passes_on(contract):
    response = api_as(contract.agency).post(f"/api/v1/contracts/{contract.pk}/refuse/",
                                            {"reason": "报价有误，无法履约"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "lapsed"
    incident = CreditIncident.objects.get()
    assert incident.organization == contract.agency and incident.data["declared"]
    project = services.contract_award_next(contract=contract, by=user_of(contract.owner))
    assert project.status == Project.Status.PUBLICITY


def test_refusing_needs_an_admin_a_reason_and_no_signature_yet(contract):
    url = f"/api/v1/contracts/{contract.pk}/refuse/"
    staff = member_of(contract.owner, role="staff")
    refused_answer = client_for(staff).post(url, {"reason": "x"}, format="json")
    assert (refused_answer.status_code, refused_answer.json()["code"]) == (403, "not_allowed")
    refused_answer = api_as(contract.owner).post(url, {"reason": " "}, format="json")
    assert (refused_answer.status_code, refused_answer.json()["code"]) == (400, "invalid")
    sign(contract, contract.owner)
    refused_answer = api_as(contract.owner).post(url, {"reason": "x"}, format="json")
    assert (refused_answer.status_code, refused_answer.json()["code"]) == (409, "state.conflict")
    assert not CreditIncident.objects.exists()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.AWAITING_SIGNATURES
