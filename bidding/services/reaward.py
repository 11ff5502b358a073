"""Passing an award on to the next bid (DESIGN §4 "Contracts", "Blacklist").

Two roads lead here. The owner, when the winner did not sign the contract in time
(`project_award_next`, called by the contracts app once it checked the lapse was the agency's);
and the platform, when the winner was blacklisted, suspended or removed from the market while
its award was under publicity or its contract awaited signatures (`award_withdraw`, called by
the sanction in ratings). Either way the competition already took place, so `min_bidders` is
not applied again: the next bid is proposed by the project's method (a new publicity period),
`direct` waits for the owner's choice, and the project fails only when no valid bid is left.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from bidding import states
from bidding.models import Award, Bid, Objection, Project
from bidding.rules import check_owner_may_award
from bidding.services.award import propose_award, standing_award
from bidding.services.common import ensure_owner, lock_project, notify_later, now_or, reindex_later
from bidding.services.evaluation import fail, save_ranks, valid_bids
from bidding.signals import ProjectEvent
from marketplace.audit import services as audit
from marketplace.errors import StateConflict

Status = Project.Status


def _pass_on(project: Project, award: Award, *, reason: str, bid_reason: str, by,
             now: dt.datetime, action: str, proposer) -> Project:
    """Cancel `award`, exclude its bid and propose the next one. Called under the project's
    lock; `reason` is public (the announcement says it), `bid_reason` is the excluded bid's."""
    award.cancelled_at = now
    award.cancel_reason = reason
    award.save(update_fields=["cancelled_at", "cancel_reason"])
    # Objections against a withdrawn award have nothing left to decide.
    states.OBJECTION.move_all(Objection.objects.filter(award=award), Objection.Status.MOOT,
                              decided_at=now)
    bid = Bid.objects.select_for_update().get(pk=award.bid_id)
    bid.valid = False
    bid.rank = None
    bid.invalid_reason = bid_reason
    bid.save(update_fields=["valid", "rank", "invalid_reason"])
    states.move(project, Status.EVALUATING)
    project.updated_at = now
    project.save()
    reindex_later(project)
    notify_later(ProjectEvent.AWARD_WITHDRAWN, project_id=project.pk, award_id=award.pk)
    audit.record(action=action, actor=by, organization=project.owner, obj=project,
                 data={"award": award.pk, "excluded_bid": bid.pk, "reason": reason}, now=now)
    remaining = valid_bids(project)
    save_ranks(project, remaining)
    if not remaining:
        fail(project, count=0, now=now, by=by)
        return project
    if project.selection_method == Project.Method.DIRECT or any(
            b.awaits_justification_decision for b in remaining):
        return project  # the owner's choice (or decision on a low price) comes first
    return propose_award(project, by=proposer, now=now, owner_acts=False)


@transaction.atomic
def project_award_next(*, project: Project, excluded_bid: Bid, by, reason: str,
                       now: dt.datetime | None = None) -> Project:
    """The owner passes the final award of `excluded_bid` on, with `reason` (the winner did not
    sign in time)."""
    now = now_or(now)
    project = lock_project(project)
    check_owner_may_award(owner=ensure_owner(project, by), now=now)
    award = standing_award(project)
    if project.status != Status.AWARDED or award is None or not award.final:
        raise StateConflict(_("Only a final award can pass to the next bid."))
    if award.bid_id != excluded_bid.pk:
        raise StateConflict(_("The final award is not for this bid."))
    with translation.override(settings.LANGUAGE_CODE):
        bid_reason = _("Excluded after the award: %(reason)s") % {"reason": reason}
    return _pass_on(project, award, reason=reason, bid_reason=bid_reason, by=by, now=now,
                    action="project.award_passed_on", proposer=by)


@transaction.atomic
def award_withdraw(*, project: Project | int, agency_id: int, reason: str, bid_reason: str,
                   by=None, now: dt.datetime | None = None) -> Project | None:
    """The platform withdraws the standing award of `agency_id` (under publicity, or final with
    its contract lapsed for the sanction) and passes it on; None when the project has no such
    award. `by` is the regulator whose decision caused it, for the audit entry."""
    now = now_or(now)
    project = lock_project(project)
    award = standing_award(project)
    if (award is None or award.bid.agency_id != agency_id
            or project.status not in (Status.PUBLICITY, Status.AWARDED)):
        return None
    return _pass_on(project, award, reason=reason, bid_reason=bid_reason, by=by, now=now,
                    action="project.award_withdrawn", proposer=None)
