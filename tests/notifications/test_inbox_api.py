"""The inbox through the API (issue 17 §5): the caller's messages only, an `unread` filter,
paginated like every list; marking one read (someone else's is 404) or all; the unread count."""

import pytest

from marketplace.notifications import services
from marketplace.notifications.models import Notification
from tests.conftest import client_for
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def _messages(user, *titles):
    return [services.notify(users=[user], title=title, email=False)[0] for title in titles]


def test_the_inbox_lists_only_the_callers_messages_newest_first():
    alice, bob = UserFactory(), UserFactory()
    _messages(alice, "一", "二")
    _messages(bob, "别人的")

    response = client_for(alice).get("/api/v1/notifications/")

    assert response.status_code == 200
    assert response.data["count"] == 2
    assert [n["title"] for n in response.data["results"]] == ["二", "一"]
    assert set(response.data["results"][0]) >= {"id", "kind", "title", "body", "url",
                                                "created_at", "read_at", "read"}


def test_the_unread_filter_and_the_unread_count():
    alice = UserFactory()
    first, _second, third = _messages(alice, "一", "二", "三")
    services.mark_read(user=alice, notification_ids=[first.pk])
    client = client_for(alice)

    unread = client.get("/api/v1/notifications/?unread=true").data
    read = client.get("/api/v1/notifications/?unread=false").data

    assert [n["title"] for n in unread["results"]] == ["三", "二"]
    assert [n["title"] for n in read["results"]] == ["一"]
    assert client.get("/api/v1/notifications/unread-count/").data == {"unread": 2}
    assert third.pk in {n["id"] for n in unread["results"]}


def test_the_inbox_is_paginated_like_every_list():
    alice = UserFactory()
    _messages(alice, *[f"消息{i}" for i in range(25)])

    page = client_for(alice).get("/api/v1/notifications/?page_size=10&page=3").data

    assert page["count"] == 25
    assert len(page["results"]) == 5
    assert page["next"] is None and page["previous"]


def test_marking_one_message_read():
    alice = UserFactory()
    message, other = _messages(alice, "一", "二")
    client = client_for(alice)

    response = client.post(f"/api/v1/notifications/{message.pk}/read/")

    assert response.status_code == 200
    assert response.data["read"] is True and response.data["read_at"]
    assert client.get("/api/v1/notifications/unread-count/").data == {"unread": 1}
    other.refresh_from_db()
    assert other.read_at is None


def test_reading_someone_elses_message_is_not_found_and_changes_nothing():
    alice, bob = UserFactory(), UserFactory()
    (bobs,) = _messages(bob, "别人的")

    response = client_for(alice).post(f"/api/v1/notifications/{bobs.pk}/read/",
                                      HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.data["code"] == "not_found"
    assert Notification.objects.get(pk=bobs.pk).read_at is None


def test_marking_all_read_touches_only_the_callers_messages():
    alice, bob = UserFactory(), UserFactory()
    _messages(alice, "一", "二")
    (bobs,) = _messages(bob, "别人的")

    response = client_for(alice).post("/api/v1/notifications/read-all/")

    assert response.data == {"marked": 2}
    assert not Notification.objects.filter(user=alice, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=bobs.pk).read_at is None


def test_the_inbox_needs_a_login(api_client):
    assert api_client.get("/api/v1/notifications/").status_code == 401
    assert api_client.get("/api/v1/notifications/unread-count/").status_code == 401
