"""Sealed bids: submit, revise, withdraw, re-confirm after an amendment; disqualification.

The deadline is the server's clock: at and after `bid_deadline` nothing about a bid changes,
whatever the task queue is doing (DESIGN §2 "Time is law").
"""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from bidding import receipts, sealing, states
from bidding.client import ClientInfo
from bidding.errors import BidClosed, LiveBidExists
from bidding.models import Bid, BidAttachment, Exclusion, Project
from bidding.rules import check_open_for_bids
from bidding.services import eligibility
from bidding.services.award import standing_award
from bidding.services.common import (
    check_agency,
    ensure_agency,
    lock_project,
    lock_project_for_bid,
    notify_later,
    now_or,
)
from bidding.services.evaluation import rerank_or_fail, save_ranks, valid_bids
from bidding.services.reaward import award_withdraw
from bidding.signals import ProjectEvent
from marketplace.accounts.models import Membership, Organization
from marketplace.audit import services as audit
from marketplace.errors import DomainError, NotAllowed
from marketplace.files import checked_file_fields
from marketplace.limits import check_text_length
from marketplace.related import remember_many

Status = Project.Status
MAX_BID_ATTACHMENTS = 10


def checked_attachments(files) -> list[dict]:
    """Every upload checked before anything is written: one bad file refuses the action."""
    return [checked_file_fields(file, field="files", stem="attachment") for file in files or ()]


def _attachment_hashes(keep: Sequence[BidAttachment], added: Sequence[dict]
                       ) -> list[str]:
    if len(keep) + len(added) > MAX_BID_ATTACHMENTS:
        raise DomainError(_("A bid can have at most %(n)s attachments.")
                          % {"n": MAX_BID_ATTACHMENTS}, field="files")
    return sorted([a.sha256 for a in keep] + [f["sha256"] for f in added])


def _store_attachments(bid: Bid, checked: Sequence[dict], now: dt.datetime
                       ) -> list[BidAttachment]:
    # Stored as ciphertext under the project's data key until the opening (bidding.sealing).
    return [BidAttachment.objects.create(bid=bid, uploaded_at=now,
                                         **sealing.seal_upload(bid.project_id, fields))
            for fields in checked]


def _delete_files_after_commit(names: Sequence[str]) -> None:
    # The rows go with the transaction; the stored files only once it has committed.
    storage = BidAttachment._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


def _offer(*, project: Project, agency: Organization, price, discount_rate, promised_days,
           now: dt.datetime, exclusions: dict[int, Exclusion] | None = None
           ) -> tuple[Decimal, Decimal | None, object]:
    """The checked price (and rate) of an offer, and the agency's service it rests on.
    `exclusions`: the agency's exclusion from the project, when the caller has just read it
    (`AgencyFacts.for_agencies`); read here otherwise."""
    # What the checks read about the agency (exclusion, service, qualifications), read once
    # for all of them: the service row is used three times below.
    facts = eligibility.AgencyFacts.for_agencies(project, [agency.pk], now,
                                                 exclusions=exclusions)
    problem = eligibility.agency_problem(project=project, agency=agency, now=now, facts=facts)
    if problem is not None:
        raise problem
    if project.quote_format == Project.QuoteFormat.DISCOUNT_RATE:
        discount_rate = Decimal(discount_rate) if discount_rate is not None else None
    else:
        discount_rate = None
        price = Decimal(price) if price is not None else None
    problems = eligibility.offer_problems(project=project, agency=agency, price=price,
                                          discount_rate=discount_rate,
                                          promised_days=promised_days, facts=facts)
    if problems:
        raise problems[0]
    if discount_rate is not None:
        price = eligibility.price_from_discount_rate(project=project, rate=discount_rate)
    return price, discount_rate, facts.service(agency)


# What the bidding rules read on the agency's own row (`check_agency`, `agency_problem`): read
# again under the project's lock, so that a sanction committed meanwhile counts.
_STANDING_FIELDS = ("kind", "status", "blacklisted_until", "credit_grade")


