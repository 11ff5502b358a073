"""Who is acting: the user's membership and organization, resolved in one place, and the two
questions every app asks about them, a regulator? an administrator of this organization?

A user acts through their one membership (DESIGN §4), and only while their account is active.
Services call `require_*` under their locks; pages ask `is_admin_of` (or `refusal_of` a
`require_*`) so they show what the service would answer. A refusal is `NotAllowed`, code
`not_allowed` (403); an app may name a more precise message (`message=`), never another rule.
"""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import Membership, Organization
from marketplace.errors import NotAllowed

ONLY_ADMINS = _("Only an administrator of the organization can do this.")
ONLY_REGULATORS = _("Only regulators can do this.")


def acting_membership(user) -> Membership | None:
    """The membership `user` acts through (its organization loaded), or None for the anonymous,
    an inactive account or a user who belongs to no organization. One query, not cached: a
    role changed a moment ago counts at once."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (Membership.objects.select_related("organization")
            .filter(user_id=user.pk, user__is_active=True).first())


def acting_organization(user) -> Organization | None:
    membership = acting_membership(user)
    return membership.organization if membership is not None else None


def _administers(membership: Membership | None, organization: Organization | None) -> bool:
    return (membership is not None and organization is not None
            and membership.organization_id == organization.pk and membership.is_admin)


def is_admin_of(user, organization: Organization | None) -> bool:
    """For pages: may `user` act as an administrator of `organization`?"""
    return _administers(acting_membership(user), organization)


def require_admin_of(user, organization: Organization, *, message=None) -> Membership:
    """The user's membership, when it is an administrator's of `organization`; NotAllowed
    otherwise (staff of the organization, members of another, the anonymous)."""
    membership = acting_membership(user)
    if not _administers(membership, organization):
        raise NotAllowed(message or ONLY_ADMINS)
    return membership


def require_regulator(user, *, message=None) -> Organization:
    """The regulator organization `user` acts for; NotAllowed for anyone else."""
    organization = acting_organization(user)
    if organization is None or not organization.is_regulator:
        raise NotAllowed(message or ONLY_REGULATORS)
    return organization


def regulators() -> QuerySet:
    """The active users of regulator organizations (whom appeals, cases and complaints
    notify)."""
    return get_user_model().objects.filter(
        membership__organization__kind=Organization.Kind.REGULATOR, is_active=True)
