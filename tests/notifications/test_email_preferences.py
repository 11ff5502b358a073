"""Which notices come by e-mail (issue 17 §5): every kind goes to the inbox; a user may stop
the e-mail of a kind (one event kind, or a whole area), on a page and through the API, and the
e-mail sending honours it. Sign-in security alerts are always e-mailed."""

import pytest
from django.core import mail

from marketplace.audit.models import AuditEntry
from marketplace.notifications import services
from marketplace.notifications.kinds import EmailKind
from marketplace.notifications.models import Notification
from tests.conftest import client_for
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def _notify(user, kind, title="通知"):
    return services.notify(users=[user], title=title, kind=kind)


def test_every_kind_is_emailed_until_declined():
    alice = UserFactory(email="alice@example.cn")

    response = client_for(alice).get("/api/v1/notifications/preferences/")

    assert response.status_code == 200
    assert response.data["email"] == dict.fromkeys(EmailKind.values, True)
    assert {k["kind"] for k in response.data["kinds"]} == set(EmailKind.values)


def test_a_declined_area_is_not_emailed_but_still_in_the_inbox(
        django_capture_on_commit_callbacks):
    alice = UserFactory(email="alice@example.cn")
    response = client_for(alice).put("/api/v1/notifications/preferences/",
                                     {"email": {"bidding": False}}, format="json")
    assert response.status_code == 200
    assert response.data["email"]["bidding"] is False
    assert response.data["email"]["contracts"] is True

    with django_capture_on_commit_callbacks(execute=True):
        _notify(alice, "bidding.opened", "开标了")
        _notify(alice, "contracts.drawn_up", "合同待签署")

    assert [m.subject.split("] ")[1] for m in mail.outbox] == ["合同待签署"]
    assert set(Notification.objects.filter(user=alice).values_list("title", flat=True)) == {
        "开标了", "合同待签署"}


def test_the_most_precise_preference_decides(django_capture_on_commit_callbacks):
    alice = UserFactory(email="alice@example.cn")
    services.email_preferences_set(user=alice, email={"bidding.new_project": False,
                                                      "bidding": True})

    with django_capture_on_commit_callbacks(execute=True):
        _notify(alice, "bidding.new_project", "新项目")
        _notify(alice, "bidding.award", "中标候选人公示")

    assert [m.subject.split("] ")[1] for m in mail.outbox] == ["中标候选人公示"]


def test_security_alerts_and_kindless_notices_are_always_emailed(
        django_capture_on_commit_callbacks):
    alice = UserFactory(email="alice@example.cn")
    services.email_preferences_set(user=alice, email=dict.fromkeys(EmailKind.values, False))

    with django_capture_on_commit_callbacks(execute=True):
        _notify(alice, "security.lockout", "账户已锁定")
        _notify(alice, "", "系统通知")

    assert sorted(m.subject.split("] ")[1] for m in mail.outbox) == ["系统通知", "账户已锁定"]


def test_one_users_choice_does_not_change_anothers_email(django_capture_on_commit_callbacks):
    alice = UserFactory(email="alice@example.cn")
    bob = UserFactory(email="bob@example.cn")
    services.email_preferences_set(user=alice, email={"ratings": False})

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(users=[alice, bob], title="信用评价", kind="ratings.revealed")

    assert [m.to for m in mail.outbox] == [["bob@example.cn"]]


def test_an_unknown_kind_is_refused_and_nothing_changes():
    alice = UserFactory()

    response = client_for(alice).put("/api/v1/notifications/preferences/",
                                     {"email": {"bidding": False, "weather": False}},
                                     format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.data["code"] == "notifications.unknown_kind"
    assert "weather" in str(response.data["email"])
    assert client_for(alice).get("/api/v1/notifications/preferences/").data["email"][
        "bidding"] is True


def test_a_body_that_is_no_map_of_booleans_is_a_400():
    response = client_for(UserFactory()).put("/api/v1/notifications/preferences/",
                                             {"email": ["bidding"]}, format="json")

    assert response.status_code == 400


def test_the_preferences_page_saves_the_ticked_boxes(client):
    alice = UserFactory()
    client.force_login(alice)
    page = client.get("/workspace/inbox/preferences/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "New projects matching your saved searches" in page.content.decode()

    ticked = {kind: "on" for kind in EmailKind.values if kind != "saved_search"}
    response = client.post("/workspace/inbox/preferences/", ticked, follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")

    assert "Your e-mail preferences are saved." in response.content.decode()
    from marketplace.notifications.selectors import email_preferences

    chosen = email_preferences(alice)
    assert chosen["saved_search"] is False
    assert chosen["bidding"] is True
    assert AuditEntry.objects.filter(action="user.email_preferences_changed",
                                     actor=alice).exists()
