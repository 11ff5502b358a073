"""Award, publicity period in working days, and the award becoming final."""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine

from bidding import selectors, services
from bidding.models import Project
from bidding.signals import award_finalized
from marketplace.errors import StateConflict
from tests.bidding.conftest import api_as
from tests.factories.bidding import SHANGHAI, bid, open_bids, user_of

pytestmark = pytest.mark.django_db
S = Project.Status


@pytest.fixture
def awarded(project, agencies):
    for agency, price in zip(agencies[:3], ["90000", "80000", "85000"], strict=True):
        bid(project, agency, price)
    project = open_bids(project)
    # Friday 10:00 + 3 working days = next Wednesday 10:00.
    friday = dt.datetime(2026, 3, 6, 10, 0, tzinfo=SHANGHAI)
    return services.project_award(project=project, by=user_of(project.owner), now=friday)


def test_the_award_opens_a_publicity_period_of_three_working_days(awarded, api_client):
    award = awarded.awards.get()
    assert awarded.status == S.PUBLICITY
    assert award.publicity_ends_at == dt.datetime(2026, 3, 11, 10, 0, tzinfo=SHANGHAI)
    body = api_client.get(f"/api/v1/projects/{awarded.pk}/").json()
    assert body["award"]["bid"] == award.bid_id and body["award"]["final"] is False
    assert body["award"]["price"] == "80000.00"
    assert body["award"]["agency"] == award.bid.agency_id
    assert body["contract"] is None


def test_finalizing_before_the_period_ends_is_refused(awarded):
    end = awarded.awards.get().publicity_ends_at
    with pytest.raises(StateConflict) as refused:
        services.project_finalize(project=awarded, now=end - dt.timedelta(seconds=1))
    assert refused.value.code == "award.publicity_running"


def test_the_owner_finalizes_after_the_period_and_again_harmlessly(awarded):
    end = awarded.awards.get().publicity_ends_at
    received = []

    def receiver(sender, project, award, bid, now, **kwargs):
        received.append((project.pk, award.pk, bid.pk))

    award_finalized.connect(receiver)
    try:
        with time_machine.travel(end, tick=False):
            first = api_as(awarded.owner).post(f"/api/v1/projects/{awarded.pk}/finalize/")
            second = api_as(awarded.owner).post(f"/api/v1/projects/{awarded.pk}/finalize/")
    finally:
        award_finalized.disconnect(receiver)
    assert first.status_code == second.status_code == 200
    assert first.json()["status"] == "awarded" and first.json()["award"]["final"] is True
    assert "contract" in first.json()
    assert len(received) == 1


def test_only_the_owner_finalizes_on_request(awarded, agencies):
    end = awarded.awards.get().publicity_ends_at
    with time_machine.travel(end, tick=False):
        response = api_as(agencies[0]).post(f"/api/v1/projects/{awarded.pk}/finalize/")
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"


def test_the_beat_task_finalizes_due_awards_only(awarded):
    end = awarded.awards.get().publicity_ends_at
    assert services.finalize_due_awards(now=end - dt.timedelta(minutes=1)) == 0
    assert services.finalize_due_awards(now=end) == 1
    awarded.refresh_from_db()
    assert awarded.status == S.AWARDED
    assert services.finalize_due_awards(now=end) == 0


def test_a_pending_objection_holds_the_award(awarded, agencies):
    services.objection_file(project=awarded, by=user_of(agencies[0]), reason="评审有误",
                            now=awarded.awards.get().proposed_at)
    end = awarded.awards.get().publicity_ends_at
    assert services.finalize_due_awards(now=end) == 0
    with pytest.raises(StateConflict) as refused:
        services.project_finalize(project=awarded, now=end)
    assert refused.value.code == "award.objection_pending"


def test_award_twice_is_a_conflict(awarded):
    with time_machine.travel(awarded.updated_at, tick=False):
        response = api_as(awarded.owner).post(f"/api/v1/projects/{awarded.pk}/award/", {},
                                              format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "state.invalid_transition"


def test_the_contract_hook_reads_whatever_contracts_relates_as_contract():
    assert selectors.contract_id(SimpleNamespace()) is None
    assert selectors.contract_id(SimpleNamespace(contract=SimpleNamespace(pk=7))) == 7
