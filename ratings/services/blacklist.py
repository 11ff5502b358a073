"""The blacklist, appeals, credit repair and market exit (DESIGN §4 "Blacklist").

Effects are immediate: `Organization.blacklisted_until` (what bidding checks) is set in the
same transaction as the entry, the agency's open bids are disqualified through
`bidding.services.bids_invalidate_for`, and the owners of those projects are told.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bidding.models import Bid
from bidding.services import bids_invalidate_for
from marketplace.accounts.models import Organization
from marketplace.audit import services as audit
from marketplace.errors import DomainError, StateConflict
from marketplace.files import checked_file_fields
from marketplace.notifications.services import notify, notify_organization
from marketplace.notifications.text import as_sentence
from marketplace.periods import add_period, subtract_period
from marketplace.states import Transitions
from ratings.models import (
    AppealEvidence,
    BlacklistAppeal,
    BlacklistEntry,
    CreditEvent,
    CreditRepairRequest,
    MarketExit,
    RepairEvidence,
)
from ratings.rules import check_can_appeal, check_can_request_repair
from ratings.services.common import ensure_admin_of, ensure_regulator, required_text
from ratings.services.suspension import ORGANIZATION
from ratings.signals import RatingsEvent, ratings_event

Rule = BlacklistEntry.Rule
Source = BlacklistEntry.Source
MAX_EVIDENCE_FILES = 10

# An entry in force ends early (lifted by a regulator, an upheld appeal or a credit repair) or
# at its end date (expired); appeals and repair requests are decided once.
ENTRY = Transitions(BlacklistEntry, {
    BlacklistEntry.Status.ACTIVE: {BlacklistEntry.Status.LIFTED, BlacklistEntry.Status.EXPIRED},
    BlacklistEntry.Status.LIFTED: set(),
    BlacklistEntry.Status.EXPIRED: set(),
})
APPEAL = Transitions(BlacklistAppeal, {
    BlacklistAppeal.Status.PENDING: {BlacklistAppeal.Status.UPHELD,
                                     BlacklistAppeal.Status.DISMISSED},
    BlacklistAppeal.Status.UPHELD: set(),
    BlacklistAppeal.Status.DISMISSED: set(),
})
REPAIR = Transitions(CreditRepairRequest, {
    CreditRepairRequest.Status.PENDING: {CreditRepairRequest.Status.APPROVED,
                                         CreditRepairRequest.Status.REFUSED},
    CreditRepairRequest.Status.APPROVED: set(),
    CreditRepairRequest.Status.REFUSED: set(),
})


def _rules() -> dict:
    return settings.MARKETPLACE_BLACKLIST_RULES


def sync_blacklisted_until(organization: Organization) -> None:
    """The kernel's `blacklisted_until` = the latest end of the active entries (or none)."""
    until = (BlacklistEntry.objects.filter(organization=organization,
                                           status=BlacklistEntry.Status.ACTIVE)
             .aggregate(until=Max("ends_at"))["until"])
    Organization.objects.filter(pk=organization.pk).update(blacklisted_until=until)
    organization.blacklisted_until = until


def _owners_with_open_bids_of(agency: Organization) -> list[int]:
    return list(Bid.objects.filter(agency=agency, status__in=Bid.LIVE_STATUSES)
                .exclude(valid=False).values_list("project__owner_id", flat=True).distinct())


def _remove_from_bidding(organization: Organization, *, reason: str, by, now) -> int:
    """Disqualify the agency's open bids and tell the owners of those projects."""
    if not organization.is_agency:
        return 0
    owner_ids = _owners_with_open_bids_of(organization)
    changed = bids_invalidate_for(agency=organization, reason=reason, by=by, now=now)
    users = get_user_model().objects.filter(membership__organization_id__in=owner_ids,
                                            is_active=True)
    if changed and owner_ids:
        notify(users=list(users), kind="ratings.bidder_removed",
               title=_("A bidder on your project was removed: %(name)s")
               % {"name": organization.name},
               body=_("Its bids were disqualified: %(reason)s") % {"reason": reason},
               url=reverse("ratings:blacklist"))
    return changed


