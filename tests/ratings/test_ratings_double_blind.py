"""Two-way, double-blind ratings: each party once within the window, hidden from everyone
until both are in or the window closes, defaults for the silent party, replies, credit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from contracts.models import Contract
from contracts.signals import contract_closed
from marketplace.errors import NotAllowed, StateConflict
from providers import selectors as provider_selectors
from ratings import selectors, services
from ratings.models import CreditEvent, Rating, RatingWindow
from tests.conftest import client_for
from tests.factories.accounts import AgencyFactory, member_of
from tests.factories.ratings import closed_contract, user_of

pytestmark = pytest.mark.django_db
OWNER_SCORES = {"quality": 5, "timeliness": 4, "attitude": 5, "fee_compliance": 4, "conduct": 5}
AGENCY_SCORES = {"cooperation": 3, "clarity": 4, "payment": 2}


@pytest.fixture
def contract():
    return closed_contract(closed_at=timezone.now() - dt.timedelta(days=1))


def _rate(user, contract, scores, comment="好"):
    return client_for(user).post(f"/api/v1/contracts/{contract.pk}/ratings/",
                                 {**scores, "comment": comment}, format="json")


def _seen_by(user, contract):
    response = client_for(user).get(f"/api/v1/contracts/{contract.pk}/ratings/")
    assert response.status_code == 200
    return {r["direction"]: r for r in response.json()["results"]}


def test_each_party_rates_with_its_own_criteria(contract):
    response = _rate(user_of(contract.owner), contract, OWNER_SCORES)
    assert response.status_code == 201, response.json()
    assert response.json()["average"] == "4.60"
    refusal = _rate(user_of(contract.agency), contract,
                    {"cooperation": 6, "clarity": 4, "payment": 2})
    assert (refusal.status_code, refusal.json()["code"]) == (400, "invalid")
    refusal = _rate(user_of(contract.agency), contract,
                    {"quality": 5, "clarity": 4, "payment": 2})
    assert (refusal.status_code, refusal.json()["code"]) == (400, "invalid")


def test_before_reveal_nobody_sees_the_other_rating(contract, reg_user):
    _rate(user_of(contract.owner), contract, OWNER_SCORES, comment="服务好")
    owner_view = _seen_by(user_of(contract.owner), contract)
    assert owner_view["owner_to_agency"]["scores"] == OWNER_SCORES  # the rater sees its own
    agency_view = _seen_by(user_of(contract.agency), contract)
    hidden = agency_view["owner_to_agency"]
    assert hidden["revealed"] is False
    assert hidden["scores"] is None and hidden["comment"] is None and hidden["average"] is None
    regulator_view = _seen_by(reg_user, contract)["owner_to_agency"]
    assert regulator_view["scores"] is None and regulator_view["comment"] is None
    # Not on the public profile, not in the ledger, not in the summary.
    assert client_for(reg_user).get(
        f"/api/v1/organizations/{contract.agency_id}/ratings/").json()["count"] == 0
    assert not CreditEvent.objects.filter(event_type="rating_received").exists()
    assert selectors.rating_summary(contract.agency).count == 0


def test_outsiders_cannot_see_a_contracts_ratings(contract, api_client):
    stranger = member_of(AgencyFactory())
    assert client_for(stranger).get(
        f"/api/v1/contracts/{contract.pk}/ratings/").status_code == 404
    refusal = api_client.get(f"/api/v1/contracts/{contract.pk}/ratings/")
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")
    refusal = _rate(stranger, contract, OWNER_SCORES)
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")


def test_both_ratings_reveal_both_to_everyone(contract, reg_user, api_client):
    _rate(user_of(contract.owner), contract, OWNER_SCORES)
    _rate(user_of(contract.agency), contract, AGENCY_SCORES, comment="付款慢")
    for user in (user_of(contract.owner), user_of(contract.agency), reg_user):
        seen = _seen_by(user, contract)
        assert seen["owner_to_agency"]["scores"] == OWNER_SCORES
        assert seen["agency_to_owner"]["comment"] == "付款慢"
        assert all(r["revealed"] for r in seen.values())
    public = api_client.get(f"/api/v1/organizations/{contract.owner_id}/ratings/").json()
    assert public["count"] == 1 and public["results"][0]["average"] == "3.00"
    events = CreditEvent.objects.filter(event_type="rating_received")
    assert {(e.organization_id, e.rating_value) for e in events} == {
        (contract.agency_id, Decimal("4.60")), (contract.owner_id, Decimal("3.00"))}


def test_a_party_rates_only_once(contract):
    assert _rate(user_of(contract.owner), contract, OWNER_SCORES).status_code == 201
    refusal = _rate(user_of(contract.owner), contract, OWNER_SCORES)
    assert (refusal.status_code, refusal.json()["code"]) == (409, "state.conflict")
    assert Rating.objects.count() == 1


def test_rating_after_the_window_is_refused(contract):
    window = contract.rating_window
    with pytest.raises(StateConflict) as refused:
        services.rating_submit(contract=contract, scores=OWNER_SCORES, by=user_of(contract.owner),
                               now=window.closes_at)
    assert refused.value.code == "state.conflict"


def test_an_open_contract_cannot_be_rated():
    contract = closed_contract()
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.ACTIVE)
    contract.refresh_from_db()
    with pytest.raises(StateConflict) as refused:
        services.rating_submit(contract=contract, scores=OWNER_SCORES,
                               by=user_of(contract.owner))
    assert refused.value.code == "state.conflict"


def test_the_window_closes_with_a_default_rating_for_the_silent_party(contract, settings):
    settings.MARKETPLACE_DEFAULT_RATING = 3
    _rate(user_of(contract.owner), contract, OWNER_SCORES)
    closes = contract.rating_window.closes_at
    assert services.ratings_close_due(now=closes - dt.timedelta(seconds=1)) == 0
    assert services.ratings_close_due(now=closes) == 1
    assert services.ratings_close_due(now=closes + dt.timedelta(hours=1)) == 0  # idempotent
    default = Rating.objects.get(contract=contract, direction="agency_to_owner")
    assert default.is_default and default.scores == {"cooperation": 3, "clarity": 3,
                                                     "payment": 3}
    assert default.revealed and Rating.objects.get(direction="owner_to_agency").revealed
    assert _seen_by(user_of(contract.owner), contract)["agency_to_owner"]["is_default"] is True
    assert CreditEvent.objects.filter(event_type="rating_received").count() == 2


def test_a_window_closing_with_no_rating_gives_both_defaults(contract):
    services.ratings_close_due(now=contract.rating_window.closes_at)
    assert Rating.objects.filter(contract=contract, is_default=True).count() == 2


def test_the_rated_organization_replies_once_after_reveal(contract):
    _rate(user_of(contract.owner), contract, OWNER_SCORES)
    rating = Rating.objects.get()
    url = f"/api/v1/ratings/{rating.pk}/reply/"
    refusal = client_for(user_of(contract.agency)).post(url, {"text": "谢谢"},
                                                         format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (409, "state.conflict")
    _rate(user_of(contract.agency), contract, AGENCY_SCORES)
    assert client_for(user_of(contract.owner)).post(url, {"text": "我方"},
                                                     format="json").status_code == 403
    response = client_for(user_of(contract.agency)).post(url, {"text": "谢谢评价"},
                                                          format="json")
    assert response.status_code == 201 and response.json()["reply"]["text"] == "谢谢评价"
    refusal = client_for(user_of(contract.agency)).post(url, {"text": "再说"},
                                                         format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (409, "state.conflict")


def test_ratings_cannot_be_changed_after_reveal(contract):
    _rate(user_of(contract.owner), contract, OWNER_SCORES)
    _rate(user_of(contract.agency), contract, AGENCY_SCORES)
    with pytest.raises(StateConflict) as refused:
        services.rating_submit(contract=contract, scores=OWNER_SCORES,
                               by=user_of(contract.owner))
    assert refused.value.code == "state.conflict"


def test_the_contract_closed_signal_opens_the_window_once(settings):
    contract = closed_contract()
    RatingWindow.objects.filter(contract=contract).delete()
    for _ in range(2):
        contract_closed.send(sender=Contract, contract=contract)
    window = RatingWindow.objects.get(contract=contract)
    assert window.closes_at == contract.completed_at + dt.timedelta(days=15)


def test_revealed_ratings_feed_the_profile_hook(contract):
    _rate(user_of(contract.owner), contract, OWNER_SCORES)
    _rate(user_of(contract.agency), contract, AGENCY_SCORES)
    # RatingsConfig.ready() registered ratings' reader for the profile's hook.
    summary = provider_selectors.rating_summary(contract.agency)
    assert summary.count == 1 and summary.average == Decimal("4.60")


def test_only_parties_rate(contract, reg_user):
    with pytest.raises(NotAllowed) as refused:
        services.rating_submit(contract=contract, scores=OWNER_SCORES, by=reg_user)
    assert refused.value.code == "not_allowed"


def test_the_close_task_catches_up_on_a_lost_contract_closed_signal():
    contract = closed_contract(closed_at=timezone.now() - dt.timedelta(days=20))
    RatingWindow.objects.filter(contract=contract).delete()
    assert services.ratings_close_due() == 1
    assert Rating.objects.filter(contract=contract, is_default=True).count() == 2
