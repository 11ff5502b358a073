"""The project state machine: every transition the DESIGN allows, and every other refused."""

import datetime as dt
import itertools

import pytest

from bidding import services, states
from bidding.models import Project
from marketplace.errors import InvalidTransition
from tests.factories.bidding import T0, ProjectFactory, bid, open_bids, publish, user_of

S = Project.Status
# DESIGN §4 "States", written out independently of bidding.states.ALLOWED.
EXPECTED = {
    (S.DRAFT, S.BIDDING), (S.DRAFT, S.CANCELLED),
    (S.BIDDING, S.EVALUATING), (S.BIDDING, S.FAILED), (S.BIDDING, S.CANCELLED),
    (S.EVALUATING, S.PUBLICITY), (S.EVALUATING, S.FAILED),
    (S.PUBLICITY, S.AWARDED), (S.PUBLICITY, S.EVALUATING),
    # DESIGN §4 "Contracts": the winner did not sign in time, the award passes to the next bid.
    (S.AWARDED, S.EVALUATING),
}
ALL_PAIRS = list(itertools.product(S.values, S.values))


@pytest.mark.parametrize(("current", "target"), sorted(EXPECTED))
def test_allowed_transition_moves_the_project(current, target):
    project = Project(status=current)
    states.move(project, target)
    assert project.status == target


@pytest.mark.parametrize(("current", "target"),
                         [p for p in ALL_PAIRS if p not in EXPECTED])
def test_every_other_transition_is_refused_with_409(current, target):
    project = Project(status=current)
    with pytest.raises(InvalidTransition) as refused:
        states.move(project, target)
    assert refused.value.status_code == 409
    assert refused.value.code == "state.invalid_transition"
    assert project.status == current


def test_the_table_is_exactly_the_designs():
    table = {(a, b) for a, targets in states.ALLOWED.items() for b in targets}
    assert table == EXPECTED


def test_terminal_states_allow_nothing():
    for terminal in (S.FAILED, S.CANCELLED):
        assert not states.ALLOWED[terminal]


# --- Each service refuses outside its states ---------------------------------------------------

def test_publishing_twice_is_a_conflict(project):
    with pytest.raises(InvalidTransition) as refused:
        publish(project, now=T0)
    assert refused.value.code == "state.invalid_transition"


def test_a_draft_cannot_be_opened(db):
    draft = ProjectFactory()
    with pytest.raises(InvalidTransition) as refused:
        services.project_open(project=draft, now=draft.bid_deadline)
    assert refused.value.code == "state.invalid_transition"


def test_an_opened_project_cannot_be_cancelled(project, agencies):
    for agency in agencies[:3]:
        bid(project, agency)
    open_bids(project)
    with pytest.raises(InvalidTransition) as refused:
        services.project_cancel(project=project, by=user_of(project.owner), reason="预算调整")
    assert refused.value.code == "state.invalid_transition"


def test_award_needs_evaluating(project):
    with pytest.raises(InvalidTransition) as refused:
        services.project_award(project=project, by=user_of(project.owner), now=T0)
    assert refused.value.code == "state.invalid_transition"


def test_finalize_needs_publicity(project, agencies):
    for agency in agencies[:3]:
        bid(project, agency)
    project = open_bids(project)
    with pytest.raises(InvalidTransition) as refused:
        services.project_finalize(project=project, now=project.bid_deadline)
    assert refused.value.code == "state.invalid_transition"


def test_cancelled_project_cannot_be_published_again(db):
    draft = ProjectFactory()
    services.project_cancel(project=draft, by=user_of(draft.owner), reason="需求取消", now=T0)
    with pytest.raises(InvalidTransition) as refused:
        publish(draft, now=T0)
    assert refused.value.code == "state.invalid_transition"


def test_api_reports_a_refused_transition_as_409_with_detail(project):
    from tests.bidding.conftest import api_as

    response = api_as(project.owner).post(f"/api/v1/projects/{project.pk}/publish/")
    assert response.status_code == 409
    assert response.json()["code"] == "state.invalid_transition"
    assert "detail" in response.json()


def test_failed_project_allows_nothing_but_a_new_round(project, agencies):
    bid(project, agencies[0])
    project = open_bids(project)
    assert project.status == S.FAILED
    owner = user_of(project.owner)
    later = project.bid_deadline + dt.timedelta(hours=1)
    with pytest.raises(InvalidTransition) as refused:
        services.project_award(project=project, by=owner, now=later)
    assert refused.value.code == "state.invalid_transition"
    with pytest.raises(InvalidTransition) as refused:
        services.project_cancel(project=project, by=owner, reason="x", now=later)
    assert refused.value.code == "state.invalid_transition"
