
"""The beat schedule, task names and the signal the contracts app listens to."""

import pytest
from celery import current_app
from django.conf import settings

from bidding import signals, tasks
from bidding.services import award
from tests.factories.bidding import bid, open_bids


def test_the_beat_schedule_runs_both_due_tasks_every_two_seconds():
    entries = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert entries["bidding.open_due_projects"] == 2.0
    assert entries["bidding.finalize_due_awards"] == 2.0


def test_the_tasks_are_registered_under_their_names():
    for name in ("bidding.open_due_projects", "bidding.finalize_due_awards",
                 "bidding.notify_matching_agencies", "bidding.notify"):
        assert name in current_app.tasks


@pytest.mark.django_db
def test_the_open_task_opens_what_is_due(project, agencies, time_machine):
    for agency in agencies[:3]:
        bid(project, agency)
    time_machine.move_to(project.bid_deadline, tick=False)
    assert tasks.open_due_projects.apply().get() == 1
    project.refresh_from_db()
    assert project.status == "evaluating"


@pytest.mark.django_db
def test_finalize_task_is_a_no_op_without_due_awards(project, agencies, time_machine):
    for agency in agencies[:3]:
        bid(project, agency)
    open_bids(project)
    assert tasks.finalize_due_awards.apply().get() == 0
    assert award.finalize_due_awards() == 0


def test_award_finalized_is_a_signal_for_the_higher_apps():
    from django.dispatch import Signal

    assert isinstance(signals.award_finalized, Signal)
