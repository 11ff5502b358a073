"""Execution: suspensions of the work, delivery, acceptance or rejection, termination."""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from contracts import states, webhooks
from contracts.clock import service_clock
from contracts.models import (
    Contract,
    CreditIncident,
    Delivery,
    DeliveryFile,
    SanctionReview,
    Suspension,
)
from contracts.rules import check_can_deliver
from contracts.services.common import (
    Party,
    acting_party,
    ensure_party,
    lock_contract,
    notify_later,
    now_or,
)
from contracts.services.signing import record_incident
from contracts.services.time_limits import note_time_limit
from contracts.signals import contract_closed
from marketplace.accounts.selectors import organization_of
from marketplace.audit import services as audit
from marketplace.errors import DomainError, NotAllowed, StateConflict
from marketplace.files import checked_file_fields

Status = Contract.Status
MAX_DELIVERY_FILES = 20


def _required(text: str, field: str, message) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(message, field=field)
    return text


def open_suspension(contract: Contract) -> Suspension | None:
    return contract.suspensions.filter(ended_at__isnull=True).first()


def _end_suspension(contract: Contract, *, by, now: dt.datetime) -> Suspension | None:
    suspension = open_suspension(contract)
    if suspension is not None:
        suspension.ended_at = now
        suspension.ended_by = by
        suspension.save(update_fields=["ended_at", "ended_by"])
    return suspension


@transaction.atomic
def contract_suspend(*, contract: Contract, by, reason: str,
                     now: dt.datetime | None = None) -> Suspension:
    """The owner suspends the work while the agency waits for the owner's own input: the
    service clock stops until the owner resumes."""
    now = now_or(now)
    contract = lock_contract(contract)
    owner = ensure_party(contract, by, Party.OWNER)
    reason = _required(reason, "reason", _("Say why the work is suspended."))
    if contract.status != Status.ACTIVE:
        raise StateConflict(_("Only work in progress can be suspended."))
    if open_suspension(contract) is not None:
        raise StateConflict(_("The work is already suspended."))
    suspension = Suspension.objects.create(contract=contract, reason=reason, started_at=now,
                                           started_by=by)
    notify_later("suspended", contract_id=contract.pk)
    audit.record(action="contract.suspended", actor=by, organization=owner, obj=contract,
                 data={"suspension": suspension.pk, "reason": reason}, now=now)
    return suspension


@transaction.atomic
def contract_resume(*, contract: Contract, by, now: dt.datetime | None = None) -> Suspension:
    now = now_or(now)
    contract = lock_contract(contract)
    owner = ensure_party(contract, by, Party.OWNER)
    suspension = _end_suspension(contract, by=by, now=now)
    if suspension is None:
        raise StateConflict(_("The work is not suspended."))
    notify_later("resumed", contract_id=contract.pk)
    audit.record(action="contract.resumed", actor=by, organization=owner, obj=contract,
                 data={"suspension": suspension.pk}, now=now)
    return suspension


@transaction.atomic
def contract_deliver(*, contract: Contract, by, note: str, files: Sequence = (),
                     now: dt.datetime | None = None) -> Delivery:
    """The agency delivers (note and files, each checked first: one bad file refuses the
    delivery). Later than the promised days on the service clock: a late-delivery incident
    with the days, recorded once per contract (at the first late delivery)."""
    now = now_or(now)
    note = _required(note, "note", _("Describe what you deliver."))
    if len(files or ()) > MAX_DELIVERY_FILES:
        raise DomainError(_("A delivery can have at most %(n)s files.")
                          % {"n": MAX_DELIVERY_FILES}, field="files")
    checked = [checked_file_fields(file, field="files", stem="deliverable")
               for file in files or ()]
    contract = lock_contract(contract)
    agency = ensure_party(contract, by, Party.AGENCY)
    check_can_deliver(contract=contract)
    if open_suspension(contract) is not None:
        raise StateConflict(_("The owner has suspended the work; deliver once it resumes."))
    states.move(contract, Status.DELIVERED)
    contract.delivered_at = now
    contract.save(update_fields=["status", "delivered_at"])
    clock = service_clock(contract, now=now)
    delivery = Delivery.objects.create(contract=contract, note=note, delivered_at=now,
                                       delivered_by=by,
                                       service_seconds=int(clock.elapsed.total_seconds()))
    for fields in checked:
        DeliveryFile.objects.create(delivery=delivery, uploaded_at=now, **fields)
    late = None
    if clock.overdue_days:
        late = record_incident(contract, organization_id=contract.agency_id,
                               kind=CreditIncident.Kind.LATE_DELIVERY, days=clock.overdue_days,
                               now=now, data={"delivery": delivery.pk,
                                              "promised_days": contract.promised_days,
                                              "elapsed_days": clock.elapsed_days})
    notify_later("delivered", contract_id=contract.pk)
    audit.record(action="contract.delivered", actor=by, organization=agency, obj=contract,
                 data={"delivery": delivery.pk, "files": sorted(f["sha256"] for f in checked),
                       "service_days": clock.elapsed_days,
                       "late_days": late.days if late else 0}, now=now)
    return delivery


