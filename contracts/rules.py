"""What a party may do with a contract now: pure `check_*` functions that raise a coded domain
error and change nothing. The services call them under the contract's lock; the contract page's
panels (`selectors.actions_for`, `selectors.signing_panel`) ask the same functions."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from contracts.models import Contract, SanctionReview, Signature
from marketplace.accounts.models import Organization
from marketplace.accounts.rules import check_in_good_standing
from marketplace.errors import StateConflict

Status = Contract.Status


class SanctionDecisionPending(StateConflict):
    code = "contract.sanction_decision_pending"
    default_message = _("Your organization was sanctioned while this contract is in force; the "
                        "owner decides whether to continue it. Deliver once the owner has "
                        "decided to continue.")


def pending_sanction_review(contract: Contract) -> SanctionReview | None:
    return contract.sanction_reviews.filter(decision=SanctionReview.Decision.PENDING).first()


def check_can_sign(*, contract: Contract, organization: Organization, now: dt.datetime) -> None:
    """A party in good standing signs a contract awaiting signatures, once."""
    check_in_good_standing(organization, now)
    if contract.status != Status.AWAITING_SIGNATURES:
        raise StateConflict(_("This contract is not awaiting signatures."))
    if Signature.objects.filter(contract=contract, organization=organization).exists():
        raise StateConflict(_("Your organization has already signed this contract."))


def check_can_deliver(*, contract: Contract) -> None:
    """The agency delivers unless the owner is still deciding about its sanction. (A sanction
    does not stop work the owner chose to continue: the agency still owes it.)"""
    if pending_sanction_review(contract) is not None:
        raise SanctionDecisionPending()


def check_can_decide_sanction(*, contract: Contract) -> SanctionReview:
    review = pending_sanction_review(contract)
    if review is None or contract.status not in (Status.ACTIVE, Status.DELIVERED):
        raise StateConflict(_("There is no sanction of the agency awaiting your decision."))
    return review
