"""Who may do what in an organization: pure checks that raise a domain error and change
nothing. Services call them under their locks; pages call the same functions to say what the
user may do (and why not). Who is acting (a regulator, an administrator of an organization)
is the kernel's `marketplace.actors`."""

from marketplace.accounts.errors import (
    Blacklisted,
    Exited,
    LastAdministrator,
    NotSignatory,
    Suspended,
)
from marketplace.accounts.models import Membership, Organization


def may_sign_contracts(membership: Membership | None) -> bool:
    """Administrators always sign for their organization; staff only when granted the right."""
    return membership is not None and (membership.is_admin or membership.can_sign_contracts)


def check_may_sign_contracts(membership: Membership | None) -> None:
    if not may_sign_contracts(membership):
        raise NotSignatory()


def check_keeps_an_administrator(*, membership: Membership) -> None:
    """`membership` may stop being an administrator (removed or demoted) only if another active
    administrator remains. Called while holding the organization's row lock, so two admins
    demoting each other at once cannot both pass."""
    if not membership.is_admin:
        return
    others = (Membership.objects.filter(organization_id=membership.organization_id,
                                        role=Membership.Role.ADMIN, user__is_active=True)
              .exclude(pk=membership.pk))
    if not others.exists():
        raise LastAdministrator()


# --- Sanctions ------------------------------------------------------------------------------
# A blacklisting, a suspension or a market exit stops an organization from taking new steps in
# the market (bid, ask, object, sign, publish, award: each service calls this under its lock);
# what it owes on work already running, and its defence (cases, appeals, repair), stay open.

BLACKLISTED, SUSPENDED, EXITED = "blacklisted", "suspended", "exited"


def sanction_of(organization: Organization, now) -> str | None:
    """The sanction in force on `organization` at `now` (the gravest first), or None."""
    if organization.status == Organization.Status.EXITED:
        return EXITED
    if organization.status == Organization.Status.SUSPENDED:
        return SUSPENDED
    if organization.is_blacklisted(now):
        return BLACKLISTED
    return None


def check_in_good_standing(organization: Organization, now) -> None:
    """Refuse with the sanction's coded error when `organization` is under one."""
    sanction = sanction_of(organization, now)
    if sanction is not None:
        raise {EXITED: Exited, SUSPENDED: Suspended, BLACKLISTED: Blacklisted}[sanction]()
