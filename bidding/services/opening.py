"""Opening the bids (开标): at the deadline by the beat task, or when the owner asks after it.

Idempotent and safe when two workers run it at once: the project row is locked and its status
re-read under the lock, so the second caller finds it opened and does nothing.
"""

import datetime as dt
import logging
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bidding import sealing, selectors, states, webhooks
from bidding.models import Bid, Project
from bidding.models.bids import SEALED_FIELDS
from bidding.rules import check_can_open
from bidding.services import eligibility
from bidding.services.common import ensure_owner, lock_project, notify_later, now_or
from bidding.services.evaluation import enough_valid_bids, fail, rank_in_memory
from bidding.signals import ProjectEvent
from marketplace.audit import services as audit
from marketplace.bulk import update_rows
from marketplace.errors import DomainError
from marketplace.outbox import services as outbox

logger = logging.getLogger(__name__)
Status = Project.Status

# A price below this share of the valid bids' mean is abnormally low (异常低价).
ABNORMALLY_LOW_SHARE = Decimal("0.5")


def _validity(project: Project, bid: Bid, now: dt.datetime,
              facts: eligibility.AgencyFacts | None = None) -> str:
    """Why `bid` does not count at opening ("" when it does)."""
    if bid.needs_reconfirmation:
        return _("Not re-confirmed after the correction notice.")
    problem = eligibility.agency_problem(project=project, agency=bid.agency, now=now,
                                         facts=facts)
    if problem is None:
        problem = eligibility.offer_problem(project=project, price=bid.price)
    return str(problem.message) if problem is not None else ""


def flag_abnormally_low(bids: list[Bid]) -> None:
    if not bids:
        return
    mean = sum((b.price for b in bids), Decimal(0)) / len(bids)
    for bid in bids:
        bid.abnormally_low = bid.price < mean * ABNORMALLY_LOW_SHARE


# The columns the opening writes, in one statement per bid (`marketplace.bulk.update_rows`).
OPENED_FIELDS = (*SEALED_FIELDS, "sealed_contents", "valid", "invalid_reason",
                 "credit_score_at_opening", "abnormally_low", "rank", "score")
# The beat's task hands the due projects to the workers in chunks of this many (one task each),
# so that every worker process opens some.
OPEN_CHUNK = 25


@transaction.atomic
def project_open(*, project: Project | int, by=None, now: dt.datetime | None = None) -> Project:
    """Open the bids of a project whose deadline has passed. `by` None is the platform (task);
    a user must be the owner. Opening an opened project returns it unchanged.

    Every bid is read once (under the project's lock: no bid action can interleave), decrypted,
    checked, ranked in memory and written back in one statement; the agencies' rows are read,
    not locked (two openings sharing bidders do not wait for each other)."""
    now = now_or(now)
    # What the audit entry and its OCDS release read of the project, read along.
    project = lock_project(project, related=("owner__region", "service_item", "region"))
    if by is not None:
        ensure_owner(project, by)
    if project.is_opened:
        return project  # both workers may get here; the first one did the work
    check_can_open(project=project, now=now)
    every = list(Bid.objects.select_for_update(of=("self",)).filter(project=project)
                 .select_related("agency").order_by("id"))
    # First: a missing or wrong key refuses the opening before anything is written.
    sealing.unseal_for_opening(project, every)
    bids = [bid for bid in every if bid.is_live]
    facts = eligibility.AgencyFacts.for_agencies(project, {b.agency_id for b in bids}, now)
    with translation.override(settings.LANGUAGE_CODE):
        for bid in bids:
            bid.invalid_reason = _validity(project, bid, now, facts)
            bid.valid = not bid.invalid_reason
            bid.credit_score_at_opening = bid.agency.credit_score
    valid = [b for b in bids if b.valid]
    flag_abnormally_low(valid)
    rank_in_memory(project, every, valid)
    update_rows(every, OPENED_FIELDS)
    project.opened_at = now
    audit_data = {"bids": len(bids), "valid_bids": len(valid),
                  "receipts": sorted(b.receipt for b in bids)}
    if not enough_valid_bids(project, len(valid)):
        audit.record(action="project.opened", actor=by, organization=project.owner,
                     obj=project, data=audit_data, now=now)
        fail(project, count=len(valid), now=now, by=by)
        webhooks.bids_opened(project, bids)
        return project
    states.move(project, Status.EVALUATING)
    project.updated_at = now
    project.save()
    notify_later(ProjectEvent.OPENED, project_id=project.pk)
    webhooks.bids_opened(project, bids)
    for bid in valid:
        if bid.abnormally_low:
            notify_later(ProjectEvent.ABNORMALLY_LOW, bid_id=bid.pk)
    audit.record(action="project.opened", actor=by, organization=project.owner, obj=project,
                 data=audit_data, now=now)
    return project


