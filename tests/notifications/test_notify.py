"""`notify` puts messages in inboxes and e-mails them once the transaction commits."""

import pytest
from django.conf import settings
from django.core import mail

from marketplace.notifications import services
from marketplace.notifications.models import Notification
from marketplace.outbox.models import OutboxMessage
from tests.factories.accounts import UserFactory, member_of

pytestmark = pytest.mark.django_db


def test_notify_creates_one_inbox_entry_per_user():
    alice, bob = UserFactory(), UserFactory()

    notifications = services.notify(users=[alice, bob, alice], title="开标结果已公布",
                                    body="请查看。", url="/projects/1/", kind="project.opened")

    assert len(notifications) == 2
    assert {n.user for n in Notification.objects.all()} == {alice, bob}
    stored = Notification.objects.get(user=alice)
    assert (stored.title, stored.body, stored.url, stored.kind) == (
        "开标结果已公布", "请查看。", "/projects/1/", "project.opened")
    assert stored.read_at is None


def test_the_email_leaves_only_after_commit(django_capture_on_commit_callbacks):
    alice = UserFactory(email="alice@example.cn")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(users=[alice], title="合同待签署", body="请在5个工作日内签署。",
                        url="/contracts/7/")
    assert mail.outbox == []
    assert OutboxMessage.objects.get().sent_at is None

    for callback in callbacks:
        callback()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.cn"]
    assert message.subject == f"[{settings.WAGTAIL_SITE_NAME}] 合同待签署"
    assert "请在5个工作日内签署。" in message.body
    assert settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/contracts/7/" in message.body
    assert OutboxMessage.objects.get().sent_at is not None


def test_each_user_gets_their_own_email(django_capture_on_commit_callbacks):
    users = [UserFactory(email=f"u{i}@example.cn") for i in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(users=users, title="新项目")

    assert sorted(m.to[0] for m in mail.outbox) == ["u0@example.cn", "u1@example.cn",
                                                     "u2@example.cn"]


def test_no_email_when_not_asked(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(users=[UserFactory()], title="仅站内消息", email=False)

    assert mail.outbox == []
    assert Notification.objects.count() == 1
    assert not OutboxMessage.objects.exists()


def test_a_user_without_email_still_gets_the_inbox_entry(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(users=[UserFactory(email="")], title="无邮箱")

    assert Notification.objects.count() == 1
    assert mail.outbox == []


def test_notify_organization_reaches_its_members(agency, django_capture_on_commit_callbacks):
    admin = member_of(agency)
    staff = member_of(agency, role="staff")
    member_of(agency, role="staff", is_active=False)
    outsider = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        services.notify_organization(organization=agency, title="资质已核验")
        services.notify_organization(organization=agency, admins_only=True, title="仅管理员")

    assert set(Notification.objects.filter(title="资质已核验").values_list("user", flat=True)) \
        == {admin.pk, staff.pk}
    assert list(Notification.objects.filter(title="仅管理员").values_list("user", flat=True)) \
        == [admin.pk]
    assert not Notification.objects.filter(user=outsider).exists()


def test_mark_read_marks_only_that_users_chosen_messages():
    alice, bob = UserFactory(), UserFactory()
    first, second = services.notify(users=[alice], title="一", email=False)[0], \
        services.notify(users=[alice], title="二", email=False)[0]
    services.notify(users=[bob], title="三", email=False)

    assert services.mark_read(user=alice, notification_ids=[first.pk]) == 1
    assert services.mark_read(user=bob, notification_ids=[second.pk]) == 0
    assert services.mark_read(user=alice) == 1
    assert Notification.objects.filter(read_at__isnull=True).get().user == bob
