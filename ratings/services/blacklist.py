"""The blacklist, appeals, credit repair and market exit (DESIGN §4 "Blacklist").

Effects are immediate: `Organization.blacklisted_until` (what the rules check) is set in the
same transaction as the entry, and `services.sanctions.sanction_effects` removes the agency
from its bids, awards and contracts awaiting signatures in that transaction too.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from marketplace.accounts.models import Organization
from marketplace.accounts.rules import BLACKLISTED, EXITED
from marketplace.actors import regulators
from marketplace.actors import require_admin_of as ensure_admin_of
from marketplace.actors import require_regulator as ensure_regulator
from marketplace.audit import services as audit
from marketplace.errors import DomainError, StateConflict
from marketplace.files import checked_file_fields
from marketplace.notifications.services import (
    Notice,
    notify,
    notify_organization,
    notify_organizations,
)
from marketplace.notifications.text import as_sentence
from marketplace.periods import add_period
from marketplace.states import Transitions
from ratings import webhooks
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
from ratings.services.common import required_text
from ratings.services.sanctions import sanction_effects, sanction_effects_many
from ratings.services.suspension import ORGANIZATION
from ratings.signals import RatingsEvent, ratings_event

# ensure_regulator / ensure_admin_of: marketplace.actors' require_regulator / require_admin_of
# under the names this module has used (one-line import aliases, not copies).
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


def sync_blacklisted_until(organization: Organization) -> None:
    """The kernel's `blacklisted_until` = the latest end of the active entries (or none)."""
    until = (BlacklistEntry.objects.filter(organization=organization,
                                           status=BlacklistEntry.Status.ACTIVE)
             .aggregate(until=Max("ends_at"))["until"])
    Organization.objects.filter(pk=organization.pk).update(blacklisted_until=until)
    organization.blacklisted_until = until


def sync_blacklisted_until_many(organizations: list[Organization], *,
                                batch_size: int = 2000) -> None:
    """`sync_blacklisted_until` for many organizations: one UPDATE (per batch) and one read."""
    latest = (BlacklistEntry.objects.filter(organization=OuterRef("pk"),
                                            status=BlacklistEntry.Status.ACTIVE)
              .order_by().values("organization").annotate(until=Max("ends_at")).values("until"))
    ids = [organization.pk for organization in organizations]
    until = {}
    for start in range(0, len(ids), batch_size):
        chunk = Organization.objects.filter(pk__in=ids[start:start + batch_size])
        chunk.update(blacklisted_until=Subquery(latest))
        until.update(chunk.values_list("pk", "blacklisted_until"))
    for organization in organizations:
        organization.blacklisted_until = until[organization.pk]


# --- Entries --------------------------------------------------------------------------------


def _checked_listing(*, source: str, by, reason: str, ends_at: dt.datetime | None,
                     now: dt.datetime) -> str:
    """The rules of a listing that do not depend on the organization; returns the reason."""
    if source not in Source.values:
        raise DomainError(_("Unknown source."), field="source")
    if source == Source.REGULATOR:
        ensure_regulator(by)
    reason = required_text(reason, "reason", _("Give the reason for blacklisting."))
    if ends_at is None:
        raise DomainError(_("Give the end date of the listing."), field="ends_at")
    if ends_at <= now:
        raise DomainError(_("The end date must lie in the future."), field="ends_at")
    return reason


def check_listable(organization: Organization) -> None:
    if organization.is_regulator:
        raise DomainError(_("Regulators cannot be blacklisted."), field="organization")


def _listed_notice(*, reason: str, ends_at: dt.datetime) -> dict:
    """What the listed organization is told. Composed in the platform's language, the one
    notices are stored in; the reason is one sentence of it, ending once whether or not the
    regulator ended it."""
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Your organization has been blacklisted")
        body = (_("Until %(end)s. Reason: %(reason)s You may appeal, and apply for credit "
                  "repair once the minimum period has passed.")
                % {"end": timezone.localtime(ends_at).strftime("%Y-%m-%d"),
                   "reason": as_sentence(reason)})
    return {"kind": "ratings.blacklisted", "title": title, "body": body,
            "url": reverse("ratings:my_credit")}


def _audit_data(*, source: str, rule: str, reason: str, basis: str, ends_at: dt.datetime,
                effects: dict) -> dict:
    return {"source": source, "rule": rule, "reason": reason, "basis": basis,
            "ends_at": ends_at.isoformat(), **effects}


@transaction.atomic
def blacklist_add(*, organization: Organization, reason: str, basis: str, ends_at: dt.datetime,
                  source: str, by=None, now: dt.datetime | None = None, rule: str = "",
                  credit_event: CreditEvent | None = None) -> BlacklistEntry:
    """List an organization from now until `ends_at`. A regulator entry needs a regulator, a
    reason and an end date; an automatic one names its rule (and the event that triggered it,
    which makes it idempotent)."""
    now = now or timezone.now()
    reason = _checked_listing(source=source, by=by, reason=reason, ends_at=ends_at, now=now)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    check_listable(organization)
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
    effects = sanction_effects(organization=organization, sanction=BLACKLISTED, reason=reason,
                               by=by, now=now)
    notify_organization(organization=organization,
                        **_listed_notice(reason=reason, ends_at=ends_at))
    ratings_event.send(sender=BlacklistEntry, event=RatingsEvent.BLACKLISTED, entry_id=entry.pk)
    webhooks.sanction_event(webhooks.Event.SANCTION_LISTED, entry)
    audit.record(action="blacklist.added", actor=by, organization=organization, obj=entry,
                 data=_audit_data(source=source, rule=rule, reason=reason, basis=basis,
                                  ends_at=ends_at, effects=effects), now=now)
    return entry