def open_due_projects(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Open every project whose deadline has passed, here; each in its own transaction."""
    now = now_or(now)
    return open_projects(due_project_ids(now=now, limit=limit), now=now)


def due_project_ids(*, now: dt.datetime, limit: int | None = None) -> list[int]:
    due = (Project.objects.filter(status=Status.BIDDING, bid_deadline__lte=now)
           .order_by("bid_deadline", "pk").values_list("pk", flat=True))
    return list(due[:limit] if limit else due)


@transaction.atomic
def projects_open_together(project_ids, *, now: dt.datetime) -> int:
    """Open those of these projects that are due (open for bids, deadline passed) in one
    transaction: the chunk of one deadline's openings the beat handed to a worker.

    The outcome is `project_open`'s for each (the same bid columns, audit entries, OCDS
    releases, notices, announcements and webhook events), in statements whose number does not
    grow with the projects or their bids, except for the projects that fail for too few valid
    bids (`fail`, one by one). Every project row is locked first, in id order; a refusal (a
    missing seal key) rolls them all back, and the caller then opens them one by one. Returns
    how many were opened (or failed)."""
    projects = list(Project.objects.select_for_update(of=("self",))
                    .select_related("owner__region", "service_item", "region")
                    .filter(pk__in=list(project_ids), status=Status.BIDDING,
                            bid_deadline__lte=now).order_by("pk"))
    if not projects:
        return 0
    for project in projects:
        check_can_open(project=project, now=now)
    every = list(Bid.objects.select_for_update(of=("self",)).filter(project__in=projects)
                 .select_related("agency__region").order_by("id"))
    sealing.unseal_many_for_opening(every)
    bids = {project.pk: [] for project in projects}
    for bid in every:
        bids[bid.project_id].append(bid)
    live = {pk: [bid for bid in of_project if bid.is_live] for pk, of_project in bids.items()}
    facts = eligibility.AgencyFacts.for_projects(
        [(project, {bid.agency_id for bid in live[project.pk]}) for project in projects], now)
    valid = {}
    with translation.override(settings.LANGUAGE_CODE):
        for project in projects:
            for bid in live[project.pk]:
                bid.invalid_reason = _validity(project, bid, now, facts[project.pk])
                bid.valid = not bid.invalid_reason
                bid.credit_score_at_opening = bid.agency.credit_score
            valid[project.pk] = [bid for bid in live[project.pk] if bid.valid]
            flag_abnormally_low(valid[project.pk])
            rank_in_memory(project, bids[project.pk], valid[project.pk])
    update_rows(every, OPENED_FIELDS)
    # The releases show the bids as just written: sorted from memory, not read again.
    public = selectors.public_bids_by_project(projects, every)
    failing = []
    for project in projects:
        project.opened_at = project.updated_at = now
        project.ocds_bids = public[project.pk]
        if enough_valid_bids(project, len(valid[project.pk])):
            states.move(project, Status.EVALUATING)
        else:
            failing.append(project)
    # Those that fail save theirs in `fail`, after their "opened" entry (as `project_open`).
    opening = [project for project in projects if project not in failing]
    update_rows(opening, ("status", "opened_at", "updated_at"))
    with outbox.collected():
        for project in opening:
            notify_later(ProjectEvent.OPENED, project_id=project.pk)
            for bid in valid[project.pk]:
                if bid.abnormally_low:
                    notify_later(ProjectEvent.ABNORMALLY_LOW, bid_id=bid.pk)
        webhooks.bids_opened_many([(project, live[project.pk]) for project in projects])
        audit.record_many([
            audit.Record(action="project.opened", organization=project.owner, obj=project,
                         data={"bids": len(live[project.pk]),
                               "valid_bids": len(valid[project.pk]),
                               "receipts": sorted(b.receipt for b in live[project.pk])})
            for project in projects], now=now)
        for project in failing:
            fail(project, count=len(valid[project.pk]), now=now)
    return len(projects)


def open_projects(project_ids, *, now: dt.datetime | None = None) -> int:
    """Open these projects if they are still due: a chunk the beat's task handed out, perhaps
    twice (the next tick may come before the chunk ran; the opening is idempotent, and the
    lock's condition skips those already opened). Together in one transaction
    (`projects_open_together`); when that is refused (a project's seal key is missing), each in
    its own, so that one broken project does not hold up the others. `now`: the openings'
    moment, the current one unless given. Returns how many are opened (or failed)."""
    try:
        return projects_open_together(project_ids, now=now or timezone.now())
    except DomainError as exc:
        logger.warning("Opening projects %s together refused (%s); opening them one by one",
                       list(project_ids), exc)
    still_due = list(Project.objects.filter(pk__in=list(project_ids), status=Status.BIDDING)
                     .order_by("bid_deadline", "pk").values_list("pk", flat=True))
    opened = 0
    for pk in still_due:
        try:
            project_open(project=pk, now=now or timezone.now())
        except DomainError as exc:
            logger.warning("Opening project %s refused: %s", pk, exc)
            continue
        opened += 1
    return opened


def chunks_of_due(*, now: dt.datetime | None = None) -> list[list[int]]:
    """The due projects in chunks of OPEN_CHUNK, oldest deadline first (the beat's task sends
    one task per chunk)."""
    due = due_project_ids(now=now_or(now))
    return [due[i:i + OPEN_CHUNK] for i in range(0, len(due), OPEN_CHUNK)]