# --- Entries --------------------------------------------------------------------------------


@transaction.atomic
def blacklist_add(*, organization: Organization, reason: str, basis: str, ends_at: dt.datetime,
                  source: str, by=None, now: dt.datetime | None = None, rule: str = "",
                  credit_event: CreditEvent | None = None) -> BlacklistEntry:
    """List an organization from now until `ends_at`. A regulator entry needs a regulator, a
    reason and an end date; an automatic one names its rule (and the event that triggered it,
    which makes it idempotent)."""
    now = now or timezone.now()
    if source not in Source.values:
        raise DomainError(_("Unknown source."), field="source")
    if source == Source.REGULATOR:
        ensure_regulator(by)
    reason = required_text(reason, "reason", _("Give the reason for blacklisting."))
    if ends_at is None:
        raise DomainError(_("Give the end date of the listing."), field="ends_at")
    if ends_at <= now:
        raise DomainError(_("The end date must lie in the future."), field="ends_at")
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.is_regulator:
        raise DomainError(_("Regulators cannot be blacklisted."), field="organization")
    if credit_event is not None:
        existing = BlacklistEntry.objects.filter(credit_event=credit_event, rule=rule).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            entry = BlacklistEntry.objects.create(
                organization=organization, reason=reason, basis=(basis or "").strip(),
                source=source, rule=rule, credit_event=credit_event, starts_at=now,
                ends_at=ends_at, created_by=by if source == Source.REGULATOR else None)
    except IntegrityError:
        return BlacklistEntry.objects.get(credit_event=credit_event, rule=rule)
    sync_blacklisted_until(organization)
    removed = _remove_from_bidding(organization, reason=_("Blacklisted: %(reason)s")
                                   % {"reason": reason}, by=by, now=now)
    # Composed in the platform's language, the one notices are stored in; the reason is
    # one sentence of it, ending once whether or not the regulator ended it.
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Your organization has been blacklisted")
        body = (_("Until %(end)s. Reason: %(reason)s You may appeal, and apply for credit "
                  "repair once the minimum period has passed.")
                % {"end": timezone.localtime(ends_at).strftime("%Y-%m-%d"),
                   "reason": as_sentence(reason)})
    notify_organization(organization=organization, kind="ratings.blacklisted",
                        title=title, body=body,
                        url=reverse("ratings:my_credit"))
    ratings_event.send(sender=BlacklistEntry, event=RatingsEvent.BLACKLISTED, entry_id=entry.pk)
    audit.record(action="blacklist.added", actor=by, organization=organization, obj=entry,
                 data={"source": source, "rule": rule, "reason": reason, "basis": basis,
                       "ends_at": ends_at.isoformat(), "bids_disqualified": removed}, now=now)
    return entry


@transaction.atomic
def blacklist_lift(*, entry: BlacklistEntry, reason: str, by,
                   now: dt.datetime | None = None) -> BlacklistEntry:
    ensure_regulator(by)
    reason = required_text(reason, "reason", _("Give the reason for lifting the entry."))
    now = now or timezone.now()
    entry = BlacklistEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != BlacklistEntry.Status.ACTIVE:
        raise StateConflict(_("This entry is no longer active."))
    entry.closed_at, entry.lift_reason, entry.lifted_by = now, reason, by
    ENTRY.move(entry, BlacklistEntry.Status.LIFTED,
               update_fields=["closed_at", "lift_reason", "lifted_by"])
    sync_blacklisted_until(entry.organization)
    notify_organization(organization=entry.organization, kind="ratings.blacklist_lifted",
                        title=_("A blacklist entry of your organization was lifted"),
                        body=reason, url=reverse("ratings:my_credit"))
    ratings_event.send(sender=BlacklistEntry, event=RatingsEvent.BLACKLIST_LIFTED,
                       entry_id=entry.pk)
    audit.record(action="blacklist.lifted", actor=by, organization=entry.organization,
                 obj=entry, data={"reason": reason}, now=now)
    return entry


