"""Announcements publish themselves after commit, once per event, from public data only."""

import datetime as dt
import threading
from unittest.mock import patch

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from bidding import services
from bidding.models import Objection, Project
from cms import announcements, tasks
from cms.models import AnnouncementIndexPage, AnnouncementKind, AnnouncementPage
from marketplace.outbox.models import OutboxMessage
from tests.factories.accounts import RegulatorFactory, member_of
from tests.factories.bidding import (
    ProjectFactory,
    bid,
    open_bids,
    publish,
    published_project,
    user_of,
)

pytestmark = pytest.mark.django_db
K = AnnouncementKind


def kinds(project: Project) -> list[str]:
    return sorted(AnnouncementPage.objects.filter(object_url=project.get_absolute_url())
                  .values_list("kind", flat=True))


def of(project: Project, kind: str) -> AnnouncementPage:
    return AnnouncementPage.objects.get(object_url=project.get_absolute_url(), kind=kind)


def award(project, now=None):
    now = now or project.bid_deadline + dt.timedelta(hours=1)
    return services.project_award(project=project, by=user_of(project.owner), now=now)


def test_publishing_a_project_publishes_one_procurement_announcement(project):
    page = of(project, K.PROCUREMENT)
    assert page.live and page.get_parent().specific_class is AnnouncementIndexPage
    assert page.subject == project.title
    assert page.service_item_id == project.service_item_id
    assert page.region_id == project.region_id
    assert page.published_on == project.published_at
    assert page.object_url == f"/projects/{project.pk}/"
    assert page.url.startswith("/announcements/")
    assert kinds(project) == [K.PROCUREMENT]


def test_a_draft_announces_nothing():
    project = ProjectFactory()
    assert kinds(project) == []


def test_running_the_task_again_does_not_add_a_page(project):
    message = OutboxMessage.objects.filter(task_name="cms.announce_bidding_event").latest("pk")
    first = of(project, K.PROCUREMENT)
    again = tasks.announce_bidding_event.apply(kwargs=message.kwargs).get()
    assert again == first.pk
    tasks.announce_bidding_event.apply(kwargs=message.kwargs).get()
    assert AnnouncementPage.objects.filter(kind=K.PROCUREMENT, source_id=project.pk).count() == 1


def test_the_database_refuses_a_second_page_for_one_event(project):
    page = of(project, K.PROCUREMENT)
    duplicate = AnnouncementPage(
        title="dup", slug="dup", kind=page.kind, source_type=page.source_type,
        source_id=page.source_id, sequence=page.sequence, subject="dup",
        published_on=page.published_on)
    with pytest.raises(ValidationError):  # the model's validation says so first
        page.get_parent().add_child(instance=duplicate)
    # …and the database itself, when validation is skipped (two workers racing).
    with (patch.object(AnnouncementPage, "full_clean"), pytest.raises(IntegrityError),
          transaction.atomic()):
        page.get_parent().add_child(instance=duplicate)


def test_the_whole_bidding_flow_is_announced_once_per_event(project, agencies, committed):
    with committed():
        question = services.question_ask(project=project, by=user_of(agencies[0]),
                                         text="是否需要现场踏勘？",
                                         now=project.published_at + dt.timedelta(hours=1))
        services.question_answer(question=question, by=user_of(project.owner), text="需要。",
                                 now=project.published_at + dt.timedelta(hours=2))
        for agency, price in zip(agencies[:3], ["90000", "80000", "85000"], strict=True):
            bid(project, agency, price)
    assert K.OPENING not in kinds(project)
    with committed():
        project = open_bids(project)
        project = award(project)
    publicity = of(project, K.AWARD_PUBLICITY)
    assert publicity.data["price"] == "80000.00"
    assert publicity.facts()["publicity_ends_at"] == project.awards.get().publicity_ends_at
    end = project.awards.get().publicity_ends_at
    with committed():
        services.project_finalize(project=project, now=end + dt.timedelta(hours=1))
    with committed():
        services.project_finalize(project=project, now=end + dt.timedelta(hours=2))
    assert kinds(project) == sorted([K.PROCUREMENT, K.QA, K.OPENING, K.AWARD_PUBLICITY,
                                     K.RESULT])
    qa = of(project, K.QA)
    assert qa.data == {"question": "是否需要现场踏勘？", "answer": "需要。"}
    assert of(project, K.RESULT).data["agency"] == publicity.data["agency"]


