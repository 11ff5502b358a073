"""What every contract service shares: the row lock, who acts for which party, notices."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import Contract
from marketplace.accounts.models import Organization
from marketplace.accounts.rules import check_may_sign_contracts
from marketplace.actors import acting_membership, require_admin_of
from marketplace.errors import NotAllowed
from marketplace.outbox.services import enqueue

Party = Contract.Party


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def lock_contract(contract: Contract | int) -> Contract:
    """The contract re-read under a row lock; call inside the service's transaction."""
    pk = contract.pk if isinstance(contract, Contract) else contract
    return (Contract.objects.select_for_update().select_related("owner", "agency", "project")
            .get(pk=pk))


def party_of(contract: Contract, organization: Organization | None) -> str | None:
    if organization is None:
        return None
    if organization.pk == contract.owner_id:
        return Party.OWNER
    if organization.pk == contract.agency_id:
        return Party.AGENCY
    return None


def acting_party(contract: Contract, by, *, admin: bool = False,
                 signatory: bool = False) -> tuple[str, Organization]:
    """The party `by` acts for (and its organization); NotAllowed for anyone else, for a
    party's staff when `admin` is required, and for a member who may not sign contracts
    (neither an administrator nor a granted signatory) when `signatory` is required."""
    membership = acting_membership(by)
    party = party_of(contract, membership.organization if membership else None)
    if party is None:
        raise NotAllowed(_("Only the parties to this contract can do this."))
    if admin:
        require_admin_of(by, membership.organization,
                         message=_("Only an administrator of your organization can do this."))
    if signatory:
        check_may_sign_contracts(membership)
    return party, membership.organization


def ensure_party(contract: Contract, by, party: str, *, admin: bool = False) -> Organization:
    acting, organization = acting_party(contract, by, admin=admin)
    if acting != party:
        raise NotAllowed(_("Only the owner can do this.") if party == Party.OWNER
                         else _("Only the agency can do this."))
    return organization


# Who may act, for the pages and the API to check before they read a form or a body (issue 13
# §2): anyone else is refused, never told what the form lacks. The services check again.
def owner_acts(contract: Contract, by) -> None:
    ensure_party(contract, by, Party.OWNER)


def agency_acts(contract: Contract, by) -> None:
    ensure_party(contract, by, Party.AGENCY)


def party_admin_acts(contract: Contract, by) -> None:
    acting_party(contract, by, admin=True)


def signatory_acts(contract: Contract, by) -> None:
    acting_party(contract, by, signatory=True)


def party_organization(contract: Contract, party: str) -> int:
    return contract.owner_id if party == Party.OWNER else contract.agency_id


def notify_later(event: str, **ids) -> None:
    """Send the notices of `event` after commit, through the task queue (contracts.notices)."""
    from contracts import tasks as contracts_tasks  # tasks call services: import here
    enqueue(contracts_tasks.notify, event=event, **ids)
