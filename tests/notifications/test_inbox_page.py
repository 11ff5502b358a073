"""The inbox page, and the unread count in every page's header."""

import re

import pytest
from django.urls import reverse

from marketplace.notifications import services
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

BADGE = re.compile(r'id="unread-count"[^>]*>(?:<span[^>]*>[^<]*</span>)?(\d+)</span>')


def unread_badge(page: str) -> int | None:
    match = BADGE.search(page)
    return int(match.group(1)) if match else None


def test_the_header_shows_the_unread_count(client, agency_admin):
    services.notify(users=[agency_admin], title="一", email=False)
    services.notify(users=[agency_admin], title="二", email=False)
    services.notify(users=[UserFactory()], title="别人的", email=False)
    client.force_login(agency_admin)

    assert unread_badge(client.get("/workspace/").content.decode()) == 2


def test_no_badge_without_unread_messages(client, agency_admin):
    client.force_login(agency_admin)

    assert unread_badge(client.get("/workspace/").content.decode()) is None


def test_the_inbox_lists_the_users_messages_newest_first(client, agency_admin):
    services.notify(users=[agency_admin], title="较早的消息", email=False)
    services.notify(users=[agency_admin], title="最新的消息", body="正文", url="/projects/3/",
                    email=False)
    services.notify(users=[UserFactory()], title="别人的消息", email=False)
    client.force_login(agency_admin)

    page = client.get(reverse("notifications:inbox")).content.decode()

    assert page.index("最新的消息") < page.index("较早的消息")
    assert 'href="/projects/3/"' in page
    assert "别人的消息" not in page


def test_the_inbox_is_paginated(client, agency_admin):
    for i in range(25):
        services.notify(users=[agency_admin], title=f"消息{i:02d}", email=False)
    client.force_login(agency_admin)

    first = client.get(reverse("notifications:inbox"))
    second = client.get(reverse("notifications:inbox") + "?page=2")

    assert len(first.context["page"]) == 20
    assert len(second.context["page"]) == 5
    assert "?page=2" in first.content.decode()


def test_mark_all_read_clears_the_count(client, agency_admin):
    services.notify(users=[agency_admin], title="一", email=False)
    other = UserFactory()
    services.notify(users=[other], title="别人的", email=False)
    client.force_login(agency_admin)

    response = client.post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302
    assert response.url == reverse("notifications:inbox")
    assert not agency_admin.notifications.filter(read_at__isnull=True).exists()
    assert other.notifications.filter(read_at__isnull=True).exists()
    assert unread_badge(client.get("/workspace/").content.decode()) is None


def test_mark_all_read_is_a_post_only(client, agency_admin):
    client.force_login(agency_admin)

    assert client.get(reverse("notifications:mark_all_read")).status_code == 405


def test_the_inbox_needs_a_login(client):
    response = client.get(reverse("notifications:inbox"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
