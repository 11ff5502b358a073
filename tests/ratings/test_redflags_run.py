"""The red-flag run: idempotent upserts, flags that stop holding are closed, dismissals stick
and are audited, sealed bids are never read, and no flag changes credit."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone, translation

from bidding.models import Bid
from marketplace.audit.models import AuditEntry
from marketplace.errors import DomainError, NotAllowed, StateConflict
from ratings.models import CreditEvent, RedFlag, RedFlagRun
from ratings.redflags.indicators import compute_all
from ratings.services.redflags import red_flag_dismiss, red_flags_run
from ratings.tasks import red_flags_run as nightly_task
from tests.factories.accounts import AgencyFactory
from tests.factories.bidding import T0, agency_offering, bid, published_project, user_of
from tests.factories.redflags import agencies, opened_project

pytestmark = pytest.mark.django_db


def _identical_prices():
    a, b = agencies(2)
    return opened_project([(a, 88000, True), (b, 88000, True)]), a, b


def test_a_second_run_adds_nothing(reg_user):
    project, a, b = _identical_prices()
    first = red_flags_run(by=reg_user)
    second = red_flags_run(by=reg_user)
    flag = RedFlag.objects.get(indicator="R028")
    assert RedFlag.objects.filter(indicator="R028").count() == 1
    assert flag.run == second and flag.project == project
    assert sorted(flag.parties.values_list("organization_id", flat=True)) == sorted([a.pk, b.pk])
    assert first.counts["R028"] == second.counts["R028"] == 1
    entries = AuditEntry.objects.filter(action="redflags.run").order_by("pk")
    assert [e.data["created"] for e in entries] == [RedFlag.objects.count(), 0]


def test_a_flag_found_again_with_another_party_names_it_and_shows_the_new_figures(reg_user):
    a, b, c = agencies(3)
    project = opened_project([(a, 88000, True), (b, 88000, True), (c, 90000, True)])
    red_flags_run(by=reg_user)
    Bid.objects.filter(project=project, agency=c).update(price=88000)
    red_flags_run(by=reg_user)
    flag = RedFlag.objects.get(indicator="R028")
    assert sorted(flag.parties.values_list("organization_id", flat=True)) == sorted(
        [a.pk, b.pk, c.pk])
    assert flag.figures["prices"] == [{"price": "88000.00",
                                       "agencies": sorted([a.pk, b.pk, c.pk])}]
    entry = AuditEntry.objects.filter(action="redflags.run").order_by("pk").last()
    assert entry.data["created"] == 0 and entry.data["cleared"] == 0


def test_a_flag_that_no_longer_holds_is_closed_and_reopens_when_it_holds_again(reg_user):
    project, a, _b = _identical_prices()
    red_flags_run(by=reg_user)
    Bid.objects.filter(project=project, agency=a).update(price=87000)
    red_flags_run(by=reg_user)
    flag = RedFlag.objects.get(indicator="R028")
    assert flag.cleared_at is not None and not flag.is_open
    Bid.objects.filter(project=project, agency=a).update(price=88000)
    red_flags_run(by=reg_user)
    flag.refresh_from_db()
    assert flag.is_open and RedFlag.objects.filter(indicator="R028").count() == 1


def test_dismissal_is_audited_and_survives_later_runs(reg_user):
    project, a, _b = _identical_prices()
    red_flags_run(by=reg_user)
    flag = RedFlag.objects.get(indicator="R028")
    red_flag_dismiss(flag=flag, reason="两家报价均按政府指导价下限", by=reg_user)
    entry = AuditEntry.objects.get(action="redflag.dismissed")
    assert entry.actor == reg_user and entry.data["reason"] == "两家报价均按政府指导价下限"
    assert entry.object_id == str(flag.pk)
    red_flags_run(by=reg_user)  # still holds: stays dismissed, not raised again
    Bid.objects.filter(project=project, agency=a).update(price=87000)
    red_flags_run(by=reg_user)  # no longer holds: the dismissal is kept as it was
    flag.refresh_from_db()
    assert flag.is_dismissed and flag.cleared_at is None
    assert RedFlag.objects.filter(indicator="R028").count() == 1
    with translation.override("en"), pytest.raises(StateConflict):
        red_flag_dismiss(flag=flag, reason="again", by=reg_user)


def test_dismissal_needs_a_reason_and_a_regulator(reg_user):
    _identical_prices()
    red_flags_run(by=reg_user)
    flag = RedFlag.objects.get(indicator="R028")
    with translation.override("en"), pytest.raises(DomainError) as refused:
        red_flag_dismiss(flag=flag, reason="  ", by=reg_user)
    assert refused.value.field == "reason"
    assert "Say why" in str(refused.value.message)
    with pytest.raises(NotAllowed):
        red_flag_dismiss(flag=flag, reason="不是", by=user_of(AgencyFactory()))
    with pytest.raises(NotAllowed):
        red_flags_run(by=user_of(AgencyFactory()))
    flag.refresh_from_db()
    assert not flag.is_dismissed and not AuditEntry.objects.filter(
        action="redflag.dismissed").exists()


def test_the_nightly_task_runs_without_a_user():
    _identical_prices()
    assert nightly_task() >= 1
    run = RedFlagRun.objects.get()
    assert run.started_by is None and run.counts["R028"] == 1
    assert AuditEntry.objects.get(action="redflags.run").actor is None


def test_flags_never_change_credit(reg_user):
    _project, a, b = _identical_prices()
    scores = {a.pk: a.credit_score, b.pk: b.credit_score}
    events = CreditEvent.objects.count()
    red_flags_run(by=reg_user)
    red_flag_dismiss(flag=RedFlag.objects.get(indicator="R028"), reason="核实无异常",
                     by=reg_user)
    assert CreditEvent.objects.count() == events
    for agency in (a, b):
        agency.refresh_from_db()
        assert agency.credit_score == scores[agency.pk]


def test_sealed_bids_are_never_read_before_opening(reg_user):
    """Identical sealed prices on a project still open for bids raise nothing: the run reads
    only opened projects (the prices are in the sealed blob, the columns empty)."""
    project = published_project(bid_deadline=T0 + dt.timedelta(days=5))
    for _ in range(2):
        bid(project, agency_offering(), price="88000.00")
    assert set(Bid.objects.filter(project=project).values_list("price", flat=True)) == {None}
    with time_machine.travel(T0 + dt.timedelta(days=1)):
        red_flags_run(by=reg_user, now=timezone.now())
    assert not RedFlag.objects.filter(project=project).exists()
    assert [f for f in compute_all() if f.project_id == project.pk] == []
