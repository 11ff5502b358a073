"""`manage.py create_regulator` makes the regulator organization once, and admin accounts in it."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from marketplace.accounts.models import Membership, Organization
from marketplace.audit.services import verify_chain
from tests.factories.accounts import member_of

pytestmark = pytest.mark.django_db

PASSWORD = "Jianguan-2026-strong"


def create(username="jianguan", password=PASSWORD, **options) -> str:
    out = StringIO()
    call_command("create_regulator", username=username, password=password, stdout=out,
                 **options)
    return out.getvalue()


def test_creates_the_regulator_organization_and_an_admin_account():
    output = create()

    organization = Organization.objects.get(kind=Organization.Kind.REGULATOR)
    user = get_user_model().objects.get(username="jianguan")
    assert user.check_password(PASSWORD)
    assert user.membership.organization == organization
    assert user.membership.role == Membership.Role.ADMIN
    assert organization.status == Organization.Status.ACTIVE
    assert len(organization.uscc) == 18
    assert "jianguan" in output
    assert verify_chain().ok


def test_running_twice_does_not_duplicate_the_organization():
    create("jianguan")
    create("jianguan")
    create("second", email="second@example.cn")

    assert Organization.objects.filter(kind=Organization.Kind.REGULATOR).count() == 1
    regulator = Organization.objects.get(kind=Organization.Kind.REGULATOR)
    assert set(regulator.memberships.values_list("user__username", flat=True)) == {
        "jianguan", "second"}
    assert Membership.objects.filter(user__username="jianguan").count() == 1


def test_running_again_resets_the_password():
    create("jianguan")

    create("jianguan", password="Another-2026-secret")

    assert get_user_model().objects.get(username="jianguan").check_password(
        "Another-2026-secret")


def test_regulators_may_enter_the_holiday_calendar_in_the_admin():
    create()

    user = get_user_model().objects.get(username="jianguan")
    assert user.is_staff
    assert not user.is_superuser
    assert user.has_perm("catalog.add_calendaryear")
    assert user.has_perm("catalog.change_calendarday")
    assert not user.has_perm("accounts.change_organization")


def test_a_user_of_another_organization_is_refused_not_moved(agency):
    agency_user = member_of(agency, username="someone")

    with pytest.raises(CommandError, match="该用户已属于其他单位"):
        create("someone")

    agency_user.refresh_from_db()
    assert agency_user.membership.organization == agency
    assert not agency_user.is_staff


def test_a_weak_password_is_refused():
    with pytest.raises(CommandError):
        create(password="12345678")

    assert not Organization.objects.filter(kind=Organization.Kind.REGULATOR).exists()
