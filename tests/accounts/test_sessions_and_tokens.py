"""A user sees where they are logged in and their API token, and ends what they do not
recognise: another session, every other session, the token."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from marketplace.accounts import selectors, services
from marketplace.accounts.models import ApiToken, UserSession
from marketplace.accounts.selectors import describe_user_agent, session_store
from marketplace.audit.models import AuditEntry
from marketplace.errors import DomainError, NotFound
from tests.conftest import client_for
from tests.factories.accounts import PASSWORD, member_of

pytestmark = pytest.mark.django_db

SECURITY = "/accounts/security/"
CHROME_ON_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                     "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36")
SAFARI_ON_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 "
                    "(KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1")


def log_in(user, *, user_agent=CHROME_ON_WINDOWS, ip="10.0.0.8") -> Client:
    """A browser that logs in on the login page, as a person does."""
    browser = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    response = browser.post("/accounts/login/", {"username": user.username,
                                                 "password": PASSWORD})
    assert response.status_code == 302
    return browser


def logged_in(browser) -> bool:
    return browser.get("/workspace/").status_code == 200


@pytest.fixture
def person(agency):
    return member_of(agency, username="lina")


def test_a_login_is_listed_with_device_ip_and_this_session_marked(person):
    browser = log_in(person)

    page = browser.get(SECURITY).content.decode()

    assert "Chrome 120 · Windows" in page
    assert "10.0.0.8" in page
    assert "当前会话" in page
    row = UserSession.objects.get(user=person)
    assert row.ip_address == "10.0.0.8" and row.user_agent == CHROME_ON_WINDOWS
    assert row.session_key not in page  # a session key in a page would be a session


def test_every_session_of_the_user_is_listed_and_only_theirs(person, agency):
    phone = log_in(person, user_agent=SAFARI_ON_IPHONE, ip="10.0.0.9")
    computer = log_in(person)
    log_in(member_of(agency, username="someone_else"), ip="10.9.9.9")

    page = computer.get(SECURITY).content.decode()

    assert "Safari 17 · iOS" in page and "10.0.0.9" in page
    assert "10.9.9.9" not in page
    assert page.count("当前会话") == 1
    assert logged_in(phone)


def test_ending_another_session_logs_that_device_out(person):
    phone = log_in(person, user_agent=SAFARI_ON_IPHONE)
    computer = log_in(person)
    phone_row = UserSession.objects.get(user=person, user_agent=SAFARI_ON_IPHONE)

    response = computer.post(f"/accounts/security/sessions/{phone_row.pk}/end/", follow=True)

    assert "该会话已退出登录。" in response.content.decode()
    assert not logged_in(phone)
    assert logged_in(computer)
    assert not UserSession.objects.filter(pk=phone_row.pk).exists()
    assert AuditEntry.objects.filter(action="user.session_ended", actor=person).exists()


def test_log_out_all_other_sessions_keeps_only_this_one(person):
    others = [log_in(person, ip=f"10.0.1.{n}") for n in range(3)]
    computer = log_in(person)

    response = computer.post("/accounts/security/sessions/end-others/", follow=True)

    assert "已退出其他 3 个会话。" in response.content.decode()
    assert not any(logged_in(browser) for browser in others)
    assert logged_in(computer)
    assert UserSession.objects.filter(user=person).count() == 1


def test_the_current_session_is_ended_by_logging_out_not_here(person):
    computer = log_in(person)
    current = UserSession.objects.get(user=person)

    response = computer.post(f"/accounts/security/sessions/{current.pk}/end/")

    assert response.status_code == 400
    assert "这是您正在使用的会话，请通过“退出登录”结束。" in response.content.decode()
    assert "这是您正在使用的会话" in response.content.decode()
    assert logged_in(computer)


def test_nobody_ends_someone_elses_session(person, agency):
    victim = log_in(member_of(agency, username="victim"))
    row = UserSession.objects.get(user__username="victim")
    attacker = log_in(person)

    response = attacker.post(f"/accounts/security/sessions/{row.pk}/end/")

    assert response.status_code == 404
    assert "该会话已结束。" in response.content.decode()
    assert logged_in(victim)
    with pytest.raises(NotFound) as refused:
        services.user_session_end(user=person, session_id=row.pk, current_session_key=None)
    assert refused.value.code == "not_found"


def test_logging_out_forgets_the_session(person):
    browser = log_in(person)

    browser.post("/accounts/logout/")

    assert not UserSession.objects.filter(user=person).exists()


def test_a_session_that_ended_elsewhere_is_not_listed(person):
    log_in(person, user_agent=SAFARI_ON_IPHONE)
    # The phone's session expires (the session engine removes it).
    session_store(UserSession.objects.get(user_agent=SAFARI_ON_IPHONE).session_key).delete()
    computer = log_in(person)

    assert "iOS" not in computer.get(SECURITY).content.decode()
    assert UserSession.objects.filter(user=person).count() == 1  # dropped at the next login


def test_last_seen_is_written_at_most_once_a_minute(person, time_machine):
    start = timezone.now().replace(microsecond=0)
    time_machine.move_to(start, tick=False)
    browser = log_in(person)

    time_machine.move_to(start + dt.timedelta(seconds=30), tick=False)
    browser.get("/workspace/")
    assert UserSession.objects.get(user=person).last_seen_at == start

    time_machine.move_to(start + dt.timedelta(seconds=61), tick=False)
    browser.get("/workspace/")
    assert UserSession.objects.get(user=person).last_seen_at == start + dt.timedelta(seconds=61)


def test_a_password_change_keeps_this_session_listed_and_ends_the_others(person):
    phone = log_in(person, user_agent=SAFARI_ON_IPHONE)
    computer = log_in(person)
    new = "Xinmima-2026-change"

    computer.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": new,
                                          "new_password2": new})

    page = computer.get(SECURITY).content.decode()
    assert "当前会话" in page and "Chrome 120" in page
    assert "iOS" not in page
    assert not logged_in(phone)


def test_a_session_from_before_tracking_is_recorded_on_its_next_request(person):
    browser = Client()
    browser.force_login(person)
    UserSession.objects.all().delete()
    session = browser.session
    session.pop("_accounts_tracked_key")
    session.save()

    browser.get("/workspace/", HTTP_USER_AGENT=CHROME_ON_WINDOWS)

    assert UserSession.objects.get(user=person).user_agent == CHROME_ON_WINDOWS


def test_the_api_tokens_show_only_their_prefix(person):
    token, key = services.api_token_issue(user=person, user_agent="deploy-script/1.0")
    browser = log_in(person)

    page = browser.get(SECURITY).content.decode()

    assert f"{token.prefix}…" in page and "deploy-script/1.0" in page
    assert key not in page
    assert key[len(token.prefix):] not in page


def test_revoking_a_token_locks_its_programs_out(person):
    api = client_for(person)
    assert api.get("/api/v1/me/").status_code == 200
    token = ApiToken.objects.get(user=person)
    browser = log_in(person)

    response = browser.post(f"/accounts/security/tokens/{token.pk}/revoke/", follow=True)

    assert "API 令牌已撤销" in response.content.decode()
    assert not selectors.api_tokens(person).exists()
    refusal = api.get("/api/v1/me/")
    assert (refusal.status_code, refusal.json()["code"]) == (401, "auth.token_expired")
    entry = AuditEntry.objects.get(action="user.api_token_revoked")
    assert entry.data["prefix"] == token.prefix


def test_nobody_revokes_someone_elses_token(person, agency):
    theirs, _key = services.api_token_issue(user=member_of(agency))

    with pytest.raises(NotFound) as refused:
        services.api_token_revoke(user=person, token_id=theirs.pk)
    assert refused.value.code == "not_found"
    browser = log_in(person)
    browser.cookies["django_language"] = "en"
    response = browser.post(f"/accounts/security/tokens/{theirs.pk}/revoke/")
    assert response.status_code == 404
    assert "This token no longer exists or was already revoked." in response.content.decode()
    theirs.refresh_from_db()
    assert not theirs.is_revoked


def test_the_security_page_is_linked_from_the_workspace_and_the_members_page(person):
    browser = log_in(person)

    assert f'href="{SECURITY}"' in browser.get("/workspace/").content.decode()
    assert f'href="{SECURITY}"' in browser.get("/accounts/members/").content.decode()


def test_the_security_page_needs_a_login_and_its_actions_are_posts(person):
    assert Client().get(SECURITY).status_code == 302
    browser = log_in(person)
    assert browser.get("/accounts/security/sessions/end-others/").status_code == 405


def test_the_security_page_speaks_english_when_asked(person):
    browser = log_in(person)
    browser.cookies["django_language"] = "en"

    page = browser.get(SECURITY).content.decode()

    assert "Where you are logged in" in page
    assert "This session" in page
    assert "API tokens" in page


@pytest.mark.parametrize("user_agent, described", [
    (CHROME_ON_WINDOWS, "Chrome 120 · Windows"),
    (SAFARI_ON_IPHONE, "Safari 17 · iOS"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0",
     "Firefox 121 · macOS"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91", "Edge 120 · Windows"),
    ("python-requests/2.32", ""),
])
def test_the_device_is_described_for_people(user_agent, described):
    assert describe_user_agent(user_agent) == described


def test_ending_the_current_session_through_the_service_is_refused(person):
    log_in(person)
    row = UserSession.objects.get(user=person)

    with pytest.raises(DomainError) as refused:
        services.user_session_end(user=person, session_id=row.pk,
                                  current_session_key=row.session_key)
    assert refused.value.code == "invalid"
