"""An organization's administrators manage its members: the role (admin or staff), the right
to sign contracts (签署权), and removal. An organization always keeps an administrator."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import ApiToken, Membership, Organization
from marketplace.accounts.rules import check_keeps_an_administrator
from marketplace.accounts.services.security import end_sessions
from marketplace.accounts.services.tokens import revoke_tokens
from marketplace.actors import require_admin_of
from marketplace.audit import services as audit
from marketplace.errors import DomainError, NotAllowed, NotFound

User = get_user_model()


def _locked_member(organization: Organization, member) -> Membership:
    """The member's membership under a row lock, after the organization's own lock: every
    change that could leave the organization without an administrator queues on that lock."""
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    membership = (Membership.objects.select_for_update().select_related("user")
                  .filter(organization=organization, user_id=getattr(member, "pk", member),
                          user__is_active=True).first())
    if membership is None:
        raise NotFound(_("This person is not a member of your organization."))
    return membership


@transaction.atomic
def member_role_set(*, organization: Organization, member, role: str, by,
                    now: dt.datetime | None = None) -> Membership:
    """Make a member an administrator or staff. Several administrators are fine; the last one
    cannot step down."""
    now = now or timezone.now()
    require_admin_of(by, organization)
    membership = _locked_member(organization, member)  # someone else's member: 404, not 400
    if role not in Membership.Role.values:
        raise DomainError(_("Choose administrator or staff."), field="role")
    if membership.role == role:
        return membership
    if role == Membership.Role.STAFF:
        check_keeps_an_administrator(membership=membership)
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record(action="organization.member_role_changed", actor=by, organization=organization,
                 obj=membership.user, data={"username": membership.user.get_username(),
                                            "from": before, "to": role}, now=now)
    return membership


@transaction.atomic
def member_signatory_set(*, organization: Organization, member, can_sign: bool, by,
                         now: dt.datetime | None = None) -> Membership:
    """Grant or withdraw a member's right to sign contracts for the organization.
    Administrators sign in any case; the flag matters for staff (and for an administrator
    who later becomes staff)."""
    now = now or timezone.now()
    require_admin_of(by, organization)
    membership = _locked_member(organization, member)
    if membership.can_sign_contracts == can_sign:
        return membership
    membership.can_sign_contracts = can_sign
    membership.save(update_fields=["can_sign_contracts"])
    audit.record(action=("organization.signatory_granted" if can_sign
                         else "organization.signatory_withdrawn"),
                 actor=by, organization=organization, obj=membership.user,
                 data={"username": membership.user.get_username()}, now=now)
    return membership


@transaction.atomic
def member_remove(*, organization: Organization, member, by,
                  now: dt.datetime | None = None) -> None:
    """The member leaves the organization at once: the membership goes, the account is
    deactivated (it was made for this organization and keeps its history: signatures, bids,
    audit entries), its sessions end and its API tokens are revoked."""
    now = now or timezone.now()
    require_admin_of(by, organization)
    membership = _locked_member(organization, member)
    check_keeps_an_administrator(membership=membership)
    if membership.user_id == by.pk:
        raise NotAllowed(_("You cannot remove yourself. Ask another administrator."))
    user = membership.user
    role = membership.role
    membership.delete()
    User.objects.filter(pk=user.pk).update(is_active=False)
    ended = end_sessions(user=user)
    revoked = revoke_tokens(ApiToken.objects.filter(user=user),
                            because=ApiToken.Revocation.MEMBER_REMOVED, now=now)
    audit.record(action="organization.member_removed", actor=by, organization=organization,
                 obj=user, data={"username": user.get_username(), "role": role,
                                 "sessions_ended": ended, "tokens_revoked": len(revoked)},
                 now=now)
