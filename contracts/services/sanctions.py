"""What a sanction on an agency does to its contracts (DESIGN §4 "Blacklist"; decisions
"Sanctions hold at every stage"). Called by ratings inside the transaction that lists,
suspends or expels the agency.

- Awaiting signatures: the contract lapses at once for the sanction (no refusal to sign is
  recorded: the agency did not refuse, it was stopped) and its award passes to the next bid.
- In force or delivered: the owner is asked to continue or terminate; until it decides, the
  agency delivers nothing new. Lifting the sanction later changes none of this by itself.
"""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from bidding.services import award_withdraw
from contracts import states
from contracts.models import Contract, SanctionReview
from contracts.rules import check_can_decide_sanction, pending_sanction_review
from contracts.services.common import ensure_party, lock_contract, notify_later, now_or
from marketplace.accounts.models import Organization
from marketplace.audit import services as audit
from marketplace.errors import DomainError

Status = Contract.Status
Party = Contract.Party


# The contracts a sanction acts on: those awaiting signatures lapse, those in force are reviewed.
LAPSING = (Status.AWAITING_SIGNATURES,)
REVIEWED = (Status.ACTIVE, Status.DELIVERED)


def sanction_counts(*, lapsed: int = 0, reviews: int = 0) -> dict:
    """What `contracts_sanction_agency` returns (for the sanction's audit entry)."""
    return {"contracts_lapsed": lapsed, "reviews_opened": reviews}


def agencies_with_contracts_to_sanction(agency_ids) -> set[int]:
    """Which of these agencies have a contract `contracts_sanction_agency` would act on (one
    query: a mass listing runs the full path only for those)."""
    return set(Contract.objects.filter(agency_id__in=agency_ids, status__in=LAPSING + REVIEWED)
               .values_list("agency_id", flat=True).distinct())


def contracts_sanction_agency(*, agency: Organization, sanction: str, reason: str,
                              public_reason: str, by=None, now: dt.datetime) -> dict:
    """Apply `sanction` to the agency's contracts; `reason` is told to the parties,
    `public_reason` goes on the award's withdrawal (announced publicly). Counts what changed."""
    lapsed = reviews = 0
    awaiting = list(Contract.objects.filter(agency=agency, status__in=LAPSING)
                    .order_by("pk").values_list("pk", flat=True))
    for pk in awaiting:
        contract = lock_contract(pk)
        if contract.status != Status.AWAITING_SIGNATURES:
            continue
        states.move(contract, Status.LAPSED)
        contract.lapsed_at = now
        contract.lapse_reason = reason
        contract.save(update_fields=["status", "lapsed_at", "lapse_reason"])
        notify_later("lapsed_sanction", contract_id=contract.pk)
        audit.record(action="contract.lapsed", actor=by, organization=agency, obj=contract,
                     data={"sanction": sanction, "reason": reason}, now=now)
        award_withdraw(project=contract.project_id, agency_id=agency.pk, reason=public_reason,
                       bid_reason=reason, by=by, now=now)
        lapsed += 1
    running = list(Contract.objects.filter(agency=agency, status__in=REVIEWED)
                   .order_by("pk").values_list("pk", flat=True))
    for pk in running:
        contract = lock_contract(pk)
        review = pending_sanction_review(contract)
        if review is None:
            review = SanctionReview.objects.create(contract=contract, sanction=sanction,
                                                   reason=reason, opened_at=now)
        notify_later("sanction_review", contract_id=contract.pk)
        audit.record(action="contract.sanction_review_opened", actor=by, organization=agency,
                     obj=contract, data={"review": review.pk, "sanction": sanction}, now=now)
        reviews += 1
    return sanction_counts(lapsed=lapsed, reviews=reviews)


@transaction.atomic
def contract_continue_after_sanction(*, contract: Contract, by, note: str = "",
                                     now: dt.datetime | None = None) -> Contract:
    """The owner's administrator chooses to go on with the sanctioned agency: the work it owes
    continues (deliveries are accepted again). To stop instead, the owner terminates the
    contract (`contract_terminate`), which answers the review too."""
    now = now_or(now)
    contract = lock_contract(contract)
    owner = ensure_party(contract, by, Party.OWNER, admin=True)
    review = check_can_decide_sanction(contract=contract)
    note = (note or "").strip()
    if len(note) > 2000:
        raise DomainError(_("Keep the note under 2,000 characters."), field="note")
    review.decision = SanctionReview.Decision.CONTINUE
    review.note = note
    review.decided_at = now
    review.decided_by = by
    review.save(update_fields=["decision", "note", "decided_at", "decided_by"])
    notify_later("sanction_continued", contract_id=contract.pk)
    audit.record(action="contract.continued_after_sanction", actor=by, organization=owner,
                 obj=contract, data={"review": review.pk, "note": note}, now=now)
    return contract
