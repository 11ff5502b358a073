"""Side effects leave after commit, and a broker that is down never fails the user's request
(DESIGN §2 "Side effects after commit")."""

import celery
import pytest
from django.core import mail
from django.db import transaction
from kombu.exceptions import OperationalError

from marketplace.celery import app
from marketplace.notifications import services as notifications
from marketplace.notifications import tasks as notifications_tasks
from marketplace.notifications.models import Notification
from marketplace.outbox import services as outbox
from marketplace.outbox.models import OutboxMessage
from tests.factories.accounts import AgencyFactory, UserFactory, member_of


class Broker:
    """Stands in for `send_task`: records what was published, or fails like a broker that is
    down."""

    def __init__(self):
        self.sent: list[tuple[str, dict]] = []
        self.down = False

    def send_task(self, name, args=None, kwargs=None, **options):
        if self.down:
            raise OperationalError("Error 111 connecting to broker. Connection refused.")
        self.sent.append((name, kwargs))


@pytest.fixture
def broker(monkeypatch):
    """A real (non-eager) set-up whose broker is faked at `send_task`."""
    fake = Broker()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    monkeypatch.setattr(celery.current_app, "send_task", fake.send_task)
    yield fake
    app.conf.task_always_eager = eager


def _plain_email(**overrides):
    kwargs = {"to": "someone@example.cn", "subject": "主题", "body": "正文"}
    kwargs.update(overrides)
    return kwargs


@pytest.mark.django_db
def test_a_message_is_sent_after_commit_not_before(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = outbox.enqueue(notifications_tasks.send_plain_email, **_plain_email())
    assert OutboxMessage.objects.get(pk=message.pk).sent_at is None
    assert mail.outbox == []

    for callback in callbacks:
        callback()

    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.attempts == 1
    assert [m.to for m in mail.outbox] == [["someone@example.cn"]]


@pytest.mark.django_db(transaction=True)  # the sender's thread reads the committed message
def test_with_a_broker_the_message_is_published_after_commit_by_the_sender(broker):
    with transaction.atomic():
        message = outbox.enqueue(notifications_tasks.send_plain_email, **_plain_email())
    assert outbox.wait_for_sends()

    assert broker.sent == [("notifications.send_plain_email", _plain_email())]
    assert OutboxMessage.objects.get(pk=message.pk).sent_at is not None


@pytest.mark.django_db
def test_a_rolled_back_transaction_sends_nothing(broker, django_capture_on_commit_callbacks):
    class Refused(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Refused), \
            transaction.atomic():
        outbox.enqueue(notifications_tasks.send_plain_email, **_plain_email())
        raise Refused

    assert broker.sent == []
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_broker_down_the_users_transaction_commits_and_the_message_waits(broker):
    broker.down = True
    user = UserFactory(email="alice@example.cn")

    with transaction.atomic():  # the service's transaction; the broker fails at its commit
        notifications.notify(users=[user], title="开标提醒")
    assert outbox.wait_for_sends()

    assert Notification.objects.filter(user=user, title="开标提醒").exists()
    message = OutboxMessage.objects.get()
    assert message.sent_at is None
    assert message.attempts == 1
    assert "Connection refused" in message.last_error
    assert broker.sent == []


@pytest.mark.django_db(transaction=True)
def test_flush_sends_the_waiting_message_once_the_broker_is_back(broker):
    broker.down = True
    with transaction.atomic():
        notifications.notify(users=[UserFactory(email="alice@example.cn")], title="开标提醒")
    assert outbox.wait_for_sends()
    pending = OutboxMessage.objects.get()

    broker.down = False
    assert outbox.flush() == 1

    pending.refresh_from_db()
    assert pending.sent_at is not None
    assert pending.attempts == 2
    assert broker.sent == [("notifications.send_email", pending.kwargs)]
    assert outbox.flush() == 0  # nothing left; never sent twice
    assert len(broker.sent) == 1


@pytest.mark.django_db(transaction=True)
def test_a_page_request_succeeds_with_the_broker_down(broker, client):
    # A transactional test starts from an empty database: no regions.
    agency = AgencyFactory(region=None)
    agency_admin = member_of(agency)
    broker.down = True
    client.force_login(agency_admin)

    response = client.post("/accounts/members/", {"email": "xiaowang@example.cn"})
    assert outbox.wait_for_sends()

    assert response.status_code == 302
    assert agency.invitations.filter(email="xiaowang@example.cn").exists()
    assert OutboxMessage.objects.get().sent_at is None


@pytest.mark.django_db
def test_sending_an_already_sent_message_does_nothing(broker):
    message = OutboxMessage.objects.create(task_name="notifications.send_plain_email",
                                           kwargs=_plain_email())

    assert outbox.send(message.pk) is True
    assert outbox.send(message.pk) is True

    assert len(broker.sent) == 1


@pytest.mark.django_db
def test_flush_keeps_order_and_stops_at_the_limit(broker):
    for n in range(3):
        OutboxMessage.objects.create(task_name="notifications.send_plain_email",
                                     kwargs=_plain_email(subject=f"第{n}封"))

    assert outbox.flush(limit=2) == 2

    assert [kwargs["subject"] for _name, kwargs in broker.sent] == ["第0封", "第1封"]
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_the_flush_task_is_the_beat_entry(settings):
    from marketplace.outbox.tasks import flush

    assert settings.CELERY_BEAT_SCHEDULE["outbox-flush"]["task"] == flush.name


@pytest.mark.django_db
def test_the_outbox_takes_a_task_not_a_name_that_could_be_misspelt():
    with pytest.raises(TypeError):
        outbox.enqueue("notifications.send_plain_emial", **_plain_email())
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_a_backlog_is_claimed_together_and_each_message_sent_once(
        broker, django_assert_max_num_queries):
    messages = [OutboxMessage.objects.create(task_name="notifications.send_plain_email",
                                             kwargs=_plain_email(subject=f"第{n}封"))
                for n in range(30)]
    ids = [m.pk for m in messages]

    with django_assert_max_num_queries(4):  # not two per message
        assert outbox.send_many(ids) == 30
    assert outbox.send_many(ids) == 0  # already sent: nothing goes out twice

    assert [kwargs["subject"] for _name, kwargs in broker.sent] == [f"第{n}封" for n in range(30)]
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db
def test_a_backlog_with_the_broker_down_waits_for_flush(broker):
    ids = [OutboxMessage.objects.create(task_name="notifications.send_plain_email",
                                        kwargs=_plain_email()).pk for _ in range(3)]
    broker.down = True

    assert outbox.send_many(ids) == 0

    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 3
    broker.down = False
    assert outbox.flush() == 3


@pytest.mark.django_db(transaction=True)  # the sender's thread reads the committed messages
def test_a_mass_operations_messages_leave_in_one_insert_after_commit(
        broker, django_assert_max_num_queries):
    with transaction.atomic(), outbox.collected(), django_assert_max_num_queries(0):
        for n in range(5):
            outbox.enqueue(notifications_tasks.send_plain_email, **_plain_email(subject=str(n)))
    assert outbox.wait_for_sends()

    assert [kwargs["subject"] for _name, kwargs in broker.sent] == ["0", "1", "2", "3", "4"]
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0
