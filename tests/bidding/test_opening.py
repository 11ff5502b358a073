"""Opening: due by the clock, idempotent, re-checks validity, flags abnormally low prices,
ranks, and fails a project with too few valid bids."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bidding import services
from bidding.errors import NotYetDue
from bidding.models import Bid, Project
from marketplace.audit.models import AuditEntry
from marketplace.errors import NotAllowed
from providers.models import Qualification
from tests.factories.accounts import OwnerFactory
from tests.factories.bidding import (
    T0,
    ProjectFactory,
    agency_offering,
    bid,
    open_bids,
    publish,
    published_project,
    qualify,
    user_of,
)

S = Project.Status


@pytest.fixture
def three_bids(project, agencies):
    return [bid(project, a, p) for a, p in zip(agencies, ["90000", "80000", "85000"],
                                                strict=False)]


@pytest.mark.django_db
def test_the_owner_opens_after_the_deadline_not_before(project, three_bids):
    owner = user_of(project.owner)
    with pytest.raises(NotYetDue) as refused:
        services.project_open(project=project, by=owner,
                              now=project.bid_deadline - dt.timedelta(seconds=1))
    assert refused.value.code == "project.deadline_not_reached"
    project = services.project_open(project=project, by=owner, now=project.bid_deadline)
    assert project.status == S.EVALUATING and project.opened_at == project.bid_deadline


@pytest.mark.django_db
def test_only_the_owner_opens_on_request(project, three_bids, agencies):
    with pytest.raises(NotAllowed) as refused:
        services.project_open(project=project, by=user_of(agencies[0]),
                              now=project.bid_deadline)
    assert refused.value.code == "not_allowed"


@pytest.mark.django_db
def test_opening_twice_changes_nothing_the_second_time(project, three_bids):
    first = open_bids(project)
    ranks = dict(Bid.objects.values_list("pk", "rank"))
    second = services.project_open(project=project, now=project.bid_deadline
                                   + dt.timedelta(hours=5))
    assert second.opened_at == first.opened_at and second.status == S.EVALUATING
    assert dict(Bid.objects.values_list("pk", "rank")) == ranks
    assert AuditEntry.objects.filter(action="project.opened").count() == 1


@pytest.mark.django_db
def test_the_beat_task_opens_due_projects_only(project, three_bids):
    later = published_project(now=T0, bid_deadline=T0 + dt.timedelta(days=10))
    assert services.open_due_projects(now=project.bid_deadline) == 1
    project.refresh_from_db(), later.refresh_from_db()
    assert project.status == S.EVALUATING and later.status == S.BIDDING


@pytest.mark.django_db
def test_ranks_follow_the_method(project, three_bids):
    open_bids(project)
    assert [b.rank for b in Bid.objects.order_by("id")] == [3, 1, 2]


@pytest.mark.django_db
def test_validity_is_checked_again_at_opening(project, agencies):
    blacklisted, expired, fine, fine2 = agencies
    requirement = qualify(blacklisted, "EIA").qualification_type
    for agency in (expired, fine, fine2):
        qualify(agency, "EIA")
    project.required_qualifications.set([requirement])
    offers = {a.pk: bid(project, a) for a in agencies}
    blacklisted.blacklisted_until = project.bid_deadline + dt.timedelta(days=30)
    blacklisted.save()
    Qualification.objects.filter(agency=expired).update(
        valid_until=project.bid_deadline.date() - dt.timedelta(days=1))
    open_bids(project)
    for agency in agencies:
        offers[agency.pk].refresh_from_db()
    assert offers[blacklisted.pk].valid is False and offers[blacklisted.pk].invalid_reason
    assert offers[expired.pk].valid is False and offers[expired.pk].invalid_reason
    assert offers[fine.pk].valid and offers[fine2.pk].valid
    assert offers[blacklisted.pk].rank is None


@pytest.mark.django_db
def test_abnormally_low_is_below_half_of_the_mean_of_valid_bids(agencies):
    project = published_project(min_bidders=1)
    # Mean of the four = 60000; half = 30000: 29999.99 is flagged, 30000 is not.
    prices = ["29999.99", "30000.01", "90000", "89999.99"]
    offers = [bid(project, a, p) for a, p in zip(agencies, prices, strict=True)]
    open_bids(project)
    flags = [Bid.objects.get(pk=o.pk).abnormally_low for o in offers]
    assert flags == [True, False, False, False]


@pytest.mark.django_db
def test_too_few_valid_bids_fail_the_competitive_methods(project, agencies):
    bid(project, agencies[0]), bid(project, agencies[1])
    project = open_bids(project)
    assert project.status == S.FAILED and project.failed_reason
    assert project.opened_at is not None


@pytest.mark.django_db
def test_invalid_bids_do_not_count_towards_the_minimum(project, agencies):
    for agency in agencies[:3]:
        bid(project, agency)
    agencies[0].status = "suspended"
    agencies[0].save()
    assert open_bids(project).status == S.FAILED


@pytest.mark.django_db
def test_direct_selection_needs_one_valid_bid_whatever_min_bidders_says(agencies):
    project = publish(ProjectFactory(owner=OwnerFactory(), selection_method="direct",
                                     min_bidders=3), now=T0)
    bid(project, agencies[0])
    assert open_bids(project).status == S.EVALUATING
    empty = publish(ProjectFactory(selection_method="direct"), now=T0)
    assert open_bids(empty).status == S.FAILED


@pytest.mark.django_db
def test_credit_scores_are_frozen_at_opening(project, agencies):
    offers = [bid(project, a) for a in agencies[:3]]
    agencies[0].credit_score = Decimal("91.50")
    agencies[0].save()
    open_bids(project)
    agencies[0].credit_score = Decimal("10")
    agencies[0].save()
    offers[0].refresh_from_db()
    assert offers[0].credit_score_at_opening == Decimal("91.50")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_opening_at_once_produce_one_result():
    project = published_project(now=T0)
    for _ in range(3):
        bid(project, agency_offering())
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=30)
            results.append(services.project_open(project=project.pk,
                                                 now=project.bid_deadline).opened_at)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(results) == 2 and results[0] == results[1]
    assert AuditEntry.objects.filter(action="project.opened").count() == 1
    assert sorted(Bid.objects.values_list("rank", flat=True)) == [1, 2, 3]


def _opened_with(agencies, count: int) -> int:
    """Queries of one opening of a project with `count` bids."""
    project = published_project(now=T0)
    for agency in agencies[:count]:
        bid(project, agency)
    project.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        services.project_open(project=project.pk, now=project.bid_deadline)
    return len(queries)


@pytest.mark.django_db
def test_an_opening_reads_and_writes_its_bids_set_wise_not_per_bid():
    agencies = [agency_offering() for _ in range(8)]
    assert _opened_with(agencies, 4) == _opened_with(agencies, 8)


@pytest.mark.django_db
def test_a_chunk_handed_out_twice_opens_each_project_once(agencies):
    projects = [published_project(now=T0) for _ in range(2)]
    for project in projects:
        for agency in agencies[:3]:
            bid(project, agency)
    ids = [p.pk for p in projects]
    assert services.open_projects(ids, now=projects[0].bid_deadline) == 2
    assert services.open_projects(ids, now=projects[0].bid_deadline) == 0
    assert AuditEntry.objects.filter(action="project.opened").count() == 2
    assert set(Project.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        S.EVALUATING}


@pytest.mark.django_db
def test_the_beat_task_hands_the_due_projects_out_in_chunks(agencies, time_machine,
                                                            monkeypatch):
    from bidding import tasks
    from bidding.services import opening

    monkeypatch.setattr(opening, "OPEN_CHUNK", 2)
    projects = [published_project(now=T0) for _ in range(3)]
    for project in projects:
        for agency in agencies[:3]:
            bid(project, agency)
    handed = []
    monkeypatch.setattr(tasks.open_projects, "delay",
                        lambda **kwargs: handed.append(kwargs["project_ids"])
                        or tasks.open_projects.apply(kwargs=kwargs))
    time_machine.move_to(projects[0].bid_deadline, tick=False)
    assert tasks.open_due_projects.apply().get() == 3
    assert handed == [[p.pk for p in projects[:2]], [projects[2].pk]]
    assert Project.objects.filter(status=S.EVALUATING).count() == 3