def _bidder_under_lock(project: Project, agency: Organization, by
                       ) -> tuple[bool, dict[int, Exclusion], int | None]:
    """`agency`'s standing read again from its row, under the project's lock, and only while
    `by` still acts for it (NotAllowed otherwise: the same query holds a passed-in agency to
    `by`). In the same query, what a submission checks next: whether the agency already has a
    live bid on `project`, its exclusion from it (by agency id, as `AgencyFacts` keeps them)
    and, on PostgreSQL, an id for its new bid. Returns those three."""
    rows = list(Organization.objects.raw(*_standing_query(project, agency, by)))
    row = rows[0] if rows else None
    if row is None:
        check_agency(None)  # refuses: `by` no longer acts for it
    for name in _STANDING_FIELDS:
        setattr(agency, name, getattr(row, name))
    check_agency(agency)
    exclusions = {}
    if row.exclusion_id is not None:
        exclusions[agency.pk] = Exclusion(pk=row.exclusion_id, project=project, agency=agency,
                                          reason=row.exclusion_reason)
    return bool(row.has_live_bid), exclusions, getattr(row, "next_bid_id", None)


def _standing_query(project: Project, agency: Organization, by) -> tuple[str, list]:
    """`_bidder_under_lock`'s one statement, written out: built by the ORM (a join through
    the membership to the user, an EXISTS and the exclusion's subqueries) it cost four times
    its execution on every submission. Exclusions are unique per project and agency, a
    user's membership is one: at most one row."""
    tables = {name: model._meta.db_table for name, model in (
        ("org", Organization), ("member", Membership), ("user", get_user_model()),
        ("bid", Bid), ("exclusion", Exclusion))}
    live = list(Bid.LIVE_STATUSES)
    next_id, next_params = "", []
    if connection.vendor == "postgresql":
        # The new bid's id, taken from its sequence here: it is part of the sealed contents'
        # associated data, so the bid is sealed first and inserted once (`seal_and_save`).
        next_id, next_params = (", nextval(pg_get_serial_sequence(%s, 'id')) AS next_bid_id",
                                [tables["bid"]])
    sql = (
        f'SELECT o.id, {", ".join(f"o.{name}" for name in _STANDING_FIELDS)}, '
        f'EXISTS (SELECT 1 FROM "{tables["bid"]}" b WHERE b.project_id = %s '
        f'AND b.agency_id = o.id AND b.status IN ({", ".join(["%s"] * len(live))})) '
        f'AS has_live_bid, e.id AS exclusion_id, e.reason AS exclusion_reason{next_id} '
        f'FROM "{tables["org"]}" o '
        f'JOIN "{tables["member"]}" m ON m.organization_id = o.id '
        f'JOIN "{tables["user"]}" u ON u.id = m.user_id '
        f'LEFT JOIN "{tables["exclusion"]}" e ON e.project_id = %s AND e.agency_id = o.id '
        f'WHERE o.id = %s AND m.user_id = %s AND u.is_active')
    return sql, [project.pk, *live, *next_params, project.pk, agency.pk, by.pk]


@transaction.atomic
def bid_submit(
    *,
    project: Project | int,
    by,
    agency: Organization | None = None,
    price: Decimal | None = None,
    promised_days: int,
    proposal: str = "",
    discount_rate: Decimal | None = None,
    files: Sequence = (),
    client: ClientInfo | None = None,
    now: dt.datetime | None = None,
) -> Bid:
    """A sealed bid; `files` (PDF, JPEG, PNG) are checked first and sealed into the receipt
    by their SHA-256. `client`: where it was submitted from (regulators' red flags only).

    `agency`: the organization `by` acts for, when the caller has just read it
    (`acting_organization(by)`, as the API view does to answer 403 before reading the body);
    read here otherwise. Either way its row is read again under the project's lock, where
    `by`'s membership and its standing are checked. `project`: the project or its id (read
    under the lock)."""
    now = now_or(now)
    agency = check_agency(agency) if agency is not None else ensure_agency(by)
    check_text_length(proposal, kind="proposal", field="proposal")
    checked = checked_attachments(files)
    project = lock_project_for_bid(project)
    check_open_for_bids(project, now)
    has_live_bid, exclusions, bid_id = _bidder_under_lock(project, agency, by)
    # The friendly refusal; two submissions of one agency racing past it are decided by the
    # partial unique constraint (caught below), since bids only share the project's lock.
    if has_live_bid:
        raise LiveBidExists()
    price, discount_rate, service = _offer(project=project, agency=agency, price=price,
                                           discount_rate=discount_rate,
                                           promised_days=promised_days, now=now,
                                           exclusions=exclusions)
    bid = Bid(id=bid_id, project=project, agency=agency, submitted_by=by, price=price,
              discount_rate=discount_rate, proposal=proposal or "",
              submitted_at=now)
    if client is not None:
        bid.client_ip, bid.client_agent_hash = client.ip, client.agent_hash
    bid.attachment_hashes = _attachment_hashes((), checked)
    bid.copy_commitments_from(service)
    bid.promised_days = int(promised_days)
    receipts.seal(bid, now=now)  # the receipt commits to the plaintext, sealed just below
    # No savepoint around the insert: a losing racer's IntegrityError becomes LiveBidExists,
    # which leaves this atomic block and rolls all of it back; nothing runs in between.
    try:
        sealing.seal_and_save(bid)
    except IntegrityError:
        raise LiveBidExists()
    # The response lists them: the ones just stored, not read back.
    remember_many(bid, "attachments", _store_attachments(bid, checked, now))
    audit.record(action="bid.submitted", actor=by, organization=agency, obj=bid,
                 data={"project": project.pk, "receipt": bid.receipt,
                       "attachments": bid.attachment_hashes}, now=now,
                 sealed_project=project)
    return bid


