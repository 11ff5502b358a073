"""Reads the pages and the API share: who may see which contract, lists, and what the viewer
may do now. Only the two parties and regulators see a contract; everyone else gets 404."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.html import format_html

from bidding.models import Project
from contracts import rules, states
from contracts.clock import (
    LimitState,
    ServiceClock,
    limit_state,
    service_clock,
    time_limit_clock,
)
from contracts.models import Contract, CreditIncident, Delivery
from contracts.services.common import Party, party_of
from marketplace.accounts.models import Organization
from marketplace.accounts.rules import check_may_sign_contracts, may_sign_contracts
from marketplace.accounts.selectors import membership_of, signatories_of
from marketplace.actors import is_admin_of
from marketplace.errors import NotFound, refusal_of

Status = Contract.Status


def _base() -> QuerySet[Contract]:
    return Contract.objects.select_related("project", "project__service_item", "owner",
                                           "agency")


def contracts_for_viewer(organization: Organization | None) -> QuerySet[Contract]:
    if organization is None:
        return Contract.objects.none()
    if organization.is_regulator:
        return _base()
    return _base().filter(Q(owner=organization) | Q(agency=organization))


def contract_for_viewer(pk, organization: Organization | None) -> Contract:
    try:
        return contracts_for_viewer(organization).get(pk=pk)
    except (Contract.DoesNotExist, ValueError, TypeError):
        raise NotFound()


def filter_contracts(queryset: QuerySet[Contract], *, status: str = "", owner=None,
                     agency=None, created_from: dt.date | None = None,
                     created_to: dt.date | None = None, q: str = "") -> QuerySet[Contract]:
    if status:
        queryset = queryset.filter(status=status)
    if owner:
        queryset = queryset.filter(owner=owner)
    if agency:
        queryset = queryset.filter(agency=agency)
    if created_from:
        queryset = queryset.filter(created_at__date__gte=created_from)
    if created_to:
        queryset = queryset.filter(created_at__date__lte=created_to)
    if q:
        queryset = queryset.filter(Q(project__title__icontains=q) | Q(owner__name__icontains=q)
                                   | Q(agency__name__icontains=q))
    return queryset.order_by("-created_at", "-id")


def deliveries_of(contract: Contract) -> QuerySet[Delivery]:
    return contract.deliveries.prefetch_related("files").order_by("delivered_at", "id")


def delivery_file_for_viewer(contract_pk, file_pk, organization):
    from contracts.models import DeliveryFile

    contract = contract_for_viewer(contract_pk, organization)
    try:
        return DeliveryFile.objects.get(pk=file_pk, delivery__contract=contract)
    except (DeliveryFile.DoesNotExist, ValueError, TypeError):
        raise NotFound()


@dataclass(frozen=True)
class Actions:
    """What the viewer may do on the contract now (the services still decide)."""

    sign: bool = False
    refuse: bool = False
    deliver: bool = False
    accept: bool = False
    reject: bool = False
    suspend: bool = False
    resume: bool = False
    terminate: bool = False
    award_next: bool = False
    continue_after_sanction: bool = False

    def any(self) -> bool:
        return any(vars(self).values())


def actions_for(contract: Contract, user, *, now: dt.datetime) -> Actions:
    from contracts.services.signing import agency_refused, signed_parties

    membership = membership_of(user) if user is not None else None
    organization = membership.organization if membership else None
    party = party_of(contract, organization)
    is_admin = is_admin_of(user, organization)
    is_regulator = bool(organization and organization.is_regulator)
    status = contract.status
    suspended = contract.suspensions.filter(ended_at__isnull=True).exists()
    awaiting = status == Status.AWAITING_SIGNATURES and now < contract.signing_deadline
    unsigned = awaiting and party is not None and party not in signed_parties(contract)
    return Actions(
        sign=unsigned and may_sign_contracts(membership)
        and refusal_of(rules.check_can_sign, contract=contract, organization=organization,
                       now=now) is None,
        # Refusing has the organization's credit at stake: it stays an administrator's call.
        refuse=unsigned and is_admin,
        deliver=party == Party.AGENCY and status == Status.ACTIVE and not suspended
        and refusal_of(rules.check_can_deliver, contract=contract) is None,
        accept=party == Party.OWNER and status == Status.DELIVERED,
        reject=party == Party.OWNER and status == Status.DELIVERED,
        suspend=party == Party.OWNER and status == Status.ACTIVE and not suspended,
        resume=party == Party.OWNER and suspended and status == Status.ACTIVE,
        terminate=states.can_move(contract, Status.TERMINATED)
        and (is_regulator or (party is not None and is_admin)),
        award_next=party == Party.OWNER and status == Status.LAPSED
        and contract.project.status == Project.Status.AWARDED and agency_refused(contract)
        and Contract.objects.filter(project=contract.project_id, pk__gt=contract.pk)
        .count() == 0,
        continue_after_sanction=party == Party.OWNER and is_admin
        and refusal_of(rules.check_can_decide_sanction, contract=contract) is None,
    )


@dataclass(frozen=True)
class SigningPanel:
    """Who may sign for each party, and what the viewer may do about it."""

    owner_signatories: list[str]
    agency_signatories: list[str]
    viewer_organization: Organization | None = None
    viewer_signed: bool = False
    viewer_may_sign: bool = False
    viewer_why_not: str = ""


def _names(users) -> list[str]:
    """Each member as "full name (user name)", the user name marked as written, not text to
    translate (HTML-escaped here: the template joins them with `safe`)."""
    return [format_html('{} (<span translate="no">{}</span>)', user.get_full_name(),
                        user.get_username()) if user.get_full_name()
            else format_html('<span translate="no">{}</span>', user.get_username())
            for user in users]


def signing_panel(contract: Contract, user, *, now: dt.datetime | None = None
                  ) -> SigningPanel | None:
    """While the contract awaits signatures: the members who may sign for each party (the
    accounts rule decides) and, for a party's member, whether they may sign and why not."""
    from contracts.services.signing import signed_parties

    if contract.status != Status.AWAITING_SIGNATURES:
        return None
    membership = membership_of(user) if user is not None else None
    organization = membership.organization if membership else None
    party = party_of(contract, organization)
    panel = {"owner_signatories": _names(signatories_of(contract.owner_id)),
             "agency_signatories": _names(signatories_of(contract.agency_id))}
    if party is None:
        return SigningPanel(**panel)
    refusal = (refusal_of(check_may_sign_contracts, membership)
               or refusal_of(rules.check_can_sign, contract=contract, organization=organization,
                             now=now or timezone.now()))
    why_not = str(refusal.message) if refusal is not None else ""
    return SigningPanel(**panel, viewer_organization=organization,
                        viewer_signed=party in signed_parties(contract),
                        viewer_may_sign=not why_not, viewer_why_not=why_not)


