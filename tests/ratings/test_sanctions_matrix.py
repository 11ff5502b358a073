"""Sanctions hold at every stage (#12 §4, decisions "Sanctions hold at every stage"): each
sanction (blacklist, suspension, market exit) × each stage of a project and its contract
(draft, bidding, evaluating, publicity, awaiting signatures, in force), for a sanctioned agency
and for a sanctioned owner, asserting what the users see: the bid's and award's fate, the
contract's, the refusal's code. Runs in both halves (SQLite and PostgreSQL)."""

import datetime as dt
from decimal import Decimal

import pytest

from bidding import selectors as bidding_selectors
from bidding import services as bidding
from bidding.models import Award, Bid, Project
from contracts import services as contracts
from contracts.models import Contract, CreditIncident, SanctionReview
from marketplace.errors import DomainError
from marketplace.notifications.models import Notification
from ratings import services as ratings
from ratings.models import BlacklistEntry
from tests.factories.accounts import PASSWORD, RegulatorFactory
from tests.factories.bidding import (
    T0,
    ProjectFactory,
    agency_offering,
    bid,
    open_bids,
    published_project,
    user_of,
)
from tests.factories.contracts import (
    active_contract,
    contract_awaiting_signatures,
    latest_contract,
    project_in_publicity,
    sign,
)

pytestmark = pytest.mark.django_db

SANCTIONS = ["blacklist", "suspension", "exit"]
CODES = {"blacklist": "org.blacklisted", "suspension": "org.suspended", "exit": "org.exited"}


def sanction(kind: str, organization, *, now: dt.datetime) -> None:
    regulator = user_of(RegulatorFactory())
    if kind == "blacklist":
        ratings.blacklist_add(organization=organization, reason="提供虚假材料",
                              basis="监管决定", ends_at=now + dt.timedelta(days=365),
                              source=BlacklistEntry.Source.REGULATOR, by=regulator, now=now)
    elif kind == "suspension":
        ratings.organization_suspend(organization=organization, reason="立案调查", by=regulator,
                                     now=now)
    else:
        ratings.organization_expel(organization=organization, reason="严重违法", by=regulator,
                                   now=now)
    organization.refresh_from_db()


def refused_code(call) -> str:
    with pytest.raises(DomainError) as refusal:
        call()
    return refusal.value.code


def standing(project: Project) -> Award | None:
    return Award.objects.filter(project=project, cancelled_at__isnull=True).first()


# --- A sanctioned agency ------------------------------------------------------------------


@pytest.mark.parametrize("kind", SANCTIONS)
def test_draft_stage_the_agency_cannot_bid_once_the_project_is_published(kind):
    agency = agency_offering()
    draft = ProjectFactory(bid_deadline=T0 + dt.timedelta(days=4))
    sanction(kind, agency, now=T0)
    project = bidding.project_publish(project=draft, by=user_of(draft.owner), now=T0)
    assert refused_code(lambda: bid(project, agency, now=T0 + dt.timedelta(hours=1))) == \
        CODES[kind]


@pytest.mark.parametrize("kind", SANCTIONS)
def test_bidding_stage_the_bid_is_disqualified_and_the_public_count_does_not_drop(kind):
    project = published_project(now=T0)
    agency, other = agency_offering(), agency_offering()
    own = bid(project, agency)
    bid(project, other, "85000.00")
    count_before = bidding_selectors.bid_count(Project.objects.get(pk=project.pk))
    listed_page = bidding_selectors.projects_for_viewer(None).get(pk=project.pk)
    assert listed_page.live_bid_count == count_before == 2
    now = T0 + dt.timedelta(hours=3)
    sanction(kind, agency, now=now)
    own.refresh_from_db()
    assert own.status == Bid.Status.DISQUALIFIED and own.valid is False
    # Sealed: the public count is of bids submitted; a sanction must not reveal a bidder.
    assert bidding_selectors.bid_count(Project.objects.get(pk=project.pk)) == count_before
    assert bidding_selectors.projects_for_viewer(None).get(pk=project.pk).live_bid_count == 2
    # Nor can it ask a question or bid again while sanctioned.
    assert refused_code(lambda: bidding.question_ask(project=project, by=user_of(agency),
                                                     text="是否需要现场踏勘？", now=now)) == \
        CODES[kind]
    assert refused_code(lambda: bid(published_project(now=T0), agency, now=now)) == CODES[kind]


