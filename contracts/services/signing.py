"""Online signing (合同网签), the signing window and what follows a lapse."""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from contracts import states, webhooks
from contracts.models import Contract, CreditIncident, Signature
from contracts.rules import check_can_sign
from contracts.services.common import (
    Party,
    acting_party,
    ensure_party,
    lock_contract,
    notify_later,
    now_or,
    party_organization,
)
from contracts.services.pades import sign_digitally
from contracts.signals import credit_incident
from contracts.text import text_sha256
from marketplace.accounts.second_factor import check_reauthenticated
from marketplace.audit import services as audit
from marketplace.errors import DomainError, StateConflict

logger = logging.getLogger(__name__)
Status = Contract.Status


def record_incident(contract: Contract, *, organization_id: int, kind: str, now: dt.datetime,
                    days: int = 0, data: dict | None = None) -> CreditIncident | None:
    """Record the incident once per contract, party and kind, and announce it. Called while
    holding the contract's row lock, so the existence check and the insert cannot race (the
    unique constraint stays the last word)."""
    if CreditIncident.objects.filter(contract=contract, organization_id=organization_id,
                                     kind=kind).exists():
        return None
    incident = CreditIncident.objects.create(contract=contract, organization_id=organization_id,
                                             kind=kind, days=days, occurred_at=now,
                                             data=data or {})
    credit_incident.send(sender=CreditIncident, incident=incident)
    return incident


def signed_parties(contract: Contract) -> set[str]:
    signed = set(contract.signatures.values_list("organization_id", flat=True))
    return {party for party in (Party.OWNER, Party.AGENCY)
            if party_organization(contract, party) in signed}


@transaction.atomic
def contract_lapse(*, contract: Contract | int, now: dt.datetime | None = None) -> bool:
    """If the signing window has closed without both signatures: `lapsed`, and a refusal to
    sign recorded against each party that did not sign. False when nothing was due."""
    now = now_or(now)
    contract = lock_contract(contract)
    if contract.status != Status.AWAITING_SIGNATURES or now < contract.signing_deadline:
        return False
    states.move(contract, Status.LAPSED)
    contract.lapsed_at = now
    contract.save(update_fields=["status", "lapsed_at"])
    missing = sorted({Party.OWNER, Party.AGENCY} - signed_parties(contract))
    for party in missing:
        record_incident(contract, organization_id=party_organization(contract, party),
                        kind=CreditIncident.Kind.REFUSAL_TO_SIGN, now=now,
                        data={"party": party, "signing_deadline": contract.signing_deadline
                              .isoformat()})
    notify_later("lapsed", contract_id=contract.pk)
    audit.record(action="contract.lapsed", organization=contract.owner, obj=contract,
                 data={"unsigned": missing}, now=now)
    return True