def clock_of(contract: Contract, *, now: dt.datetime) -> ServiceClock | None:
    return service_clock(contract, now=now)


@dataclass(frozen=True)
class TimeLimit:
    """A monopoly contract's time limit as both parties and the regulators see it."""

    contract: Contract
    days: int
    department: str
    clock: ServiceClock | None
    state: str  # LimitState, or "" before the clock starts
    overrun_recorded: bool

    @property
    def is_near(self) -> bool:
        return self.state == LimitState.NEAR

    @property
    def is_overrun(self) -> bool:
        return self.state == LimitState.OVERRUN or self.overrun_recorded


def time_limit_of(contract: Contract, *, now: dt.datetime) -> TimeLimit | None:
    """None for a contract on an item that is not a monopoly item."""
    if not contract.is_time_limited:
        return None
    clock = time_limit_clock(contract, now=now)
    return TimeLimit(
        contract=contract, days=contract.time_limit_days,
        department=contract.competent_department, clock=clock,
        state=limit_state(clock, contract.time_limit_days) if clock else "",
        overrun_recorded=(contract.overrun_recorded if hasattr(contract, "overrun_recorded")
                          else _overrun_recorded(contract)))


def _overrun_recorded(contract: Contract) -> bool:
    return contract.credit_incidents.filter(
        kind=CreditIncident.Kind.TIME_LIMIT_OVERRUN).exists()


MONOPOLY_PANEL_ROWS = 50


def monopoly_contracts(*, now: dt.datetime) -> dict[str, list[TimeLimit]]:
    """The regulators' panel: monopoly contracts whose clock runs, by state (running, near
    the limit, overrun), and those closed after an overrun; nearest the limit first."""
    overrun = CreditIncident.objects.filter(contract=OuterRef("pk"),
                                            kind=CreditIncident.Kind.TIME_LIMIT_OVERRUN)
    # One query for the rows and one for their suspensions, whatever the number of rows.
    rows = (_base().filter(time_limit_days__isnull=False, activated_at__isnull=False)
            .annotate(overrun_recorded=Exists(overrun))
            .filter(Q(status__in=(Status.ACTIVE, Status.DELIVERED)) | Q(overrun_recorded=True))
            .prefetch_related("suspensions")
            .order_by("activated_at", "pk")[:MONOPOLY_PANEL_ROWS * 3])
    groups: dict[str, list[TimeLimit]] = {
        LimitState.RUNNING: [], LimitState.NEAR: [], LimitState.OVERRUN: []}
    for contract in rows:
        limit = time_limit_of(contract, now=now)
        state = LimitState.OVERRUN if limit.is_overrun else limit.state
        groups[state].append(limit)
    for state, limits in groups.items():
        limits.sort(key=lambda limit: limit.clock.remaining - limit.clock.overdue)
        groups[state] = limits[:MONOPOLY_PANEL_ROWS]
    return groups


def timeline(contract: Contract) -> list[tuple[dt.datetime, str, str]]:
    """(moment, event key, detail) in order, for the contract page."""
    events = [(contract.created_at, "drawn_up", "")]
    for signature in contract.signatures.select_related("organization"):
        events.append((signature.signed_at, "signed", signature.organization.name))
    if contract.activated_at:
        events.append((contract.activated_at, "active", ""))
    for suspension in contract.suspensions.all():
        events.append((suspension.started_at, "suspended", suspension.reason))
        if suspension.ended_at:
            events.append((suspension.ended_at, "resumed", ""))
    for delivery in contract.deliveries.all():
        events.append((delivery.delivered_at, "delivered", delivery.note))
        if delivery.decided_at:
            events.append((delivery.decided_at, delivery.outcome, delivery.reason))
    if contract.lapsed_at:
        events.append((contract.lapsed_at, "lapsed", contract.lapse_reason))
    for review in contract.sanction_reviews.all():
        events.append((review.opened_at, "sanctioned", review.reason))
        if review.decision == review.Decision.CONTINUE:
            events.append((review.decided_at, "continued", review.note))
    if contract.completed_at:
        events.append((contract.completed_at, "completed", ""))
    if contract.terminated_at:
        events.append((contract.terminated_at, "terminated", contract.termination_reason))
    return sorted(events, key=lambda event: event[0])


def latest_signed_pdf(contract: Contract):
    """The signature whose PDF carries every digital signature made so far (None: no digital
    signature yet)."""
    return contract.signatures.exclude(signed_pdf="").order_by("-signed_at", "-id").first()


def signed_pdf_bytes(contract: Contract) -> bytes | None:
    signature = latest_signed_pdf(contract)
    if signature is None:
        return None
    with signature.signed_pdf.open("rb") as handle:
        return handle.read()
