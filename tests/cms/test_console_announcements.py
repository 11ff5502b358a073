"""Blacklistings, liftings (黑名单公告) and complete inspection results (抽查结果) are announced
by themselves after commit, once per event, including when the task runs again."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from cms import tasks
from cms.models import AnnouncementKind as K
from cms.models import AnnouncementPage
from marketplace.outbox.models import OutboxMessage
from ratings import services
from ratings.services import inspections
from tests.factories.bidding import agency_offering

pytestmark = pytest.mark.django_db


def pages(kind):
    return list(AnnouncementPage.objects.filter(kind=kind).order_by("source_id", "sequence"))


def run_publish_tasks_again():
    for message in OutboxMessage.objects.filter(task_name="cms.publish_announcement"):
        tasks.publish_announcement.apply(kwargs=message.kwargs).get()


def blacklist(agency, by, **kwargs):
    return services.blacklist_add(organization=agency, reason="提供虚假材料", basis="决定书1号",
                                  source="regulator", by=by,
                                  ends_at=timezone.now() + dt.timedelta(days=365), **kwargs)


def test_a_blacklisting_and_its_lifting_are_announced_once_each(agency, console_regulator,
                                                                committed):
    with committed(), transaction.atomic():
        entry = blacklist(agency, console_regulator)
        assert pages(K.BLACKLIST) == []  # only after commit
    listed = pages(K.BLACKLIST)
    assert [(p.source_type, p.source_id, p.sequence) for p in listed] == [
        ("blacklist_entry", entry.pk, 0)]
    assert listed[0].subject == agency.name and listed[0].summary == "提供虚假材料"
    assert listed[0].organization_id == agency.pk and listed[0].live
    assert listed[0].object_url == f"/credit/{agency.pk}/"
    with committed():
        services.blacklist_lift(entry=entry, reason="已整改", by=console_regulator)
    run_publish_tasks_again()
    run_publish_tasks_again()
    announced = pages(K.BLACKLIST)
    assert [(p.sequence, p.data["action"]) for p in announced] == [(0, "listed"), (1, "lifted")]
    assert announced[1].summary == "已整改"


def test_an_expired_listing_is_announced_as_lifted_once(agency, console_regulator, committed):
    with committed():
        entry = blacklist(agency, console_regulator)
    after_the_end = entry.ends_at + dt.timedelta(minutes=1)
    with committed():
        assert services.blacklist_expire_due(now=after_the_end) == 1
    with committed():
        assert services.blacklist_expire_due(now=after_the_end) == 0
    run_publish_tasks_again()
    announced = pages(K.BLACKLIST)
    assert [(p.sequence, p.data["action"]) for p in announced] == [(0, "listed"), (1, "lifted")]
    day = timezone.localtime(entry.ends_at).strftime("%Y-%m-%d")
    assert announced[1].summary == f"黑名单期限已于{day}届满。"


def test_an_automatic_listing_is_announced_and_a_refused_one_is_not(agency, console_regulator,
                                                                    committed):
    with committed():
        services.credit_event_add(organization=agency, event_type="false_materials",
                                  basis="决定书", by=console_regulator)
    assert len(pages(K.BLACKLIST)) == 1  # the serious-event rule listed the agency
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        blacklist(agency, console_regulator)
        raise RuntimeError("rolled back")
    assert len(pages(K.BLACKLIST)) == 1


def test_inspection_results_are_announced_once_when_the_plan_completes(console_regulator,
                                                                       committed):
    for _ in range(2):
        agency_offering()
    with committed():
        plan = inspections.plan_create(title="2026年双随机抽查", sample_size=2,
                                       inspectors_per_agency=1, by=console_regulator)
        inspections.plan_draw(plan=plan, by=console_regulator)
    first, second = plan.targets.order_by("position")
    with committed():
        inspections.inspection_record(target=first, passed=False, findings="档案缺失",
                                      by=console_regulator)
    assert pages(K.INSPECTION) == []  # one result still missing
    with committed():
        inspections.inspection_record(target=second, passed=True, findings="",
                                      by=console_regulator)
    run_publish_tasks_again()
    announced = pages(K.INSPECTION)
    assert len(announced) == 1
    page = announced[0]
    assert (page.source_type, page.source_id, page.subject) == ("inspection_plan", plan.pk,
                                                                "2026年双随机抽查")
    assert page.object_url == f"/inspections/{plan.pk}/"
    assert [r["result"] for r in page.data["results"]] == ["failed", "passed"]
    assert page.data["results"][0]["findings"] == "档案缺失"
