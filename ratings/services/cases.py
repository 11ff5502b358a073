"""Violation cases: due process before a regulator's reasoned decision (DESIGN §4 "Blacklist").

    awaiting_reply ─ reply (by the organization, before `reply_due_at`) ─▶ replied
    awaiting_reply ─ decide (only once the reply period is over) ─▶ upheld | declined
    replied        ─ decide ─▶ upheld | declined

The reply deadline is enforced here, by the server's clock; an upheld case records one credit
event (idempotent on the case) and, where `ratings.policy.CASE_GROUNDS` says so, a blacklist entry.
"""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bidding.models import Bid, Project
from marketplace.accounts.models import Organization
from marketplace.actors import regulators, require_regulator
from marketplace.audit import services as audit
from marketplace.errors import DomainError, NotAllowed, StateConflict
from marketplace.files import checked_file_fields
from marketplace.formatting.moments import local_minute
from marketplace.notifications.services import notify, notify_organization
from marketplace.periods import add_period, setting_period
from marketplace.states import Transitions
from ratings.models import BlacklistEntry, CaseEvidence, ViolationCase
from ratings.policy import case_grounds
from ratings.rules import check_may_open_case, check_respondent_replies
from ratings.services.common import required_text

Status = ViolationCase.Status
Grounds = ViolationCase.Grounds
MAX_EVIDENCE_FILES = 10

CASE = Transitions(ViolationCase, {
    Status.AWAITING_REPLY: {Status.REPLIED, Status.UPHELD, Status.DECLINED},
    Status.REPLIED: {Status.UPHELD, Status.DECLINED},
    Status.UPHELD: set(),
    Status.DECLINED: set(),
})


def grounds_config(grounds: str) -> dict:
    return case_grounds()[grounds]


def _checked_evidence(files) -> list[dict]:
    files = list(files or ())
    if len(files) > MAX_EVIDENCE_FILES:
        raise DomainError(_("Attach at most %(n)s files.") % {"n": MAX_EVIDENCE_FILES},
                          field="evidence")
    return [checked_file_fields(f, field="evidence", stem="evidence") for f in files]


def owner_may_accuse(owner: Organization, agency: Organization,
                     project: Project | None = None) -> bool:
    """An owner may open a case about an agency it contracted with or that bid on one of its
    projects. Only bids of opened projects count: before opening, who bid is sealed, and a
    refusal here must not tell the owner whether an agency bid."""
    from contracts.models import Contract

    bids = Bid.objects.filter(agency=agency, project__owner=owner,
                              project__opened_at__isnull=False)
    contracts = Contract.objects.filter(agency=agency, owner=owner)
    if project is not None:
        bids = bids.filter(project=project)
        contracts = contracts.filter(project=project)
    return bids.exists() or contracts.exists()


def is_party(case: ViolationCase, organization: Organization | None) -> bool:
    return organization is not None and organization.pk in (
        case.respondent_id, case.opened_by_organization_id)




def visible_cases(organization: Organization | None):
    """The cases a viewer may read: regulators all, an organization those it is party to."""
    cases = ViolationCase.objects.select_related("respondent", "opened_by_organization",
                                                 "project")
    if organization is None:
        return cases.none()
    if organization.is_regulator:
        return cases
    return cases.filter(Q(respondent=organization) | Q(opened_by_organization=organization))


def reply_open(case: ViolationCase, now: dt.datetime) -> bool:
    return case.status == Status.AWAITING_REPLY and now < case.reply_due_at


@transaction.atomic
def case_open(*, respondent: Organization, grounds: str, statement: str, by,
              project: Project | None = None, files: Sequence = (),
              now: dt.datetime | None = None) -> ViolationCase:
    """An owner (about an agency it dealt with) or a regulator opens a case with evidence; the
    organization is told and may reply until `MARKETPLACE_REPLY_PERIOD` from now."""
    now = now or timezone.now()
    opener = check_may_open_case(by=by)
    if grounds not in Grounds.values:
        raise DomainError(_("Choose the grounds of the case."), field="grounds")
    statement = required_text(statement, "statement", _("State the facts of the case."))
    if respondent.is_regulator or respondent.pk == opener.pk:
        raise DomainError(_("A case can only concern an agency or another owner."),
                          field="respondent")
    if opener.is_owner:
        if not respondent.is_agency:
            raise DomainError(_("An owner can open a case only about an agency."),
                              field="respondent")
        if project is not None and project.owner_id != opener.pk:
            raise DomainError(_("Choose one of your own projects."), field="project")
        if not owner_may_accuse(opener, respondent, project):
            raise NotAllowed(_("An owner can open a case only about an agency it contracted "
                               "with or that bid on its project."))
    checked = _checked_evidence(files)
    case = ViolationCase.objects.create(
        respondent=respondent, opened_by_organization=opener, opened_by=by, project=project,
        grounds=grounds, statement=statement, opened_at=now,
        reply_due_at=add_period(now, setting_period("MARKETPLACE_REPLY_PERIOD")))
    for fields in checked:
        CaseEvidence.objects.create(case=case, party=CaseEvidence.Party.OPENER,
                                    uploaded_at=now, **fields)
    notify_organization(
        organization=respondent, kind="ratings.case_opened",
        title=_("A violation case concerns your organization"),
        body=_("Grounds: %(grounds)s. You may reply with your own evidence until %(due)s.")
        % {"grounds": case.get_grounds_display(),
           "due": local_minute(case.reply_due_at)},
        url=case.get_absolute_url())
    if not opener.is_regulator:
        notify(users=list(regulators()), kind="ratings.case_opened", email=False,
               title=_("New violation case about %(name)s") % {"name": respondent.name},
               body=case.get_grounds_display(), url=case.get_absolute_url())
    audit.record(action="case.opened", actor=by, organization=opener, obj=case,
                 data={"respondent": respondent.pk, "grounds": grounds,
                       "project": project.pk if project else None,
                       "reply_due_at": case.reply_due_at.isoformat(),
                       "evidence": sorted(f["sha256"] for f in checked)}, now=now)
    return case


