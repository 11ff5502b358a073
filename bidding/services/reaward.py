"""Passing a final award to the next bid when the winner did not sign the contract in time
(DESIGN §4 "Contracts": the owner may award the next-ranked valid bid, or redraw for
`random`, which starts a new publicity period). Called by the contracts app, which checks
that the contract lapsed through the agency's refusal."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from bidding import states
from bidding.models import Bid, Project
from bidding.services.award import project_award, standing_award
from bidding.services.common import ensure_owner, lock_project, now_or, reindex_later
from bidding.services.evaluation import fail, save_ranks, valid_bids
from marketplace.audit import services as audit
from marketplace.errors import StateConflict

Status = Project.Status


@transaction.atomic
def project_award_next(*, project: Project, excluded_bid: Bid, by, reason: str,
                       now: dt.datetime | None = None) -> Project:
    """Cancel the final award of `excluded_bid` with `reason`, exclude that bid and propose the
    next one by the project's method (`lowest_price` / `comprehensive`: the new rank 1;
    `random`: a new draw with the same committed secret over the remaining bids; `direct`: the
    project waits in evaluation for the owner's choice). The competition already took place,
    so `min_bidders` is not applied again: the project fails only when no valid bid is left."""
    now = now_or(now)
    project = lock_project(project)
    owner = ensure_owner(project, by)
    award = standing_award(project)
    if project.status != Status.AWARDED or award is None or not award.final:
        raise StateConflict(_("Only a final award can pass to the next bid."))
    if award.bid_id != excluded_bid.pk:
        raise StateConflict(_("The final award is not for this bid."))
    award.cancelled_at = now
    award.cancel_reason = reason
    award.save(update_fields=["cancelled_at", "cancel_reason"])
    bid = Bid.objects.select_for_update().get(pk=excluded_bid.pk)
    bid.valid = False
    bid.rank = None
    with translation.override(settings.LANGUAGE_CODE):
        bid.invalid_reason = _("Excluded after the award: %(reason)s") % {"reason": reason}
    bid.save(update_fields=["valid", "rank", "invalid_reason"])
    states.move(project, Status.EVALUATING)
    project.updated_at = now
    project.save()
    reindex_later(project)
    audit.record(action="project.award_passed_on", actor=by, organization=owner, obj=project,
                 data={"award": award.pk, "excluded_bid": bid.pk, "reason": reason}, now=now)
    remaining = valid_bids(project)
    save_ranks(project, remaining)
    if not remaining:
        fail(project, count=0, now=now, by=by)
        return project
    if project.selection_method == Project.Method.DIRECT:
        return project
    return project_award(project=project, by=by, now=now)