def test_opening_results_list_the_bids_only_once_opened(project, agencies, committed):
    with committed():
        for agency, price in zip(agencies[:3], ["90000", "80000", "85000"], strict=True):
            bid(project, agency, price)
    # Before opening the task has nothing to say, even if someone runs it.
    assert announcements.announce_bidding_event("opened", project_id=project.pk) is None
    for page in AnnouncementPage.objects.all():
        assert "90000" not in str(page.data) and "80000" not in str(page.data)
    with committed():
        project = open_bids(project)
    opening = of(project, K.OPENING)
    assert sorted(row["price"] for row in opening.data["bids"]) == [
        "80000.00", "85000.00", "90000.00"]
    assert all(len(row["receipt"]) == 64 for row in opening.data["bids"])
    assert "proposal" not in opening.data["bids"][0]


def test_an_upheld_objection_and_a_new_award_give_two_award_publicities(project, agencies,
                                                                        committed):
    offers = [bid(project, a, p) for a, p in zip(
        agencies, ["90000", "80000", "85000", "88000"], strict=True)]
    project = open_bids(project)
    now = project.bid_deadline + dt.timedelta(hours=1)
    with committed():
        project = award(project, now)
    with time_machine.travel(now + dt.timedelta(hours=1), tick=False), committed():
        objection = services.objection_file(project=project, by=user_of(offers[0].agency),
                                            reason="中选单位资质造假")
        regulator = member_of(RegulatorFactory())
        services.objection_decide(objection=objection, by=regulator, upheld=True,
                                  reply="经核实，质疑成立。")
        project = award(project, now + dt.timedelta(hours=2))
    assert Objection.objects.get().status == Objection.Status.UPHELD
    pages = AnnouncementPage.objects.filter(kind=K.AWARD_PUBLICITY).order_by("source_id")
    assert [page.data["price"] for page in pages] == ["80000.00", "85000.00"]


def test_cancelling_while_bidding_announces_the_termination(project, committed):
    with committed():
        services.project_cancel(project=project, by=user_of(project.owner),
                                reason="项目取消立项",
                                now=project.published_at + dt.timedelta(hours=1))
    page = of(project, K.TERMINATION)
    assert page.summary == "项目取消立项"
    assert page.data["outcome"] == "cancelled"


def test_a_failed_bidding_is_announced_with_its_reason(project, agencies, committed):
    bid(project, agencies[0])
    with committed():
        project = open_bids(project)
    assert project.status == Project.Status.FAILED
    page = of(project, K.TERMINATION)
    assert page.data["outcome"] == "failed" and page.summary == project.failed_reason


def test_a_correction_notice_is_announced(project, committed):
    with committed():
        services.project_amend(project=project, by=user_of(project.owner), reason="预算调整",
                               changes={"budget_cap": "120000.00"},
                               now=project.published_at + dt.timedelta(hours=1))
    page = of(project, K.CORRECTION)
    assert page.summary == "预算调整" and page.data["changed"] == ["budget_cap"]


def test_other_apps_publish_through_publish_later(agency, committed):
    when = dt.datetime(2026, 5, 6, 9, 0, tzinfo=dt.UTC)
    with committed(), transaction.atomic():
        for sequence in (0, 0, 1):
            announcements.publish_later(
                K.BLACKLIST, source_type="blacklist_entry", source_id=7, sequence=sequence,
                subject=agency.name, published_on=when, organization_id=agency.pk,
                object_url="/blacklist/", summary="提供虚假材料", data={"until": when})
        assert not AnnouncementPage.objects.exists()  # only after commit
    pages = AnnouncementPage.objects.filter(kind=K.BLACKLIST).order_by("sequence")
    assert [page.sequence for page in pages] == [0, 1]
    assert pages[0].published_on == when and pages[0].data == {"until": when.isoformat()}


def test_publish_later_refuses_an_unknown_kind():
    with pytest.raises(ValueError):
        announcements.publish_later("gossip", source_type="x", source_id=1, subject="x",
                                    published_on=dt.datetime.now(dt.UTC))


def test_the_index_is_recreated_if_an_editor_removed_it(db, committed):
    AnnouncementIndexPage.objects.all().delete()
    with committed():
        project = published_project()
    page = of(project, K.PROCUREMENT)
    assert page.url == f"/announcements/{page.slug}/"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_make_one_page():
    project = publish(ProjectFactory())
    AnnouncementPage.objects.all().delete()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(announcements.announce_bidding_event("published",
                                                                project_id=project.pk).pk)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert AnnouncementPage.objects.filter(kind=K.PROCUREMENT, source_id=project.pk).count() == 1