def _lock_own_bid(bid: Bid, by) -> tuple[Bid, Project]:
    agency = ensure_agency(by)
    project = lock_project_for_bid(bid.project_id)
    bid = Bid.objects.select_for_update().get(pk=bid.pk)
    if bid.agency_id != agency.pk:
        raise NotAllowed(_("Only the bidding agency can change its bid."))
    bid.project = project  # the row just locked, with its seal key (`sealing.data_key_of`)
    return bid, project


@transaction.atomic
def bid_revise(
    *,
    bid: Bid,
    by,
    price: Decimal | None = None,
    promised_days: int | None = None,
    proposal: str | None = None,
    discount_rate: Decimal | None = None,
    files: Sequence = (),
    remove_attachments: Sequence[int] = (),
    now: dt.datetime | None = None,
) -> Bid:
    """A new offer replacing the sealed one; it gets a new salt and receipt.

    Attachments: the current ones are kept unless their ids are in `remove_attachments`;
    `files` are added. Replacing a file is removing it and adding the new one."""
    now = now_or(now)
    checked = checked_attachments(files)
    bid, project = _lock_own_bid(bid, by)
    sealing.reveal_to_bidder(bid, ensure_agency(by))  # its current offer, for its agency
    check_text_length(proposal, kind="proposal", field="proposal")
    check_open_for_bids(project, now)
    if not bid.is_live:
        raise BidClosed()
    if project.quote_format == Project.QuoteFormat.DISCOUNT_RATE and discount_rate is None:
        discount_rate = bid.discount_rate
    new_days = bid.promised_days if promised_days is None else promised_days
    price, discount_rate, service = _offer(
        project=project, agency=bid.agency, price=bid.price if price is None else price,
        discount_rate=discount_rate, promised_days=new_days, now=now)
    bid.price, bid.discount_rate = price, discount_rate
    bid.copy_commitments_from(service)
    bid.promised_days = int(new_days)
    if proposal is not None:
        bid.proposal = proposal
    current = list(bid.attachments.all())
    remove = {int(pk) for pk in remove_attachments or ()}
    unknown = remove - {a.pk for a in current}
    if unknown:
        raise DomainError(_("This attachment is not part of the bid."),
                          field="remove_attachments")
    keep = [a for a in current if a.pk not in remove]
    dropped = [a for a in current if a.pk in remove]
    bid.attachment_hashes = _attachment_hashes(keep, checked)
    bid.revised_at = now
    bid.needs_reconfirmation = False
    bid.confirmed_at = now
    receipts.seal(bid, now=now)
    sealing.seal_and_save(bid)
    if dropped:
        names = [a.file.name for a in dropped]
        BidAttachment.objects.filter(pk__in=[a.pk for a in dropped]).delete()
        _delete_files_after_commit(names)
    _store_attachments(bid, checked, now)
    audit.record(action="bid.revised", actor=by, organization=bid.agency, obj=bid,
                 data={"project": project.pk, "receipt": bid.receipt,
                       "attachments": bid.attachment_hashes}, now=now,
                 sealed_project=project)
    return bid


@transaction.atomic
def bid_withdraw(*, bid: Bid, by, now: dt.datetime | None = None) -> Bid:
    now = now_or(now)
    bid, project = _lock_own_bid(bid, by)
    check_open_for_bids(project, now)
    if not bid.is_live:
        raise BidClosed()
    bid.withdrawn_at = now
    states.BID.move(bid, Bid.Status.WITHDRAWN, update_fields=["withdrawn_at"],
                    action="bid.withdrawn", actor=by, organization=bid.agency,
                    data={"project": project.pk}, now=now, sealed_project=project)
    return bid


