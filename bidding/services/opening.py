"""Opening the bids (开标): at the deadline by the beat task, or when the owner asks after it.

Idempotent and safe when two workers run it at once: the project row is locked and its status
re-read under the lock, so the second caller finds it opened and does nothing.
"""

import datetime as dt
import logging
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from bidding import sealing, states, webhooks
from bidding.models import Bid, Project
from bidding.rules import check_can_open
from bidding.services import eligibility
from bidding.services.common import ensure_owner, lock_project, notify_later, now_or
from bidding.services.evaluation import enough_valid_bids, fail, save_ranks
from bidding.signals import ProjectEvent
from marketplace.audit import services as audit
from marketplace.errors import DomainError

logger = logging.getLogger(__name__)
Status = Project.Status

# A price below this share of the valid bids' mean is abnormally low (异常低价).
ABNORMALLY_LOW_SHARE = Decimal("0.5")


def _validity(project: Project, bid: Bid, now: dt.datetime) -> str:
    """Why `bid` does not count at opening ("" when it does)."""
    if bid.needs_reconfirmation:
        return _("Not re-confirmed after the correction notice.")
    problem = eligibility.agency_problem(project=project, agency=bid.agency, now=now)
    if problem is None:
        problem = eligibility.offer_problem(project=project, price=bid.price)
    return str(problem.message) if problem is not None else ""


def flag_abnormally_low(bids: list[Bid]) -> None:
    if not bids:
        return
    mean = sum((b.price for b in bids), Decimal(0)) / len(bids)
    for bid in bids:
        bid.abnormally_low = bid.price < mean * ABNORMALLY_LOW_SHARE


@transaction.atomic
def project_open(*, project: Project | int, by=None, now: dt.datetime | None = None) -> Project:
    """Open the bids of a project whose deadline has passed. `by` None is the platform (task);
    a user must be the owner. Opening an opened project returns it unchanged."""
    now = now_or(now)
    project = lock_project(project)
    if by is not None:
        ensure_owner(project, by)
    if project.is_opened:
        return project  # both workers may get here; the first one did the work
    check_can_open(project=project, now=now)
    # First: a missing or wrong key refuses the opening before anything is written.
    sealing.open_project(project)
    bids = list(Bid.objects.select_for_update().filter(
        project=project, status__in=Bid.LIVE_STATUSES).select_related("agency").order_by("id"))
    with translation.override(settings.LANGUAGE_CODE):
        for bid in bids:
            bid.invalid_reason = _validity(project, bid, now)
            bid.valid = not bid.invalid_reason
            bid.credit_score_at_opening = bid.agency.credit_score
    valid = [b for b in bids if b.valid]
    flag_abnormally_low(valid)
    Bid.objects.bulk_update(bids, ["valid", "invalid_reason", "credit_score_at_opening",
                                   "abnormally_low"])
    save_ranks(project, valid)
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
    """Open every project whose deadline has passed; each in its own transaction."""
    now = now_or(now)
    due = list(Project.objects.filter(status=Status.BIDDING, bid_deadline__lte=now)
               .order_by("bid_deadline").values_list("pk", flat=True)[:limit])
    opened = 0
    for pk in due:
        try:
            project_open(project=pk, now=now)
            opened += 1
        except DomainError as exc:
            logger.warning("Opening project %s refused: %s", pk, exc)
    return opened