@dataclass(frozen=True)
class Listing:
    """One organization of `blacklist_add_many`, with its own reason."""

    organization: Organization
    reason: str


@transaction.atomic
def blacklist_add_many(*, listings: list[Listing], basis: str, ends_at: dt.datetime,
                       source: str, by=None, now: dt.datetime | None = None, rule: str = "",
                       batch_size: int = 2000) -> list[BlacklistEntry]:
    """List many organizations at once (the grade-D rule of the nightly recompute): what
    `blacklist_add` does for each, with the same rules, entries, effects, notices,
    announcements, webhook events and audit entries, in one transaction of a few set-based
    statements instead of a full path per organization. Listings without a triggering credit
    event only (those are listed one by one, as their event is recorded)."""
    now = now or timezone.now()
    reasons = [_checked_listing(source=source, by=by, reason=listing.reason, ends_at=ends_at,
                                now=now) for listing in listings]
    ids = [listing.organization.pk for listing in listings]
    if len(set(ids)) != len(ids):
        raise ValueError("blacklist_add_many lists each organization once")
    locked: dict[int, Organization] = {}
    for start in range(0, len(ids), batch_size):  # in id order: two mass listings never deadlock
        locked.update((organization.pk, organization) for organization in
                      Organization.objects.select_for_update()
                      .filter(pk__in=ids[start:start + batch_size]).order_by("pk"))
    organizations = [locked[pk] for pk in ids]
    for organization in organizations:
        check_listable(organization)
    entries = BlacklistEntry.objects.bulk_create(
        [BlacklistEntry(organization=organization, reason=reason, basis=(basis or "").strip(),
                        source=source, rule=rule, starts_at=now, ends_at=ends_at,
                        created_by=by if source == Source.REGULATOR else None)
         for organization, reason in zip(organizations, reasons, strict=True)],
        batch_size=batch_size)
    sync_blacklisted_until_many(organizations, batch_size=batch_size)
    effects = sanction_effects_many(organizations=organizations, sanction=BLACKLISTED,
                                    reasons=reasons, by=by, now=now)
    notify_organizations([Notice(organization_id=organization.pk,
                                 **_listed_notice(reason=reason, ends_at=ends_at))
                          for organization, reason in zip(organizations, reasons, strict=True)])
    ratings_event.send(sender=BlacklistEntry, event=RatingsEvent.BLACKLISTED,
                       entry_ids=[entry.pk for entry in entries])
    webhooks.sanction_events(webhooks.Event.SANCTION_LISTED, entries)
    audit.record_many(
        [audit.Record(action="blacklist.added", organization=entry.organization, obj=entry,
                      data=_audit_data(source=source, rule=rule, reason=entry.reason,
                                       basis=basis, ends_at=ends_at, effects=effect))
         for entry, effect in zip(entries, effects, strict=True)], actor=by, now=now)
    return entries


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
    webhooks.sanction_event(webhooks.Event.SANCTION_LIFTED, entry)
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
            webhooks.sanction_event(webhooks.Event.SANCTION_LIFTED, entry)
            audit.record(action="blacklist.expired", organization=entry.organization,
                         obj=entry, data={"ends_at": entry.ends_at.isoformat()}, now=now)
            done += 1
    return done


# --- Appeals and credit repair ----------------------------------------------------------------


def _checked_evidence(files) -> list[dict]:
    files = list(files or ())
    if len(files) > MAX_EVIDENCE_FILES:
        raise DomainError(_("Attach at most %(n)s files.") % {"n": MAX_EVIDENCE_FILES},
                          field="evidence")
    return [checked_file_fields(f, field="evidence", stem="evidence") for f in files]


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
    notify(users=list(regulators()), kind="ratings.appeal_submitted",
           title=_("Blacklist appeal from %(name)s") % {"name": entry.organization.name},
           body=text[:500], url=reverse("cms_console:blacklist_requests"), email=False)
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
    notify(users=list(regulators()), kind="ratings.repair_requested",
           title=_("Credit repair request from %(name)s") % {"name": entry.organization.name},
           body=text[:500], url=reverse("cms_console:blacklist_requests"), email=False)
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
    effects = sanction_effects(organization=organization, sanction=EXITED, reason=reason,
                               by=by, now=now)
    notify_organization(organization=organization, kind="ratings.expelled",
                        title=_("Your organization has been removed from the market"),
                        body=reason, url=reverse("ratings:credit_detail", args=[organization.pk]))
    audit.record(action="organization.expelled", actor=by, organization=organization,
                 obj=market_exit, data={"reason": reason, "basis": basis,
                                        "ends_at": ends_at.isoformat(), **effects}, now=now)
    return market_exit