@transaction.atomic
def bid_confirm(*, bid: Bid, by, now: dt.datetime | None = None) -> Bid:
    """Re-confirm a bid after a correction notice: it must still meet the amended terms.

    A discount-rate bid is re-priced against an amended budget cap and sealed again."""
    now = now_or(now)
    bid, project = _lock_own_bid(bid, by)
    check_open_for_bids(project, now)
    if not bid.is_live:
        raise BidClosed()
    sealing.reveal_to_bidder(bid, ensure_agency(by))
    price, discount_rate, _service = _offer(
        project=project, agency=bid.agency, price=bid.price, discount_rate=bid.discount_rate,
        promised_days=bid.promised_days, now=now)
    if price != bid.price:
        bid.price = price
        bid.revised_at = now
        receipts.seal(bid, now=now)
    bid.needs_reconfirmation = False
    bid.confirmed_at = now
    sealing.seal_and_save(bid)
    audit.record(action="bid.confirmed", actor=by, organization=bid.agency, obj=bid,
                 data={"project": project.pk, "receipt": bid.receipt}, now=now,
                 sealed_project=project)
    return bid


@transaction.atomic
def _bids_to_invalidate(**agency):
    return Bid.objects.filter(status__in=Bid.LIVE_STATUSES, **agency).exclude(valid=False)


def agencies_with_bids_to_invalidate(agency_ids) -> set[int]:
    """Which of these agencies have a bid `bids_invalidate_for` would act on (one query: a mass
    listing runs the full path only for those)."""
    return set(_bids_to_invalidate(agency_id__in=agency_ids)
               .values_list("agency_id", flat=True).distinct())


def bids_invalidate_for(*, agency: Organization, reason: str, by=None,
                        now: dt.datetime | None = None) -> int:
    """Disqualify the agency's open bids at once (a blacklisting, a suspension, a market exit).

    While bidding, its live bids are disqualified (the public count of bids submitted does not
    change, so nothing is revealed before opening). After opening its valid bids become invalid:
    in evaluation the project is ranked again (and fails if too few remain); under publicity
    an award of its own is withdrawn and passed on (`reaward.award_withdraw`); any other bid of
    its simply leaves the ranking, so it is never next in line. A final award of its own is
    the contracts app's to withdraw, with the contract. Returns how many bids changed.

    Each bid gets its own `bid.disqualified` entry, sealed until its project's opening: one
    entry for all of them would name the agency's sealed bids to whoever reads the log.
    """
    now = now_or(now)
    changed = 0
    project_ids = list(_bids_to_invalidate(agency=agency)
                       .values_list("project_id", flat=True).distinct())
    with translation.override(settings.LANGUAGE_CODE):
        reason = str(reason)
    for project_id in sorted(project_ids):
        project = lock_project(project_id)
        bids = Bid.objects.select_for_update().filter(
            project=project, agency=agency, status__in=Bid.LIVE_STATUSES)
        if project.status == Status.BIDDING:
            for bid in bids:
                bid.invalid_reason = reason
                bid.valid = False
                states.BID.move(bid, Bid.Status.DISQUALIFIED,
                                update_fields=["invalid_reason", "valid"],
                                action="bid.disqualified", actor=by, organization=agency,
                                data={"project": project.pk, "reason": reason}, now=now,
                                sealed_project=project)
                notify_later(ProjectEvent.BID_DISQUALIFIED, bid_id=bid.pk)
                changed += 1
            continue
        if project.status not in (Status.EVALUATING, Status.PUBLICITY, Status.AWARDED):
            continue
        award = standing_award(project)
        if award is not None and award.bid.agency_id == agency.pk:
            if project.status == Status.PUBLICITY:
                award_withdraw(project=project, agency_id=agency.pk, reason=reason,
                               bid_reason=reason, by=by, now=now)
                changed += 1
            continue  # a final award goes with its contract (contracts' sanction)
        for bid in bids.filter(valid=True):
            bid.valid = False
            bid.invalid_reason = reason
            bid.rank = None
            bid.save(update_fields=["valid", "invalid_reason", "rank"])
            notify_later(ProjectEvent.BID_DISQUALIFIED, bid_id=bid.pk)
            audit.record(action="bid.disqualified", actor=by, organization=agency, obj=bid,
                         data={"project": project.pk, "reason": reason}, now=now,
                         sealed_project=project)
            changed += 1
        if project.status == Status.EVALUATING:
            rerank_or_fail(project, now=now, by=by)
        else:
            save_ranks(project, valid_bids(project))
    return changed
