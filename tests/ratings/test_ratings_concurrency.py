"""Concurrent ratings and window closing never double a reveal or a credit event."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from ratings import services
from ratings.models import CreditEvent, Rating
from tests.factories.ratings import closed_contract, user_of

OWNER_SCORES = {"quality": 5, "timeliness": 4, "attitude": 5, "fee_compliance": 4, "conduct": 5}
AGENCY_SCORES = {"cooperation": 3, "clarity": 4, "payment": 2}


def _run_together(*calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait(timeout=30)
            call()
        except Exception as exc:  # surfaced below: a thread must not fail silently
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_both_parties_rating_at_once_reveal_once():
    contract = closed_contract(closed_at=timezone.now() - dt.timedelta(days=1))
    owner, agency = user_of(contract.owner), user_of(contract.agency)
    errors = _run_together(
        lambda: services.rating_submit(contract=contract, scores=OWNER_SCORES, by=owner),
        lambda: services.rating_submit(contract=contract, scores=AGENCY_SCORES, by=agency))
    assert not errors, errors
    assert Rating.objects.filter(contract=contract, revealed_at__isnull=False).count() == 2
    assert CreditEvent.objects.filter(event_type="rating_received").count() == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_closing_the_same_window_record_one_default():
    contract = closed_contract(closed_at=timezone.now() - dt.timedelta(days=30))
    errors = _run_together(services.ratings_close_due, services.ratings_close_due)
    assert not errors, errors
    assert Rating.objects.filter(contract=contract, is_default=True).count() == 2
    assert CreditEvent.objects.filter(event_type="rating_received").count() == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_party_rating_twice_at_once_makes_one_rating():
    contract = closed_contract(closed_at=timezone.now() - dt.timedelta(days=1))
    owner = user_of(contract.owner)
    errors = _run_together(
        *[lambda: services.rating_submit(contract=contract, scores=OWNER_SCORES, by=owner)] * 4)
    assert len(errors) == 3 and all((e.status_code, e.code) == (409, "state.conflict")
                                    for e in errors), errors
    assert Rating.objects.filter(contract=contract).count() == 1
