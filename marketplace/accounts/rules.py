"""Who may do what in an organization: pure checks that raise a domain error and change
nothing. Services call them under their locks; pages call the same functions to say what the
user may do (and why not). Who is acting (a regulator, an administrator of an organization)
is the kernel's `marketplace.actors`."""

from marketplace.accounts.errors import LastAdministrator, NotSignatory
from marketplace.accounts.models import Membership


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