def blacklist_expire_due(*, now: dt.datetime | None = None) -> int:
    """Entries whose end date has passed become `expired` (beat task; idempotent: the
    conditional update lets one worker close each entry)."""
    now = now or timezone.now()
    done = 0
    for entry_id in list(BlacklistEntry.objects.filter(
            status=BlacklistEntry.Status.ACTIVE, ends_at__lte=now).values_list("pk", flat=True)):
        with transaction.atomic():
            if not ENTRY.move_all(BlacklistEntry.objects.filter(pk=entry_id),
                                  BlacklistEntry.Status.EXPIRED, closed_at=now):
                continue
            entry = BlacklistEntry.objects.select_related("organization").get(pk=entry_id)
            sync_blacklisted_until(entry.organization)
            ratings_event.send(sender=BlacklistEntry, event=RatingsEvent.BLACKLIST_LIFTED,
                               entry_id=entry.pk)
            audit.record(action="blacklist.expired", organization=entry.organization,
                         obj=entry, data={"ends_at": entry.ends_at.isoformat()}, now=now)
            done += 1
    return done


# --- Automatic rules --------------------------------------------------------------------------


def apply_event_rules(*, event: CreditEvent, now: dt.datetime) -> BlacklistEntry | None:
    """Serious events and repeated refusals to sign blacklist at once (inside the recording
    transaction)."""
    rules = _rules()
    if event.organization.is_regulator:
        return None
    if event.severity == CreditEvent.Severity.SERIOUS:
        return blacklist_add(
            organization=event.organization, source=Source.AUTOMATIC, rule=Rule.SERIOUS_EVENT,
            credit_event=event, reason=_("Serious violation: %(type)s")
            % {"type": event.get_event_type_display()}, basis=event.basis or event.public_note,
            ends_at=add_period(now, rules["serious_event_period"]), now=now)
    if event.event_type == CreditEvent.Type.REFUSAL_TO_SIGN:
        from ratings.services.credit import events_in_force

        since = subtract_period(now, rules["refusals_window"])
        refusals = events_in_force(now).filter(
            organization=event.organization, event_type=CreditEvent.Type.REFUSAL_TO_SIGN,
            occurred_at__gt=since).count()
        if refusals >= rules["refusals_to_sign"]:
            return blacklist_add(
                organization=event.organization, source=Source.AUTOMATIC,
                rule=Rule.REFUSALS_TO_SIGN, credit_event=event,
                reason=_("%(n)s refusals to sign within the window")
                % {"n": refusals}, basis="", ends_at=add_period(now, rules["refusals_period"]),
                now=now)
    return None


def apply_grade_rule(*, now: dt.datetime, organizations=None) -> int:
    """Organizations graded D that no active entry lists are blacklisted (one query to find
    them; an entry each)."""
    listed_now = BlacklistEntry.objects.filter(organization=OuterRef("pk"),
                                               status=BlacklistEntry.Status.ACTIVE,
                                               ends_at__gt=now)
    candidates = Organization.objects.filter(
        ~Exists(listed_now), credit_grade="D",
        kind__in=(Organization.Kind.AGENCY, Organization.Kind.OWNER))
    if organizations is not None:
        candidates = candidates.filter(pk__in=[o.pk for o in organizations])
    listed = 0
    for organization in candidates:
        blacklist_add(organization=organization, source=Source.AUTOMATIC, rule=Rule.GRADE_D,
                      reason=_("Credit grade D (score %(score)s)")
                      % {"score": organization.credit_score}, basis="",
                      ends_at=add_period(now, _rules()["grade_d_period"]), now=now)
        listed += 1
    return listed


