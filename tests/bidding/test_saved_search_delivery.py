"""Saved searches deliver new matching projects (issue 17 §5): at once when a project is
published, or in a daily digest; to the inbox and by e-mail as the user's preferences say; a
project is never delivered twice to one search, and a project that does not match, or was
published before the search was saved, is never delivered."""

import datetime as dt

import pytest
from django.core import mail

from bidding.models import SavedSearchMatch
from bidding.services import saved_searches as services
from bidding.tasks import saved_search_digests
from marketplace.notifications.models import Notification
from marketplace.notifications.services import email_preferences_set
from tests.factories.accounts import UserFactory, region
from tests.factories.bidding import ITEM_CODE, T0, ProjectFactory, publish, service_item

pytestmark = pytest.mark.django_db
SAVED = T0 - dt.timedelta(days=1)


def _save(user, query=f"service_item={ITEM_CODE}&region=500103", frequency="instant",
          now=SAVED):
    return services.saved_search_create(user=user, name="渝中环评", query=query,
                                        frequency=frequency, now=now)


def _publish(capture, *, now=T0, **kwargs):
    kwargs.setdefault("bid_deadline", now + dt.timedelta(days=4))
    with capture(execute=True):
        return publish(ProjectFactory(**kwargs), now=now)


def _inbox(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind).order_by("id"))


def test_a_matching_project_is_delivered_at_once_to_the_inbox_and_by_email(
        django_capture_on_commit_callbacks):
    alice = UserFactory(email="alice@example.cn")
    search = _save(alice)

    project = _publish(django_capture_on_commit_callbacks, title="解放碑片区改造环评",
                       region=region("500103"))

    (notice,) = _inbox(alice, "saved_search.match")
    assert project.title in notice.title and "渝中环评" in notice.title
    assert notice.url == f"/projects/{project.pk}/"
    assert [m.to for m in mail.outbox if project.title in m.subject] == [["alice@example.cn"]]
    assert list(search.matches.values_list("project_id", flat=True)) == [project.pk]


def test_a_project_is_never_delivered_twice_to_one_search(django_capture_on_commit_callbacks):
    alice = UserFactory()
    _save(alice)
    project = _publish(django_capture_on_commit_callbacks, region=region("500103"))

    # The task repeated (a retry, a second worker), then the daily run: nothing new.
    assert services.match_published_project(project_id=project.pk) == 0
    assert services.send_daily_digests(now=T0 + dt.timedelta(days=1)) == 0

    assert len(_inbox(alice, "saved_search.match")) == 1
    assert SavedSearchMatch.objects.count() == 1


def test_a_project_that_does_not_match_is_not_delivered(django_capture_on_commit_callbacks):
    alice = UserFactory()
    _save(alice)

    _publish(django_capture_on_commit_callbacks, region=region("500104"))  # another district
    _publish(django_capture_on_commit_callbacks, region=region("500103"),
             service_item=service_item("ENERGY"))  # another service item
    _publish(django_capture_on_commit_callbacks, region=region("500103"),
             budget_cap="900000.00")  # fine: no budget filter in this search

    assert len(_inbox(alice, "saved_search.match")) == 1
    assert SavedSearchMatch.objects.get().project.budget_cap == 900000


def test_the_full_filter_applies_after_the_sql_narrowing(django_capture_on_commit_callbacks):
    alice = UserFactory()
    _save(alice, query=f"service_item={ITEM_CODE}&budget_max=50000")

    _publish(django_capture_on_commit_callbacks, budget_cap="100000.00")
    cheap = _publish(django_capture_on_commit_callbacks, budget_cap="40000.00")

    assert list(SavedSearchMatch.objects.values_list("project_id", flat=True)) == [cheap.pk]


def test_keywords_match_through_the_search_index(django_capture_on_commit_callbacks):
    alice = UserFactory()
    _save(alice, query="q=解放碑")

    hit = _publish(django_capture_on_commit_callbacks, title="解放碑片区改造环评")
    _publish(django_capture_on_commit_callbacks, title="观音桥商圈交通评价")

    assert list(SavedSearchMatch.objects.values_list("project_id", flat=True)) == [hit.pk]


