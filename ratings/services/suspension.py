"""Suspension (暂停): a regulator stops an organization from acting for a while (e.g. during an
investigation) and reinstates it. Unlike a blacklisting it has no end date and is not public
credit information (its reason is told to the parties, never published); unlike a market exit
it keeps the organization in the market. A suspension takes effect at once like the other
sanctions (`services.sanctions`): the agency's bids, awards and unsigned contracts go, and
while suspended an organization takes no new step in the market (accounts.rules)."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.models import Organization
from marketplace.accounts.rules import SUSPENDED
from marketplace.actors import require_regulator as ensure_regulator
from marketplace.errors import DomainError
from marketplace.notifications.services import notify_organization
from marketplace.states import Transitions
from ratings.services.common import required_text
from ratings.services.sanctions import sanction_effects

Status = Organization.Status

# The organization's states and the regulator actions between them (suspend and reinstate
# here, market exit in blacklist.py).
ORGANIZATION = Transitions(Organization, {
    Status.ACTIVE: {Status.SUSPENDED, Status.EXITED},
    Status.SUSPENDED: {Status.ACTIVE, Status.EXITED},
    Status.EXITED: set(),
})


@transaction.atomic
def _change_status(*, organization: Organization, target: str, reason: str, by,
                   now: dt.datetime | None, action: str, title, kind: str) -> Organization:
    ensure_regulator(by)
    reason = required_text(reason, "reason", _("Give the reason for this decision."))
    now = now or timezone.now()
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.is_regulator:
        raise DomainError(_("Regulators cannot be suspended."), field="organization")
    before = organization.status
    effects = (sanction_effects(organization=organization, sanction=SUSPENDED, reason=reason,
                                by=by, now=now) if target == Status.SUSPENDED else {})
    ORGANIZATION.move(organization, target, action=action, actor=by, organization=organization,
                      data={"reason": reason, "from": before, "to": target, **effects}, now=now)
    notify_organization(organization=organization, kind=kind, title=title, body=reason,
                        url=reverse("workspace"))
    return organization


def organization_suspend(*, organization: Organization, reason: str, by,
                         now: dt.datetime | None = None) -> Organization:
    return _change_status(organization=organization, target=Status.SUSPENDED, reason=reason,
                          by=by, now=now, action="organization.suspended",
                          kind="ratings.suspended",
                          title=_("Your organization has been suspended"))


def organization_reinstate(*, organization: Organization, reason: str, by,
                           now: dt.datetime | None = None) -> Organization:
    return _change_status(organization=organization, target=Status.ACTIVE, reason=reason,
                          by=by, now=now, action="organization.reinstated",
                          kind="ratings.reinstated",
                          title=_("Your organization has been reinstated"))
