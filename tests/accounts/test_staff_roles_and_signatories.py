"""Administrators manage their organization's members on the members page: role, the right to
sign contracts, removal. The organization always keeps an administrator."""

import pytest
from django.http import HttpRequest
from django.test import Client

from marketplace.accounts import selectors, services
from marketplace.accounts.errors import LastAdministrator
from marketplace.accounts.models import Membership, UserSession
from marketplace.audit.models import AuditEntry
from marketplace.errors import NotAllowed, NotFound
from tests.conftest import client_for
from tests.factories.accounts import PASSWORD, AgencyFactory, member_of

pytestmark = pytest.mark.django_db

MEMBERS = "/accounts/members/"
LAST_ADMIN = "单位至少要保留一名管理员"


def role_of(user) -> str:
    return Membership.objects.get(user=user).role


@pytest.fixture
def staff(agency):
    return member_of(agency, role="staff", username="xiaoli")


@pytest.fixture
def admin_client(client, agency_admin):
    client.force_login(agency_admin)
    return client


def test_an_administrator_makes_a_staff_member_administrator(admin_client, staff):
    response = admin_client.post(f"{MEMBERS}{staff.pk}/role/", {"role": "admin"}, follow=True)

    assert "该成员现在是管理员。" in response.content.decode()
    assert role_of(staff) == "admin"
    entry = AuditEntry.objects.get(action="organization.member_role_changed")
    assert entry.data == {"username": "xiaoli", "from": "staff", "to": "admin"}


def test_an_organization_may_have_several_administrators_and_one_may_step_down(
        admin_client, agency, agency_admin):
    second = member_of(agency, role="admin")

    admin_client.post(f"{MEMBERS}{agency_admin.pk}/role/", {"role": "staff"})

    assert role_of(agency_admin) == "staff"
    assert role_of(second) == "admin"


def test_the_last_administrator_cannot_step_down(admin_client, agency, agency_admin):
    response = admin_client.post(f"{MEMBERS}{agency_admin.pk}/role/", {"role": "staff"})

    assert response.status_code == 409
    assert "单位至少要保留一名管理员。请先将其他成员设为管理员。" in response.content.decode()
    assert LAST_ADMIN in response.content.decode()
    assert role_of(agency_admin) == "admin"
    with pytest.raises(LastAdministrator) as refused:
        services.member_role_set(organization=agency, member=agency_admin, role="staff",
                                 by=agency_admin)
    assert refused.value.code == "org.last_administrator"


def test_the_last_administrator_cannot_be_removed(admin_client, agency, agency_admin):
    response = admin_client.post(f"{MEMBERS}{agency_admin.pk}/remove/")

    assert response.status_code == 409
    assert "单位至少要保留一名管理员。请先将其他成员设为管理员。" in response.content.decode()
    assert LAST_ADMIN in response.content.decode()
    assert Membership.objects.filter(user=agency_admin).exists()


def test_the_last_administrator_refusal_speaks_english(english, agency_admin):
    english.force_login(agency_admin)

    response = english.post(f"{MEMBERS}{agency_admin.pk}/role/", {"role": "staff"})

    assert "An organization must keep at least one administrator." in (
        response.content.decode())


def test_the_members_page_offers_no_demotion_of_the_only_administrator(admin_client,
                                                                      agency_admin, staff):
    page = admin_client.get(MEMBERS).content.decode()

    assert "唯一的管理员" in page
    assert f'action="{MEMBERS}{agency_admin.pk}/role/"' not in page
    assert f'action="{MEMBERS}{staff.pk}/role/"' in page
    assert f'action="{MEMBERS}{staff.pk}/remove/"' in page


def test_an_administrator_cannot_remove_themselves(agency, agency_admin):
    member_of(agency, role="admin")

    with pytest.raises(NotAllowed) as refused:
        services.member_remove(organization=agency, member=agency_admin, by=agency_admin)
    assert refused.value.code == "not_allowed"


