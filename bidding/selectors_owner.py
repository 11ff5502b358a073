"""Reads of the owner's workspace: its projects, one project's timeline and "what you can do
now" (every owner action, possible or not, with the reason). The page and the tests share them.

Bids are read only through `bidding.selectors` (the sealed-bid rule); before opening nothing
here looks at a bid beyond the public count.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from bidding import rules, selectors
from bidding.models import Award, Bid, Draw, Objection, Project
from marketplace.accounts.models import Organization
from marketplace.audit.models import AuditEntry
from marketplace.audit.selectors import visible_entries
from marketplace.errors import NotFound, refusal_of
from marketplace.formatting.moments import local_minute

Status = Project.Status


def owner_projects(owner: Organization, *, status: str = "") -> QuerySet[Project]:
    """Every project of `owner`, drafts included, newest first, with `unanswered_questions`:
    the questions still waiting for an answer while they can be answered (while bidding)."""
    projects = (Project.objects.filter(owner=owner)
                .select_related("service_item", "region")
                .annotate(live_bid_count=Count(
                    "bids", filter=Q(bids__status__in=selectors.OPENED_STATUSES), distinct=True),
                    unanswered_questions=Count(
                        "questions", filter=Q(status=Status.BIDDING,
                                              questions__answered_at__isnull=True),
                        distinct=True))
                .order_by(F("published_at").desc(nulls_first=True), "-created_at", "-id"))
    if status:
        projects = projects.filter(status=status)
    return projects


def owner_project(pk, organization: Organization | None) -> Project:
    """The project if `organization` owns it; NotFound (404) for anyone else, so nobody learns
    which drafts exist."""
    if organization is None:
        raise NotFound()
    try:
        return (Project.objects.select_related("owner", "service_item", "region",
                                               "previous_round")
                .annotate(live_bid_count=Count(
                    "bids", filter=Q(bids__status__in=selectors.OPENED_STATUSES), distinct=True))
                .get(pk=pk, owner=organization))
    except (Project.DoesNotExist, ValueError, TypeError):
        raise NotFound()


# --- What the owner can do now ------------------------------------------------------------

EDIT, PUBLISH, CANCEL, AMEND, OPEN, DECIDE_JUSTIFICATION, AWARD, FINALIZE, REPUBLISH = (
    "edit", "publish", "cancel", "amend", "open", "decide_justification", "award", "finalize",
    "republish")


@dataclass
class Action:
    code: str
    label: str
    possible: bool
    reason: str = ""  # why not, when not possible


@dataclass
class OwnerFacts:
    """What the actions depend on besides the project row; loaded once for the page."""

    award: Award | None = None
    pending_objections: int = 0
    undecided_prices: int = 0
    valid_bids: int = 0
    has_next_round: bool = False
    extra: dict = field(default_factory=dict)


def owner_facts(project: Project) -> OwnerFacts:
    facts = OwnerFacts(has_next_round=project.next_rounds.exists())
    if project.is_opened:
        # After opening the owner sees every bid (FULL access), so counting them is no leak.
        counts = Bid.objects.filter(project=project, status__in=Bid.LIVE_STATUSES,
                                    valid=True).aggregate(
            valid=Count("id"),
            undecided=Count("id", filter=Q(abnormally_low=True,
                                           justification_decision=Bid.Decision.PENDING)))
        facts.valid_bids = counts["valid"]
        facts.undecided_prices = counts["undecided"]
    if project.status in (Status.PUBLICITY, Status.AWARDED, Status.EVALUATING):
        facts.award = selectors.standing_award(project)
        if facts.award is not None:
            facts.pending_objections = Objection.objects.filter(
                award=facts.award, status=Objection.Status.PENDING).count()
    return facts


def owner_actions(project: Project, now: dt.datetime, facts: OwnerFacts | None = None
                  ) -> list[Action]:
    """Every owner action with whether it is possible at `now` and, if not, why not: each asks
    the rule its service calls (`bidding.rules`), so the reason is the service's own refusal.
    The services still decide (a race may still refuse)."""
    facts = facts if facts is not None else owner_facts(project)
    actions = []

    def add(code, label, rule, **facts_of_rule):
        refusal = refusal_of(rule, project=project, **facts_of_rule)
        actions.append(Action(code, label, refusal is None,
                              str(refusal.message) if refusal is not None else ""))

    add(EDIT, _("Edit the draft"), rules.check_can_edit)
    add(PUBLISH, _("Publish"), rules.check_can_publish, now=now)
    add(CANCEL, _("Cancel the project"), rules.check_can_cancel)
    add(AMEND, _("Publish a correction notice"), rules.check_can_amend, now=now)
    add(OPEN, _("Open the bids"), rules.check_can_open, now=now)
    add(DECIDE_JUSTIFICATION, _("Decide on abnormally low prices"),
        rules.check_prices_to_decide, undecided_prices=facts.undecided_prices)
    add(AWARD, _("Propose the award"), rules.check_can_award, now=now,
        valid_bids=facts.valid_bids, undecided_prices=facts.undecided_prices)
    add(FINALIZE, _("Make the award final"), rules.check_can_finalize, now=now,
        award=facts.award, pending_objections=facts.pending_objections)
    add(REPUBLISH, _("Post a new round"), rules.check_can_republish, now=now,
        has_next_round=facts.has_next_round)
    return actions


def actions_by_code(actions: list[Action]) -> dict[str, Action]:
    return {action.code: action for action in actions}


# --- Where the award stands -----------------------------------------------------------------

PUBLICITY, OBJECTION_PENDING, PUBLICITY_OVER, FINAL = (
    "publicity", "objection_pending", "publicity_over", "final")


@dataclass
class AwardStage:
    """Where the standing award is, in words for the owner: `code` is one of PUBLICITY,
    OBJECTION_PENDING, PUBLICITY_OVER (the owner may make it final now) and FINAL."""

    code: str
    text: str


def award_stage(project: Project, now: dt.datetime, facts: OwnerFacts) -> AwardStage | None:
    """The same facts as the finalize action (`owner_actions`), told as the award's state."""
    award = facts.award
    if award is None:
        return None
    end = {"end": local_minute(award.publicity_ends_at)}
    if award.final or project.status == Status.AWARDED:
        return AwardStage(FINAL, _("The award is final; the contract is drawn up for "
                                   "signing."))
    if facts.pending_objections:
        return AwardStage(OBJECTION_PENDING, _(
            "%(count)s objection(s) await your decision; the award becomes final only after "
            "they are decided (publicity until %(end)s).")
            % {"count": facts.pending_objections, **end})
    if now < award.publicity_ends_at:
        return AwardStage(PUBLICITY, _("Under publicity until %(end)s: bidders may object "
                                       "until then.") % end)
    return AwardStage(PUBLICITY_OVER, _("The publicity period ended at %(end)s with no "
                                        "objection pending: you can now make the award "
                                        "final.") % end)


