"""Who is acting (marketplace.actors): the regulator and administrator checks every app calls."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from marketplace import actors
from marketplace.accounts.models import Membership
from marketplace.errors import NotAllowed, refusal_of
from tests.factories.accounts import AgencyFactory, RegulatorFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def test_a_regulator_passes_and_gets_its_organization():
    regulator = RegulatorFactory()
    user = member_of(regulator, role=Membership.Role.STAFF)

    assert actors.require_regulator(user) == regulator


def test_an_agency_admin_is_refused_as_regulator_with_code_not_allowed():
    user = member_of(AgencyFactory())

    with pytest.raises(NotAllowed) as refusal:
        actors.require_regulator(user)

    assert refusal.value.code == "not_allowed"
    assert refusal.value.status_code == 403
    with translation.override("en"):
        assert str(refusal.value.message) == "Only regulators can do this."


@pytest.mark.parametrize("user", [None, AnonymousUser()])
def test_nobody_logged_in_is_neither_regulator_nor_admin(user):
    agency = AgencyFactory()

    assert refusal_of(actors.require_regulator, user).code == "not_allowed"
    assert refusal_of(actors.require_admin_of, user, agency).code == "not_allowed"
    assert actors.acting_organization(user) is None
    assert not actors.is_admin_of(user, agency)


def test_a_user_without_organization_is_no_regulator():
    assert refusal_of(actors.require_regulator, UserFactory()) is not None


def test_an_admin_of_the_organization_passes():
    agency = AgencyFactory()
    user = member_of(agency)

    membership = actors.require_admin_of(user, agency)

    assert membership.organization == agency and membership.user == user
    assert actors.is_admin_of(user, agency)


def test_staff_is_not_admin():
    agency = AgencyFactory()
    user = member_of(agency, role=Membership.Role.STAFF)

    assert not actors.is_admin_of(user, agency)
    with pytest.raises(NotAllowed) as refusal:
        actors.require_admin_of(user, agency)
    with translation.override("en"):
        assert str(refusal.value.message) == (
            "Only an administrator of the organization can do this.")


def test_an_admin_of_another_organization_is_not_admin():
    user = member_of(AgencyFactory())

    assert not actors.is_admin_of(user, AgencyFactory())
    assert refusal_of(actors.require_admin_of, user, AgencyFactory()).code == "not_allowed"


def test_a_role_change_counts_at_once():
    agency = AgencyFactory()
    user = member_of(agency, role=Membership.Role.STAFF)
    assert not actors.is_admin_of(user, agency)

    Membership.objects.filter(user=user).update(role=Membership.Role.ADMIN)

    assert actors.is_admin_of(user, agency)


def test_an_inactive_user_acts_for_nobody():
    regulator = RegulatorFactory()
    user = member_of(regulator, is_active=False)

    assert actors.acting_membership(user) is None
    assert refusal_of(actors.require_regulator, user) is not None
    assert not actors.is_admin_of(user, regulator)


def test_a_caller_may_name_a_more_precise_refusal():
    user = member_of(AgencyFactory())

    refusal = refusal_of(actors.require_regulator, user, message="Only a regulator reviews.")

    assert (refusal.code, refusal.message) == ("not_allowed", "Only a regulator reviews.")


def test_regulators_are_the_active_users_of_regulator_organizations():
    regulator = RegulatorFactory()
    staff = member_of(regulator, role=Membership.Role.STAFF)
    admin = member_of(regulator)
    member_of(regulator, is_active=False)
    member_of(AgencyFactory())
    UserFactory()

    assert set(actors.regulators()) == {staff, admin}