@pytest.mark.parametrize("kind", SANCTIONS)
def test_evaluating_stage_the_bid_becomes_invalid_and_the_rest_are_ranked_again(kind):
    project = published_project(now=T0, min_bidders=2)
    agencies = [agency_offering() for _ in range(3)]
    bids = [bid(project, a, price) for a, price in
            zip(agencies, ("80000.00", "85000.00", "90000.00"), strict=True)]
    open_bids(project)
    sanction(kind, agencies[0], now=project.bid_deadline + dt.timedelta(hours=1))
    for row in bids:
        row.refresh_from_db()
    assert bids[0].valid is False and bids[0].rank is None
    assert [bids[1].rank, bids[2].rank] == [1, 2]
    project.refresh_from_db()
    assert project.status == Project.Status.EVALUATING


@pytest.mark.parametrize("kind", SANCTIONS)
def test_publicity_stage_the_award_is_withdrawn_and_passes_to_the_next_rank(
        kind, django_capture_on_commit_callbacks):
    project = project_in_publicity()
    award = standing(project)
    winner = award.bid.agency
    now = award.proposed_at + dt.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        sanction(kind, winner, now=now)
    award.refresh_from_db()
    project.refresh_from_db()
    assert award.cancelled_at == now and award.bid.valid is False
    assert project.status == Project.Status.PUBLICITY
    passed_to = standing(project)
    assert passed_to.bid.price == Decimal("85000.00") and passed_to.bid.rank == 1
    # The owner and the bidders are told the award was withdrawn; a finalization later makes
    # the new award final, never the sanctioned one.
    assert Notification.objects.filter(kind="bidding.award_withdrawn",
                                       user=user_of(project.owner)).exists()
    bidding.project_finalize(project=project, now=passed_to.publicity_ends_at)
    assert latest_contract(project).agency_id == passed_to.bid.agency_id


@pytest.mark.parametrize("kind", SANCTIONS)
def test_publicity_stage_a_sanctioned_bidder_cannot_object(kind):
    project = project_in_publicity()
    loser = Bid.objects.get(project=project, rank=2).agency
    now = standing(project).proposed_at + dt.timedelta(hours=1)
    sanction(kind, loser, now=now)
    assert refused_code(lambda: bidding.objection_file(
        project=project, by=user_of(loser), reason="评分有误", now=now)) == CODES[kind]
    # Its bid left the ranking, so it can never be next in line; the award stands.
    assert Bid.objects.get(project=project, agency=loser).valid is False
    assert standing(project).bid.rank == 1


@pytest.mark.parametrize("kind", SANCTIONS)
def test_awaiting_signatures_the_contract_lapses_and_the_award_passes_on(kind):
    contract = contract_awaiting_signatures()
    project = contract.project
    now = contract.created_at + dt.timedelta(hours=1)
    sanction(kind, contract.agency, now=now)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.LAPSED and contract.lapse_reason
    # Stopped, not refusing: no refusal to sign is recorded against the agency.
    assert not CreditIncident.objects.filter(
        contract=contract, kind=CreditIncident.Kind.REFUSAL_TO_SIGN).exists()
    project.refresh_from_db()
    assert project.status == Project.Status.PUBLICITY
    assert standing(project).bid.agency_id != contract.agency_id
    assert refused_code(lambda: contracts.contract_sign(
        contract=contract, by=user_of(contract.agency), password=PASSWORD, now=now)) in (
        CODES[kind], "state.conflict")


@pytest.mark.parametrize("kind", SANCTIONS)
def test_in_force_the_owner_decides_to_continue_or_terminate(
        kind, django_capture_on_commit_callbacks):
    contract = active_contract()
    now = contract.activated_at + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        sanction(kind, contract.agency, now=now)
    review = SanctionReview.objects.get(contract=contract)
    assert review.is_pending and contract.owner_id
    assert Notification.objects.filter(kind="contracts.sanction_review",
                                       user=user_of(contract.owner)).exists()
    deliver = lambda: contracts.contract_deliver(  # noqa: E731
        contract=contract, by=user_of(contract.agency), note="报告初稿", now=now)
    assert refused_code(deliver) == "contract.sanction_decision_pending"
    contracts.contract_continue_after_sanction(contract=contract, by=user_of(contract.owner),
                                               note="工作已近完成", now=now)
    review.refresh_from_db()
    assert review.decision == SanctionReview.Decision.CONTINUE
    deliver()  # the work it owes goes on
    assert Contract.objects.get(pk=contract.pk).status == Contract.Status.DELIVERED