# --- Timeline -------------------------------------------------------------------------------

@dataclass
class Event:
    at: dt.datetime
    label: str
    detail: str = ""


def timeline(project: Project) -> list[Event]:
    """What happened to the project, oldest first, from its rows and its audit entries."""
    events = [Event(project.created_at, _("Draft created"))]
    if project.previous_round_id:
        events[0].detail = _("New round of project #%(pk)s") % {"pk": project.previous_round_id}
    if project.published_at:
        events.append(Event(project.published_at, _("Announcement published"),
                            _("Bid deadline %(deadline)s") % {
                                "deadline": local_minute(project.bid_deadline)}))
    for amendment in project.amendments.all():
        events.append(Event(amendment.published_at, _("Correction notice published"),
                            amendment.reason))
    if project.opened_at:
        events.append(Event(project.opened_at, _("Bids opened")))
    for award in Award.objects.filter(project=project).select_related("bid__agency"):
        events.append(Event(award.proposed_at, _("Award proposed"), award.bid.agency.name))
        if award.cancelled_at:
            events.append(Event(award.cancelled_at, _("Award cancelled"), award.cancel_reason))
        if award.finalized_at:
            events.append(Event(award.finalized_at, _("Award final"), award.bid.agency.name))
    for draw in Draw.objects.filter(project=project):
        events.append(Event(draw.drawn_at, _("Random draw performed"),
                            _("Seed %(seed)s") % {"seed": draw.seed[:16]}))
    for objection in Objection.objects.filter(project=project):
        events.append(Event(objection.filed_at, _("Objection filed")))
        if objection.decided_at:
            events.append(Event(objection.decided_at, _("Objection decided"),
                                objection.get_status_display()))
    if project.cancelled_at:
        events.append(Event(project.cancelled_at, _("Cancelled"), project.cancel_reason))
    for entry in visible_entries(AuditEntry.objects.filter(
            object_type=Project._meta.label_lower, object_id=str(project.pk),
            action__in=("project.failed", "project.documents_attached"))).order_by("id"):
        if entry.action == "project.failed":
            events.append(Event(entry.created_at, _("Bidding failed"), project.failed_reason))
        else:
            events.append(Event(entry.created_at, _("Documents attached"),
                                ", ".join(d.get("name", "") for d in
                                          entry.data.get("documents", []))))
    for round_ in project.next_rounds.all():
        events.append(Event(round_.created_at, _("New round posted"),
                            _("Project #%(pk)s") % {"pk": round_.pk}))
    return sorted(events, key=lambda event: event.at)
