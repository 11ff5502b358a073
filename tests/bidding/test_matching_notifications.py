"""Publishing notifies the agencies that offer the service item, in batches, after commit."""

import pytest
from django.core import mail

from bidding import tasks
from marketplace.notifications.models import Notification
from tests.factories.accounts import AgencyFactory, region
from tests.factories.bidding import (
    T0,
    ProjectFactory,
    agency_offering,
    publish,
    service_item,
    user_of,
)

pytestmark = pytest.mark.django_db


def inbox_of(agency):
    return Notification.objects.filter(user=user_of(agency), kind="bidding.new_project")


def test_agencies_offering_the_item_are_notified_by_inbox_and_email(
        django_capture_on_commit_callbacks):
    offering = [agency_offering() for _ in range(3)]
    other_item = agency_offering(service_item("ENERGY"))
    not_offering = AgencyFactory()
    for agency in [*offering, other_item, not_offering]:
        user_of(agency)
    draft = ProjectFactory()
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft, now=T0)
    assert all(inbox_of(a).count() == 1 for a in offering)
    assert not inbox_of(other_item).exists() and not inbox_of(not_offering).exists()
    assert {m.to[0] for m in mail.outbox} >= {user_of(a).email for a in offering}
    assert draft.title in inbox_of(offering[0]).get().title


def test_regional_alerts_only_for_the_agencys_own_region(django_capture_on_commit_callbacks):
    here = agency_offering(regional_alerts=True, region=region("500103"))
    elsewhere = agency_offering(regional_alerts=True, region=region("500104"))
    everywhere = agency_offering(regional_alerts=False, region=region("500104"))
    for agency in (here, elsewhere, everywhere):
        user_of(agency)
    with django_capture_on_commit_callbacks(execute=True):
        publish(ProjectFactory(region=region("500103")), now=T0)
    assert inbox_of(here).exists() and inbox_of(everywhere).exists()
    assert not inbox_of(elsewhere).exists()


def test_excluded_and_blacklisted_agencies_are_not_notified(django_capture_on_commit_callbacks):
    excluded = agency_offering()
    blacklisted = agency_offering(blacklisted_until=T0.replace(year=2099))
    for agency in (excluded, blacklisted):
        user_of(agency)
    draft = ProjectFactory()
    draft.exclusions.create(agency=excluded, reason="关联关系")
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft, now=T0)
    assert not inbox_of(excluded).exists() and not inbox_of(blacklisted).exists()


def test_the_task_works_through_every_batch(django_capture_on_commit_callbacks):
    agencies = [agency_offering() for _ in range(5)]
    for agency in agencies:
        user_of(agency)
    project = ProjectFactory()
    project.status = "bidding"
    project.save()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.notify_matching_agencies(project_id=project.pk, batch_size=2)
    assert all(inbox_of(a).count() == 1 for a in agencies)


def test_nothing_is_sent_before_the_transaction_commits(django_capture_on_commit_callbacks):
    agency = agency_offering()
    user_of(agency)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish(ProjectFactory(), now=T0)
    assert not inbox_of(agency).exists()
    assert callbacks  # the outbox sends once the publication commits