def test_in_force_terminating_answers_the_review():
    contract = active_contract()
    now = contract.activated_at + dt.timedelta(days=1)
    sanction("blacklist", contract.agency, now=now)
    contracts.contract_terminate(contract=contract, by=user_of(contract.owner),
                                 reason="中介机构被列入黑名单", at_fault="agency", now=now)
    review = SanctionReview.objects.get(contract=contract)
    assert review.decision == SanctionReview.Decision.TERMINATE
    assert refused_code(lambda: contracts.contract_continue_after_sanction(
        contract=contract, by=user_of(contract.owner), now=now)) == "state.conflict"


# --- A sanctioned owner -------------------------------------------------------------------


@pytest.mark.parametrize("kind", SANCTIONS)
def test_owner_draft_stage_cannot_publish(kind):
    draft = ProjectFactory(bid_deadline=T0 + dt.timedelta(days=4))
    sanction(kind, draft.owner, now=T0)
    assert refused_code(lambda: bidding.project_publish(
        project=draft, by=user_of(draft.owner), now=T0)) == CODES[kind]


@pytest.mark.parametrize("kind", SANCTIONS)
def test_owner_bidding_stage_the_agencies_bids_still_count(kind):
    project = published_project(now=T0)
    sanction(kind, project.owner, now=T0 + dt.timedelta(hours=1))
    made = bid(project, agency_offering(), now=T0 + dt.timedelta(hours=2))
    assert made.status == Bid.Status.SUBMITTED and made.valid is not False


@pytest.mark.parametrize("kind", SANCTIONS)
def test_owner_evaluating_stage_cannot_award(kind):
    project = published_project(now=T0)
    for price in ("80000.00", "85000.00", "90000.00"):
        bid(project, agency_offering(), price)
    open_bids(project)
    now = project.bid_deadline + dt.timedelta(hours=1)
    sanction(kind, project.owner, now=now)
    assert refused_code(lambda: bidding.project_award(
        project=project, by=user_of(project.owner), now=now)) == CODES[kind]


@pytest.mark.parametrize("kind", SANCTIONS)
def test_owner_publicity_stage_cannot_finalize_by_hand_but_the_clock_does(kind):
    project = project_in_publicity()
    award = standing(project)
    sanction(kind, project.owner, now=award.proposed_at + dt.timedelta(hours=1))
    assert refused_code(lambda: bidding.project_finalize(
        project=project, by=user_of(project.owner), now=award.publicity_ends_at)) == CODES[kind]
    # The winner won fairly: the publicity period's end still makes its award final.
    assert bidding.finalize_due_awards(now=award.publicity_ends_at) == 1
    assert latest_contract(project).status == Contract.Status.AWAITING_SIGNATURES


@pytest.mark.parametrize("kind", SANCTIONS)
def test_owner_awaiting_signatures_cannot_sign_the_agency_can(kind):
    contract = contract_awaiting_signatures()
    now = contract.created_at + dt.timedelta(hours=1)
    sanction(kind, contract.owner, now=now)
    assert refused_code(lambda: contracts.contract_sign(
        contract=contract, by=user_of(contract.owner), password=PASSWORD, now=now)) == \
        CODES[kind]
    sign(contract, contract.agency, now=now)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.AWAITING_SIGNATURES


@pytest.mark.parametrize("kind", SANCTIONS)
def test_owner_in_force_the_contract_runs_on(kind):
    contract = active_contract()
    now = contract.activated_at + dt.timedelta(days=1)
    sanction(kind, contract.owner, now=now)
    assert not SanctionReview.objects.filter(contract=contract).exists()
    contracts.contract_deliver(contract=contract, by=user_of(contract.agency), note="报告",
                               now=now)
    contracts.contract_accept(contract=contract, by=user_of(contract.owner),
                              now=now + dt.timedelta(hours=1))
    assert Contract.objects.get(pk=contract.pk).status == Contract.Status.COMPLETED


# --- Lifting -------------------------------------------------------------------------------


def test_lifting_restores_nothing_but_allows_new_actions():
    project = published_project(now=T0)
    agency = agency_offering()
    own = bid(project, agency)
    now = T0 + dt.timedelta(hours=2)
    sanction("suspension", agency, now=now)
    ratings.organization_reinstate(organization=agency, reason="调查结束",
                                   by=user_of(RegulatorFactory()), now=now)
    own.refresh_from_db()
    assert own.status == Bid.Status.DISQUALIFIED  # nothing comes back by itself
    again = bid(project, agency, "82000.00", now=now + dt.timedelta(hours=1))
    assert again.status == Bid.Status.SUBMITTED and again.valid is not False
