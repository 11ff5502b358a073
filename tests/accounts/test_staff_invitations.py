"""An organization's admin invites staff; the invitee joins through the e-mailed link."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from marketplace.accounts import services
from marketplace.accounts.models import Invitation, Membership
from marketplace.audit.models import AuditEntry
from marketplace.errors import DomainError, NotAllowed, StateConflict
from tests.factories.accounts import AgencyFactory, member_of

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Jiaru-2026-welcome"


def accept_data(username="xiaowang"):
    return {"username": username, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}


@pytest.fixture
def invitation(agency, agency_admin):
    return services.invite_staff(organization=agency, email="xiaowang@example.cn",
                                 by=agency_admin)


def test_admin_invites_on_the_members_page_and_the_mail_leaves_after_commit(
        client, agency, agency_admin, django_capture_on_commit_callbacks):
    client.force_login(agency_admin)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post("/accounts/members/", {"email": "xiaowang@example.cn"})
        assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()

    assert response.status_code == 302
    invitation = Invitation.objects.get(organization=agency)
    assert invitation.email == "xiaowang@example.cn"
    assert invitation.invited_by == agency_admin
    assert [m.to for m in mail.outbox] == [["xiaowang@example.cn"]]
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "accounts:accept_invitation", args=[invitation.token])
    assert link in mail.outbox[0].body
    assert agency.name in mail.outbox[0].subject
    assert AuditEntry.objects.filter(action="organization.staff_invited",
                                     organization=agency).count() == 1


def test_members_page_lists_members_and_open_invitations(client, agency, agency_admin,
                                                         invitation):
    client.force_login(agency_admin)

    page = client.get("/accounts/members/").content.decode()

    assert agency_admin.username in page
    assert invitation.email in page
    assert 'name="email"' in page


def test_staff_member_cannot_invite_on_the_page(client, agency):
    staff = member_of(agency, role="staff")
    client.force_login(staff)

    response = client.post("/accounts/members/", {"email": "friend@example.cn"})

    assert response.status_code == 403
    assert "只有本单位管理员才能执行此操作。" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    assert 'name="email"' not in client.get("/accounts/members/").content.decode()


def test_staff_member_cannot_invite_through_the_service(agency):
    staff = member_of(agency, role="staff")

    with pytest.raises(NotAllowed) as refused:
        services.invite_staff(organization=agency, email="friend@example.cn", by=staff)
    assert refused.value.code == "not_allowed"


def test_admin_of_another_organization_cannot_invite(agency):
    stranger = member_of(AgencyFactory())

    with pytest.raises(NotAllowed) as refused:
        services.invite_staff(organization=agency, email="friend@example.cn", by=stranger)
    assert refused.value.code == "not_allowed"


def test_staff_refusal_is_in_chinese_by_default(client, agency):
    client.force_login(member_of(agency, role="staff"))

    response = client.post("/accounts/members/", {"email": "friend@example.cn"})

    assert "只有本单位管理员才能执行此操作。" in response.content.decode()


def test_inviting_a_current_member_is_refused_on_email(agency, agency_admin):
    member_of(agency, role="staff", email="colleague@example.cn")

    with pytest.raises(DomainError) as refused:
        services.invite_staff(organization=agency, email="Colleague@example.cn",
                              by=agency_admin)

    assert refused.value.field == "email"


def test_invitee_accepts_and_is_logged_in_as_staff_of_that_organization(client, agency,
                                                                       invitation):
    AgencyFactory()  # another organization, which the invitee must not land in
    url = reverse("accounts:accept_invitation", args=[invitation.token])
    assert agency.name in client.get(url).content.decode()

    response = client.post(url, accept_data())

    assert response.status_code == 302
    assert response.url == reverse("workspace")
    user = get_user_model().objects.get(username="xiaowang")
    assert user.email == invitation.email
    assert user.check_password(NEW_PASSWORD)
    assert user.membership.organization == agency
    assert user.membership.role == Membership.Role.STAFF
    assert int(client.session["_auth_user_id"]) == user.pk
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None
    assert AuditEntry.objects.filter(action="organization.staff_joined", actor=user).exists()


def test_accepting_needs_the_same_password_twice(client, invitation):
    url = reverse("accounts:accept_invitation", args=[invitation.token])

    response = client.post(url, {**accept_data(), "password_again": "something-else-2026"})

    assert response.status_code == 200
    assert "password_again" in response.context["form"].errors
    assert not get_user_model().objects.filter(username="xiaowang").exists()


def test_an_expired_invitation_is_refused(client, agency, agency_admin):
    long_ago = timezone.now() - dt.timedelta(days=8)
    expired = services.invite_staff(organization=agency, email="late@example.cn",
                                    by=agency_admin, now=long_ago)
    url = reverse("accounts:accept_invitation", args=[expired.token])

    refusal = client.get(url)
    assert refusal.status_code == 409
    assert "该邀请已失效，请联系管理员重新邀请。" in refusal.content.decode()
    response = client.post(url, accept_data("late"))

    assert response.status_code == 409
    assert "该邀请已失效，请联系管理员重新邀请。" in response.content.decode()
    assert not get_user_model().objects.filter(username="late").exists()
    with pytest.raises(StateConflict) as refused:
        services.accept_invitation(token=expired.token, username="late", password=NEW_PASSWORD)
    assert refused.value.code == "state.conflict"


def test_a_used_invitation_is_refused(client, invitation):
    url = reverse("accounts:accept_invitation", args=[invitation.token])
    client.post(url, accept_data("first"))
    client.logout()

    response = client.post(url, accept_data("second"))

    assert response.status_code == 409
    assert "该邀请已失效，请联系管理员重新邀请。" in response.content.decode()
    assert not get_user_model().objects.filter(username="second").exists()


def test_an_unknown_invitation_is_404(client):
    assert client.get("/accounts/invite/not-a-token/").status_code == 404


def test_invitation_refusal_speaks_english_when_asked(english, invitation):
    services.accept_invitation(token=invitation.token, username="first", password=NEW_PASSWORD)

    response = english.get(reverse("accounts:accept_invitation", args=[invitation.token]))

    assert "This invitation is no longer valid. Ask your administrator for a new one." in (
        response.content.decode())


def test_invitation_refusal_is_in_chinese_by_default(client, invitation):
    services.accept_invitation(token=invitation.token, username="first", password=NEW_PASSWORD)

    response = client.get(reverse("accounts:accept_invitation", args=[invitation.token]))

    assert "该邀请已失效，请联系管理员重新邀请。" in response.content.decode()


def test_a_weak_password_is_refused_when_accepting(client, invitation):
    url = reverse("accounts:accept_invitation", args=[invitation.token])

    response = client.post(url, {"username": "xiaowang", "password": "12345678",
                                 "password_again": "12345678"})

    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None
