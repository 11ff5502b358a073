"""What a sanction does at once (DESIGN §4 "Blacklist"; decisions "Sanctions hold at every
stage"): a blacklisting, a suspension and a market exit each call `sanction_effects` inside
their own transaction, so the listing and its effects commit together or not at all.

For an agency: its contracts awaiting signatures lapse and their awards pass on, the owners of
its contracts in force are asked to continue or terminate (contracts' sanction), and its open
bids are disqualified, an award of its under publicity withdrawn and passed on (bidding's
`bids_invalidate_for`); the owners of those projects are told. For an owner nothing runs on
its own: the rules refuse its next steps (publish, award, sign) while the sanction lasts.
Lifting a sanction restores nothing: it only lets the organization act again.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from bidding.models import Bid
from bidding.services import agencies_with_bids_to_invalidate, bids_invalidate_for
from contracts.services import (
    agencies_with_contracts_to_sanction,
    contracts_sanction_agency,
    sanction_counts,
)
from marketplace.accounts.models import Organization
from marketplace.accounts.rules import BLACKLISTED, EXITED, SUSPENDED
from marketplace.notifications.services import notify
from marketplace.pki.models import Certificate
from marketplace.pki.services import (
    certificates_revoke_for,
    organizations_with_certificates_in_force,
)

# A blacklisting or a market exit revokes the organization's signing certificates (DESIGN §3):
# what it signed before stays valid, its key signs nothing after. A suspension does not.
REVOCATION_REASONS = {BLACKLISTED: Certificate.Reason.PRIVILEGE_WITHDRAWN,
                      EXITED: Certificate.Reason.CESSATION}


def _reasons(sanction: str, reason: str) -> tuple[str, str]:
    """What the parties are told, and what may be published (a suspension is not public
    credit information: its reason stays with the parties)."""
    with translation.override(settings.LANGUAGE_CODE):
        if sanction == BLACKLISTED:
            told = _("Blacklisted: %(reason)s") % {"reason": reason}
            return told, told
        if sanction == EXITED:
            told = _("Market exit: %(reason)s") % {"reason": reason}
            return told, told
        return (_("Suspended by a regulator: %(reason)s") % {"reason": reason},
                _("The agency was suspended by a regulator."))


def _owners_with_open_bids_of(agency: Organization) -> list[int]:
    """Owners of the projects whose bids are opened and still count this agency's bid. Before
    an opening the owner is told nothing: the bid is sealed, even its existence."""
    return list(Bid.objects.filter(agency=agency, status__in=Bid.LIVE_STATUSES,
                                   project__opened_at__isnull=False)
                .exclude(valid=False).values_list("project__owner_id", flat=True).distinct())


def sanction_effects(*, organization: Organization, sanction: str, reason: str, by,
                     now: dt.datetime) -> dict:
    """Apply `sanction` (accounts.rules BLACKLISTED / SUSPENDED / EXITED) to what the
    organization has running; returns the counts for the audit entry of the listing (its
    contracts'; not its bids', which are sealed until each opening)."""
    if sanction not in (BLACKLISTED, SUSPENDED, EXITED):
        raise ValueError(sanction)
    told, public = _reasons(sanction, reason)
    revoked = {}
    if sanction in REVOCATION_REASONS:
        count = certificates_revoke_for(organization=organization,
                                        reason=REVOCATION_REASONS[sanction], note=public,
                                        by=by, now=now)
        revoked = {"certificates_revoked": count} if count else {}
    if not organization.is_agency:
        return revoked
    owner_ids = _owners_with_open_bids_of(organization)
    effects = contracts_sanction_agency(agency=organization, sanction=sanction, reason=told,
                                        public_reason=public, by=by, now=now)
    # Not among the effects the listing's audit entry records: a count of the agency's bids
    # would tell, before their openings, that it bid. Each bid has its own `bid.disqualified`
    # entry, sealed until its project is opened (marketplace.audit.selectors).
    disqualified = bids_invalidate_for(agency=organization, reason=public, by=by, now=now)
    if disqualified and owner_ids:
        users = get_user_model().objects.filter(membership__organization_id__in=owner_ids,
                                                is_active=True)
        notify(users=list(users), kind="ratings.bidder_removed",
               title=_("A bidder on your project was removed: %(name)s")
               % {"name": organization.name},
               body=_("Its bids were disqualified: %(reason)s") % {"reason": public},
               url=reverse("bidding:owner_projects"))
    return {**effects, **revoked}


def sanction_effects_many(*, organizations: list[Organization], sanction: str, reasons: list[str],
                          by, now: dt.datetime, batch_size: int = 2000) -> list[dict]:
    """`sanction_effects` for each organization (with its reason), in order, for a mass
    sanction: three queries find the few organizations that have anything for the sanction to
    act on (certificates in force; an agency's contracts or live bids), which go through
    `sanction_effects` itself; the others' result is what it returns when nothing is running."""
    if sanction not in (BLACKLISTED, SUSPENDED, EXITED):
        raise ValueError(sanction)
    ids = [organization.pk for organization in organizations]
    busy: set[int] = set()
    for start in range(0, len(ids), batch_size):
        chunk = ids[start:start + batch_size]
        if sanction in REVOCATION_REASONS:
            busy |= organizations_with_certificates_in_force(chunk)
        busy |= agencies_with_contracts_to_sanction(chunk)
        busy |= agencies_with_bids_to_invalidate(chunk)
    return [sanction_effects(organization=organization, sanction=sanction, reason=reason, by=by,
                             now=now) if organization.pk in busy
            else (sanction_counts() if organization.is_agency else {})
            for organization, reason in zip(organizations, reasons, strict=True)]