def _pending_delivery(contract: Contract) -> Delivery:
    delivery = (contract.deliveries.select_for_update()
                .filter(outcome=Delivery.Outcome.PENDING).order_by("-delivered_at", "-id")
                .first())
    if contract.status != Status.DELIVERED or delivery is None:
        raise StateConflict(_("There is no delivery awaiting your decision."))
    return delivery


@transaction.atomic
def contract_accept(*, contract: Contract, by, now: dt.datetime | None = None) -> Contract:
    """The owner accepts the delivery: `completed`, the service clock stops."""
    now = now_or(now)
    contract = lock_contract(contract)
    owner = ensure_party(contract, by, Party.OWNER)
    delivery = _pending_delivery(contract)
    note_time_limit(contract, now=now)  # an overrun the beat has not seen yet, before it stops
    states.move(contract, Status.COMPLETED)
    contract.completed_at = now
    contract.save(update_fields=["status", "completed_at"])
    delivery.outcome = Delivery.Outcome.ACCEPTED
    delivery.decided_at = now
    delivery.decided_by = by
    delivery.save(update_fields=["outcome", "decided_at", "decided_by"])
    contract_closed.send(sender=Contract, contract=contract)
    notify_later("completed", contract_id=contract.pk)
    audit.record(action="contract.completed", actor=by, organization=owner, obj=contract,
                 data={"delivery": delivery.pk}, now=now)
    return contract


@transaction.atomic
def contract_reject(*, contract: Contract, by, reason: str,
                    now: dt.datetime | None = None) -> Contract:
    """The owner rejects the delivery with reasons: back to `active`, the clock still runs."""
    now = now_or(now)
    contract = lock_contract(contract)
    owner = ensure_party(contract, by, Party.OWNER)
    reason = _required(reason, "reason", _("Give the reasons for rejecting the delivery."))
    delivery = _pending_delivery(contract)
    states.move(contract, Status.ACTIVE)
    contract.save(update_fields=["status"])
    delivery.outcome = Delivery.Outcome.REJECTED
    delivery.decided_at = now
    delivery.decided_by = by
    delivery.reason = reason
    delivery.save(update_fields=["outcome", "decided_at", "decided_by", "reason"])
    notify_later("rejected", contract_id=contract.pk)
    audit.record(action="contract.delivery_rejected", actor=by, organization=owner,
                 obj=contract, data={"delivery": delivery.pk, "reason": reason}, now=now)
    return contract




def terminating_organization(contract: Contract, by):
    organization = organization_of(by) if by is not None else None
    if organization is not None and organization.is_regulator:
        return organization
    return acting_party(contract, by, admin=True)[1]


@transaction.atomic
def contract_terminate(*, contract: Contract, by, reason: str, at_fault: str,
                       now: dt.datetime | None = None) -> Contract:
    """An administrator of either party, or a regulator, ends a contract in force (or
    delivered) with the reason and the party at fault."""
    now = now_or(now)
    contract = lock_contract(contract)
    if by is None:
        raise NotAllowed()
    organization = terminating_organization(contract, by)
    reason = _required(reason, "reason", _("Give the reason for the termination."))
    if at_fault not in Contract.Party.values:
        raise DomainError(_("Say which party is at fault."), field="at_fault")
    states.move(contract, Status.TERMINATED)
    _end_suspension(contract, by=by, now=now)
    # A pending question about the agency's sanction is answered by the termination.
    SanctionReview.objects.filter(contract=contract, decision=SanctionReview.Decision.PENDING
                                  ).update(decision=SanctionReview.Decision.TERMINATE,
                                           decided_at=now, decided_by=by)
    contract.terminated_at = now
    contract.termination_reason = reason
    contract.at_fault = at_fault
    contract.terminated_by = by
    contract.save(update_fields=["status", "terminated_at", "termination_reason", "at_fault",
                                 "terminated_by"])
    contract_closed.send(sender=Contract, contract=contract)
    notify_later("terminated", contract_id=contract.pk)
    webhooks.contract_event(webhooks.Event.CONTRACT_TERMINATED, contract, reason=reason,
                            at_fault=at_fault)
    audit.record(action="contract.terminated", actor=by, organization=organization,
                 obj=contract, data={"reason": reason, "at_fault": at_fault,
                                     "by_regulator": organization.is_regulator}, now=now)
    return contract