def lapse_due_contracts(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """The beat task: lapse every contract whose window has closed; one transaction each."""
    now = now_or(now)
    due = list(Contract.objects.filter(status=Status.AWAITING_SIGNATURES,
                                       signing_deadline__lte=now)
               .order_by("signing_deadline").values_list("pk", flat=True)[:limit])
    return sum(1 for pk in due if contract_lapse(contract=pk, now=now))


@transaction.atomic
def _sign(*, contract: Contract, by, text_hash: str | None, ip: str | None,
          user_agent: str, now: dt.datetime) -> Contract:
    contract = lock_contract(contract)
    party, organization = acting_party(contract, by, signatory=True)
    check_can_sign(contract=contract, organization=organization, now=now)
    # What is signed is the hash of the frozen text: the stored text must still match it, and
    # a signer who read a different text (its hash) signs nothing.
    if text_sha256(contract.text) != contract.text_sha256:
        raise StateConflict(_("The contract text does not match its hash; it cannot be "
                              "signed. Contact the platform."))
    if text_hash is not None and text_hash.strip().lower() != contract.text_sha256:
        raise StateConflict(_("The contract text you read is not the text of this contract. "
                              "Reload the contract and sign again."))
    signature = Signature.objects.create(
        contract=contract, organization=organization, user=by, signed_at=now,
        ip_address=ip or None, user_agent=(user_agent or "")[:500],
        text_sha256=contract.text_sha256)
    digital = sign_digitally(contract=contract, signature=signature, party=party,
                             organization=organization, by=by, now=now)
    both = signed_parties(contract) == {Party.OWNER, Party.AGENCY}
    webhooks.contract_event(webhooks.Event.CONTRACT_SIGNED, contract, party=party)
    if both:
        states.move(contract, Status.ACTIVE)
        contract.activated_at = now
        contract.save(update_fields=["status", "activated_at"])
        notify_later("active", contract_id=contract.pk)
        webhooks.contract_event(webhooks.Event.CONTRACT_ACTIVE, contract)
    else:
        notify_later("signed", contract_id=contract.pk, party=party)
    audit.record(action="contract.signed", actor=by, organization=organization, obj=contract,
                 data={"party": party, "signature": signature.pk,
                       "text_sha256": signature.text_sha256, "ip": signature.ip_address,
                       "active": both, **digital}, now=now)
    return contract


def contract_sign(*, contract: Contract, by, password: str, text_hash: str | None = None,
                  otp_code: str | None = None, ip: str | None = None, user_agent: str = "",
                  now: dt.datetime | None = None) -> Contract:
    """A member who may sign for either party (an administrator, or staff granted the right)
    signs by re-entering the password, and a current code when they use two-step verification
    (`check_reauthenticated`, before the signing transaction so a wrong code stays counted).
    Both signatures → `active` (the service clock starts). A window that has closed lapses
    first, in its own transaction, so the refusal stays recorded while this signature is
    refused."""
    now = now_or(now)
    if contract_lapse(contract=contract, now=now):
        raise StateConflict(_("The signing window has closed; the contract has lapsed."))
    acting_party(contract, by, signatory=True)  # who may sign hears that before the password
    check_reauthenticated(by, password, otp_code)
    return _sign(contract=contract, by=by, text_hash=text_hash, ip=ip,
                 user_agent=user_agent, now=now)


@transaction.atomic
def _refuse(*, contract: Contract, by, reason: str, now: dt.datetime) -> Contract:
    contract = lock_contract(contract)
    party, organization = acting_party(contract, by, admin=True)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for refusing to sign."), field="reason")
    if Signature.objects.filter(contract=contract, organization=organization).exists():
        raise StateConflict(_("Your organization has already signed this contract."))
    states.move(contract, Status.LAPSED)
    contract.lapsed_at = now
    contract.save(update_fields=["status", "lapsed_at"])
    record_incident(contract, organization_id=organization.pk,
                    kind=CreditIncident.Kind.REFUSAL_TO_SIGN, now=now,
                    data={"party": party, "declared": True, "reason": reason})
    notify_later("refused", contract_id=contract.pk, party=party)
    audit.record(action="contract.refused", actor=by, organization=organization, obj=contract,
                 data={"party": party, "reason": reason}, now=now)
    return contract


def contract_refuse(*, contract: Contract, by, reason: str,
                    now: dt.datetime | None = None) -> Contract:
    """An administrator of a party declares it will not sign: the contract lapses at once and
    the refusal is recorded against that party only (as when the window lapses)."""
    now = now_or(now)
    if contract_lapse(contract=contract, now=now):
        raise StateConflict(_("The signing window has closed; the contract has lapsed."))
    return _refuse(contract=contract, by=by, reason=reason, now=now)


def agency_refused(contract: Contract) -> bool:
    return CreditIncident.objects.filter(
        contract=contract, organization_id=contract.agency_id,
        kind=CreditIncident.Kind.REFUSAL_TO_SIGN).exists()


def contract_award_next(*, contract: Contract, by, now: dt.datetime | None = None):
    """After the agency let the window lapse, the owner awards the next valid bid in rank
    order (or redraws for `random`), which opens a new publicity period (bidding decides how).
    When only the owner failed to sign, the agency is released and the award stays closed."""
    from bidding.services import project_award_next

    now = now_or(now)
    contract_lapse(contract=contract, now=now)
    contract = Contract.objects.select_related("project").get(pk=contract.pk)
    ensure_party(contract, by, Party.OWNER)
    if contract.status != Status.LAPSED:
        raise StateConflict(_("Only a contract that was not signed in time can be passed to "
                              "the next bid."))
    latest = Contract.objects.filter(project=contract.project_id).order_by("-pk").first()
    if latest.pk != contract.pk:
        raise StateConflict(_("This project has a newer contract."))
    if not agency_refused(contract):
        raise StateConflict(_("The agency signed in time: the award cannot pass to another "
                              "bid. Post the need again as a new project."))
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("The agency did not sign contract %(id)s in time.") % {"id": contract.pk}
    return project_award_next(project=contract.project, excluded_bid=contract.bid, by=by,
                              now=now, reason=reason)