def test_a_result_kept_from_before_the_project_was_indexed_never_loses_a_match(
        django_capture_on_commit_callbacks):
    """The pages keep a query's results until the index is written; with a cache per process,
    another process may still hold the answer from before. Deliveries rank afresh."""
    from marketplace.search.services import RESULTS, result_key

    alice = UserFactory()
    _save(alice, query="q=解放碑", frequency="daily")
    hit = _publish(django_capture_on_commit_callbacks, title="解放碑片区改造环评")
    # What another process kept before the project was indexed.
    RESULTS.cached(result_key("project", "解放碑", 1000), lambda: [])
    assert services.send_daily_digests(now=T0 + dt.timedelta(days=1)) == 1
    assert list(SavedSearchMatch.objects.values_list("project_id", flat=True)) == [hit.pk]


def test_a_project_published_before_the_search_was_saved_is_not_delivered(
        django_capture_on_commit_callbacks):
    alice = UserFactory()
    _save(alice, now=T0 + dt.timedelta(hours=1))

    _publish(django_capture_on_commit_callbacks, region=region("500103"), now=T0)

    assert not SavedSearchMatch.objects.exists()
    assert services.send_daily_digests(now=T0 + dt.timedelta(days=1)) == 0


def test_the_daily_digest_delivers_each_new_project_exactly_once(
        django_capture_on_commit_callbacks):
    alice = UserFactory(email="alice@example.cn")
    search = _save(alice, frequency="daily")
    first = _publish(django_capture_on_commit_callbacks, region=region("500103"),
                     title="第一个项目")
    second = _publish(django_capture_on_commit_callbacks, region=region("500103"),
                      title="第二个项目", now=T0 + dt.timedelta(hours=2))
    _publish(django_capture_on_commit_callbacks, region=region("500104"), title="别处的项目")
    assert _inbox(alice, "saved_search.match") == []  # daily: nothing at once

    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_daily_digests(now=T0 + dt.timedelta(days=1)) == 1

    (digest,) = _inbox(alice, "saved_search.digest")
    assert "2" in digest.title and "渝中环评" in digest.title
    assert "第一个项目" in digest.body and "第二个项目" in digest.body
    assert "别处的项目" not in digest.body
    assert digest.url.endswith(f"#search-{search.pk}")
    assert len([m for m in mail.outbox if "渝中环评" in m.subject]) == 1
    assert set(search.matches.values_list("project_id", flat=True)) == {first.pk, second.pk}

    # The next day: nothing new, no digest; a new project: only that one.
    assert services.send_daily_digests(now=T0 + dt.timedelta(days=2)) == 0
    third = _publish(django_capture_on_commit_callbacks, region=region("500103"),
                     title="第三个项目", now=T0 + dt.timedelta(days=2, hours=1))
    assert services.send_daily_digests(now=T0 + dt.timedelta(days=3)) == 1
    latest = _inbox(alice, "saved_search.digest")[-1]
    assert "第三个项目" in latest.body and "第一个项目" not in latest.body
    assert SavedSearchMatch.objects.filter(search=search).count() == 3
    assert third.pk in set(search.matches.values_list("project_id", flat=True))


def test_the_beat_task_runs_the_digests(django_capture_on_commit_callbacks):
    alice = UserFactory()
    _save(alice, frequency="daily")
    _publish(django_capture_on_commit_callbacks, region=region("500103"))

    assert saved_search_digests.apply().get() == 1
    assert saved_search_digests.apply().get() == 0
    assert len(_inbox(alice, "saved_search.digest")) == 1


def test_the_email_respects_the_saved_search_preference(django_capture_on_commit_callbacks):
    alice = UserFactory(email="alice@example.cn")
    email_preferences_set(user=alice, email={"saved_search": False})
    _save(alice)

    project = _publish(django_capture_on_commit_callbacks, region=region("500103"))

    assert len(_inbox(alice, "saved_search.match")) == 1
    assert not [m for m in mail.outbox if project.title in m.subject and m.to == [alice.email]]


def test_an_inactive_users_searches_are_skipped(django_capture_on_commit_callbacks):
    alice = UserFactory(is_active=False)
    _save(alice)

    _publish(django_capture_on_commit_callbacks, region=region("500103"))

    assert not SavedSearchMatch.objects.exists()