# --- Appeals and credit repair ----------------------------------------------------------------


def _checked_evidence(files) -> list[dict]:
    files = list(files or ())
    if len(files) > MAX_EVIDENCE_FILES:
        raise DomainError(_("Attach at most %(n)s files.") % {"n": MAX_EVIDENCE_FILES},
                          field="evidence")
    return [checked_file_fields(f, field="evidence", stem="evidence") for f in files]


def _regulator_users():
    return get_user_model().objects.filter(membership__organization__kind="regulator",
                                           is_active=True)


@transaction.atomic
def appeal_submit(*, entry: BlacklistEntry, text: str, files=(), by,
                  now: dt.datetime | None = None) -> BlacklistAppeal:
    """The listed organization appeals with its grounds and evidence; a regulator decides."""
    now = now or timezone.now()
    ensure_admin_of(by, entry.organization)
    text = required_text(text, "text", _("State the grounds of your appeal."))
    checked = _checked_evidence(files)
    entry = BlacklistEntry.objects.select_for_update().get(pk=entry.pk)
    check_can_appeal(entry=entry, now=now)
    appeal = BlacklistAppeal.objects.create(entry=entry, organization=entry.organization,
                                            text=text, submitted_by=by, submitted_at=now)
    for fields in checked:
        AppealEvidence.objects.create(appeal=appeal, uploaded_at=now, **fields)
    notify(users=list(_regulator_users()), kind="ratings.appeal_submitted",
           title=_("Blacklist appeal from %(name)s") % {"name": entry.organization.name},
           body=text[:500], url=reverse("ratings:decisions"), email=False)
    audit.record(action="blacklist.appeal_submitted", actor=by, organization=entry.organization,
                 obj=appeal, data={"entry": entry.pk, "files": [f["sha256"] for f in checked]},
                 now=now)
    return appeal


@transaction.atomic
def appeal_decide(*, appeal: BlacklistAppeal, upheld: bool, reply: str, by,
                  now: dt.datetime | None = None) -> BlacklistAppeal:
    ensure_regulator(by)
    reply = required_text(reply, "reply", _("Write the reply to the appeal."))
    now = now or timezone.now()
    appeal = BlacklistAppeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != BlacklistAppeal.Status.PENDING:
        raise StateConflict(_("This appeal has already been decided."))
    appeal.reply, appeal.decided_by, appeal.decided_at = reply, by, now
    APPEAL.move(appeal, BlacklistAppeal.Status.UPHELD if upheld
                else BlacklistAppeal.Status.DISMISSED,
                update_fields=["reply", "decided_by", "decided_at"])
    if upheld and appeal.entry.status == BlacklistEntry.Status.ACTIVE:
        blacklist_lift(entry=appeal.entry, reason=_("Appeal upheld: %(reply)s")
                       % {"reply": reply}, by=by, now=now)
    notify_organization(organization=appeal.organization, kind="ratings.appeal_decided",
                        title=_("Your blacklist appeal was decided: %(status)s")
                        % {"status": appeal.get_status_display()},
                        body=reply, url=reverse("ratings:my_credit"))
    audit.record(action="blacklist.appeal_decided", actor=by, organization=appeal.organization,
                 obj=appeal, data={"upheld": upheld, "reply": reply}, now=now)
    return appeal