def _lock(case: ViolationCase) -> ViolationCase:
    return (ViolationCase.objects.select_for_update()
            .select_related("respondent", "opened_by_organization").get(pk=case.pk))


@transaction.atomic
def case_reply(*, case: ViolationCase, text: str, by, files: Sequence = (),
               now: dt.datetime | None = None) -> ViolationCase:
    """The organization's one answer, with its evidence, before the reply period ends."""
    now = now or timezone.now()
    case = _lock(case)
    organization = check_respondent_replies(case=case, by=by)
    text = required_text(text, "text", _("Write your reply."))
    checked = _checked_evidence(files)
    if case.status != Status.AWAITING_REPLY:
        raise StateConflict(_("This case no longer accepts a reply."))
    if now >= case.reply_due_at:
        raise StateConflict(_("The reply period ended on %(due)s.") % {
            "due": local_minute(case.reply_due_at)})
    for fields in checked:
        CaseEvidence.objects.create(case=case, party=CaseEvidence.Party.RESPONDENT,
                                    uploaded_at=now, **fields)
    case.reply, case.replied_at, case.replied_by = text, now, by
    CASE.move(case, Status.REPLIED, update_fields=["reply", "replied_at", "replied_by"],
              action="case.replied", actor=by, organization=organization,
              data={"evidence": sorted(f["sha256"] for f in checked)}, now=now)
    notify_organization(organization=case.opened_by_organization, kind="ratings.case_replied",
                        title=_("The organization replied to your violation case"),
                        body=_("%(name)s replied; a regulator will decide.")
                        % {"name": case.respondent.name}, url=case.get_absolute_url())
    notify(users=list(regulators()), kind="ratings.case_replied", email=False,
           title=_("A violation case is ready for decision"),
           body=_("%(name)s replied; a regulator will decide.") % {"name": case.respondent.name},
           url=reverse("cms_console:case_decide", args=[case.pk]))
    return case


@transaction.atomic
def case_decide(*, case: ViolationCase, upheld: bool, decision: str, by,
                decline_reason: str = "", blacklist_until: dt.datetime | None = None,
                now: dt.datetime | None = None) -> ViolationCase:
    """A regulator's written decision. Before the reply period ends it is allowed only once the
    organization has replied. Upheld: the grounds' credit event (once per case) and, where the
    grounds say so or the regulator gives `blacklist_until`, a blacklist entry."""
    from ratings.services import blacklist_add, credit_event_record

    now = now or timezone.now()
    regulator = require_regulator(by)
    decision = required_text(decision, "decision", _("Write the decision and its reasons."))
    if not upheld and decline_reason not in (ViolationCase.DeclineReason.NO_VIOLATION,
                                             ViolationCase.DeclineReason.INSUFFICIENT_EVIDENCE):
        raise DomainError(_("Say why the case is declined."), field="decline_reason")
    if blacklist_until is not None and (not upheld or blacklist_until <= now):
        raise DomainError(_("A listing needs an upheld case and an end date in the future."),
                          field="blacklist_until")
    case = _lock(case)
    if case.is_decided:
        raise StateConflict(_("This case has already been decided."))
    if reply_open(case, now):
        raise StateConflict(_("The organization may reply until %(due)s; decide after that "
                              "or once it has replied.")
                            % {"due": local_minute(case.reply_due_at)})
    to = Status.UPHELD if upheld else Status.DECLINED
    CASE.check(case, to)
    case.decision, case.decided_at = decision, now
    case.decided_by, case.decided_by_organization = by, regulator
    case.decline_reason = "" if upheld else decline_reason
    if upheld:
        config = grounds_config(case.grounds)
        event = credit_event_record(
            organization=case.respondent, event_type=config["event_type"], basis=decision,
            public_note=_("Violation case upheld: %(grounds)s")
            % {"grounds": case.get_grounds_display()},
            source_kind="violation_case", source_id=case.pk,
            data={"case": case.pk, "grounds": case.grounds}, by=by, now=now)
        case.credit_event = event
        # A serious event is listed by the automatic rule inside credit_event_record.
        entry = (BlacklistEntry.objects.filter(credit_event=event)
                 .order_by("id").first())
        ends_at = blacklist_until or (add_period(now, config["blacklist"])
                                      if config.get("blacklist") else None)
        if entry is None and ends_at is not None:
            entry = blacklist_add(
                organization=case.respondent, reason=_("Violation case upheld: %(grounds)s")
                % {"grounds": case.get_grounds_display()}, basis=decision, ends_at=ends_at,
                source=BlacklistEntry.Source.REGULATOR, by=by, now=now)
        case.blacklist_entry = entry
    CASE.move(case, to, update_fields=None, action="case.decided", actor=by,
              organization=regulator,
              data={"upheld": upheld, "decline_reason": case.decline_reason,
                    "credit_event": case.credit_event_id,
                    "blacklist_entry": case.blacklist_entry_id}, now=now)
    for organization in (case.respondent, case.opened_by_organization):
        notify_organization(organization=organization, kind="ratings.case_decided",
                            title=_("Violation case decided: %(status)s")
                            % {"status": case.get_status_display()},
                            body=decision, url=case.get_absolute_url())
    return case