def test_removing_a_member_closes_the_account_everywhere(admin_client, agency, staff):
    theirs = Client()
    theirs.force_login(staff)
    api = client_for(staff)
    assert api.get("/api/v1/me/").status_code == 200

    response = admin_client.post(f"{MEMBERS}{staff.pk}/remove/", follow=True)

    page = response.content.decode()
    assert "该成员已被移除" in page
    assert "xiaoli" not in page
    staff.refresh_from_db()
    assert not staff.is_active
    assert not Membership.objects.filter(user=staff).exists()
    assert theirs.get("/workspace/").status_code == 302
    assert not UserSession.objects.filter(user=staff).exists()
    assert not selectors.api_tokens(staff).exists()
    refusal = api.get("/api/v1/me/")
    assert (refusal.status_code, refusal.json()["code"]) == (401, "auth.token_expired")
    assert not Client().login(request=HttpRequest(), username="xiaoli", password=PASSWORD)
    entry = AuditEntry.objects.get(action="organization.member_removed")
    assert entry.organization == agency and entry.data["username"] == "xiaoli"


def test_an_administrator_grants_and_withdraws_the_right_to_sign(admin_client, staff):
    admin_client.post(f"{MEMBERS}{staff.pk}/signatory/", {"can_sign": "1"})
    assert Membership.objects.get(user=staff).can_sign_contracts
    page = admin_client.get(MEMBERS).content.decode()
    assert "撤销签署权" in page

    response = admin_client.post(f"{MEMBERS}{staff.pk}/signatory/", {"can_sign": "0"},
                                 follow=True)

    assert "该成员不再可以签署合同。" in response.content.decode()
    assert not Membership.objects.get(user=staff).can_sign_contracts
    assert list(AuditEntry.objects.filter(action__startswith="organization.signatory_")
                .order_by("id").values_list("action", flat=True)) == [
        "organization.signatory_granted", "organization.signatory_withdrawn"]


def test_the_members_page_says_who_may_sign(admin_client, agency, staff):
    member_of(agency, role="staff", username="xiaozhao")
    Membership.objects.filter(user=staff).update(can_sign_contracts=True)

    page = admin_client.get(MEMBERS).content.decode()

    assert "可签署合同" in page
    assert "是（管理员）" in page
    assert page.count('name="can_sign" value="1"') == 1  # xiaozhao only


@pytest.mark.parametrize("action, data", [("role", {"role": "admin"}),
                                          ("signatory", {"can_sign": "1"}),
                                          ("remove", {})])
def test_staff_cannot_manage_members(client, agency, staff, action, data):
    other = member_of(agency, role="staff")
    client.force_login(staff)

    response = client.post(f"{MEMBERS}{other.pk}/{action}/", data)

    assert response.status_code == 403
    assert "只有本单位管理员才能执行此操作。" in response.content.decode()
    assert Membership.objects.get(user=other).role == "staff"
    assert not Membership.objects.get(user=other).can_sign_contracts


def test_staff_see_no_member_actions(client, staff):
    client.force_login(staff)

    page = client.get(MEMBERS).content.decode()

    assert "/remove/" not in page and "/signatory/" not in page and "/role/" not in page


def test_an_administrator_cannot_touch_another_organizations_member(admin_client, agency):
    stranger = member_of(AgencyFactory(), role="staff")

    response = admin_client.post(f"{MEMBERS}{stranger.pk}/remove/")

    assert response.status_code == 404
    assert "此人不是贵单位的成员。" in response.content.decode()
    stranger.refresh_from_db()
    assert stranger.is_active
    with pytest.raises(NotFound) as refused:
        services.member_signatory_set(organization=agency, member=stranger, can_sign=True,
                                      by=Membership.objects.get(organization=agency).user)
    assert refused.value.code == "not_found"


def test_member_actions_are_posts_with_csrf(agency_admin, staff):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(agency_admin)

    assert browser.get(f"{MEMBERS}{staff.pk}/remove/").status_code == 405
    assert browser.post(f"{MEMBERS}{staff.pk}/remove/").status_code == 403
    staff.refresh_from_db()
    assert staff.is_active
