"""One live bid per agency per project, decided by the database (a partial unique constraint),
also under concurrent submissions."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction

from bidding.models import Bid
from tests.bidding.conftest import api_as
from tests.factories.bidding import T0, agency_offering, bid, published_project, user_of


@pytest.mark.django_db
def test_the_database_refuses_a_second_live_bid(project, agencies):
    first = bid(project, agencies[0])
    duplicate = Bid(project=project, agency=agencies[0], price=Decimal("1"), promised_days=1,
                    fee_standard="", service_standard="", receipt="0" * 64, salt="0" * 64,
                    sealed_at=first.sealed_at, submitted_at=first.submitted_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.django_db
def test_withdrawn_bids_do_not_count_against_the_constraint(project, agencies):
    first = bid(project, agencies[0])
    Bid.objects.filter(pk=first.pk).update(status=Bid.Status.WITHDRAWN)
    bid(project, agencies[0])
    assert Bid.objects.filter(project=project, agency=agencies[0]).count() == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_submissions_make_one_bid_and_nineteen_conflicts():
    project = published_project(now=T0)
    agency = agency_offering()
    user_of(agency)
    barrier = threading.Barrier(20)
    statuses, errors = [], []

    def submit(n):
        try:
            client = api_as(agency)
            barrier.wait(timeout=30)
            with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
                response = client.post(f"/api/v1/projects/{project.pk}/bids/",
                                       {"price": f"{80000 + n}.00", "promised_days": 20},
                                       format="json")
            statuses.append(response.status_code)
        except Exception as exc:  # surfaced below: a thread must not fail silently
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sorted(statuses) == [201] + [409] * 19
    assert Bid.objects.filter(project=project, agency=agency,
                              status=Bid.Status.SUBMITTED).count() == 1