@transaction.atomic
def repair_request(*, entry: BlacklistEntry, text: str, files=(), by,
                   now: dt.datetime | None = None) -> CreditRepairRequest:
    """信用修复: after the minimum period the organization shows what it has corrected."""
    now = now or timezone.now()
    ensure_admin_of(by, entry.organization)
    text = required_text(text, "text", _("Describe the corrective measures you have taken."))
    checked = _checked_evidence(files)
    entry = BlacklistEntry.objects.select_for_update().get(pk=entry.pk)
    check_can_request_repair(entry=entry, now=now)
    request = CreditRepairRequest.objects.create(entry=entry, organization=entry.organization,
                                                 text=text, submitted_by=by, submitted_at=now)
    for fields in checked:
        RepairEvidence.objects.create(request=request, uploaded_at=now, **fields)
    notify(users=list(_regulator_users()), kind="ratings.repair_requested",
           title=_("Credit repair request from %(name)s") % {"name": entry.organization.name},
           body=text[:500], url=reverse("ratings:decisions"), email=False)
    audit.record(action="blacklist.repair_requested", actor=by, organization=entry.organization,
                 obj=request, data={"entry": entry.pk, "files": [f["sha256"] for f in checked]},
                 now=now)
    return request


@transaction.atomic
def repair_decide(*, request: CreditRepairRequest, approved: bool, reply: str, by,
                  now: dt.datetime | None = None) -> CreditRepairRequest:
    """Approved: the entry is lifted (the entry and the request stay on record)."""
    ensure_regulator(by)
    reply = required_text(reply, "reply", _("Write the reply to the request."))
    now = now or timezone.now()
    request = CreditRepairRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != CreditRepairRequest.Status.PENDING:
        raise StateConflict(_("This request has already been decided."))
    request.reply, request.decided_by, request.decided_at = reply, by, now
    REPAIR.move(request, CreditRepairRequest.Status.APPROVED if approved
                else CreditRepairRequest.Status.REFUSED,
                update_fields=["reply", "decided_by", "decided_at"])
    if approved and request.entry.status == BlacklistEntry.Status.ACTIVE:
        blacklist_lift(entry=request.entry, reason=_("Credit repaired: %(reply)s")
                       % {"reply": reply}, by=by, now=now)
    notify_organization(organization=request.organization, kind="ratings.repair_decided",
                        title=_("Your credit repair request was decided: %(status)s")
                        % {"status": request.get_status_display()},
                        body=reply, url=reverse("ratings:my_credit"))
    audit.record(action="blacklist.repair_decided", actor=by, organization=request.organization,
                 obj=request, data={"approved": approved, "reply": reply}, now=now)
    return request


# --- Market exit --------------------------------------------------------------------------------


@transaction.atomic
def organization_expel(*, organization: Organization, reason: str, basis: str = "", by,
                       now: dt.datetime | None = None) -> MarketExit:
    """清退: the organization's status becomes `exited` (its users can no longer act for it,
    its records stay) and its USCC may not register again until the exit period ends."""
    ensure_regulator(by)
    reason = required_text(reason, "reason", _("Give the reason for the market exit."))
    now = now or timezone.now()
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.is_regulator:
        raise DomainError(_("Regulators cannot be expelled."), field="organization")
    if organization.status == Organization.Status.EXITED:
        raise StateConflict(_("This organization has already exited the market."))
    ends_at = add_period(now, settings.MARKETPLACE_EXIT_PERIOD)
    organization.exit_until = ends_at
    ORGANIZATION.move(organization, Organization.Status.EXITED, update_fields=["exit_until"])
    market_exit = MarketExit.objects.create(organization=organization, reason=reason,
                                            basis=(basis or "").strip(), starts_at=now,
                                            ends_at=ends_at, decided_by=by)
    removed = _remove_from_bidding(organization, reason=_("Market exit: %(reason)s")
                                   % {"reason": reason}, by=by, now=now)
    notify_organization(organization=organization, kind="ratings.expelled",
                        title=_("Your organization has been removed from the market"),
                        body=reason, url=reverse("ratings:credit_detail", args=[organization.pk]))
    audit.record(action="organization.expelled", actor=by, organization=organization,
                 obj=market_exit, data={"reason": reason, "basis": basis,
                                        "ends_at": ends_at.isoformat(),
                                        "bids_disqualified": removed}, now=now)
    return market_exit
