"""Proposing the award, the publicity period (中选结果公示) and the award becoming final."""

import datetime as dt
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from bidding import methods, states, webhooks
from bidding.errors import PricesUndecided
from bidding.models import Award, Bid, Draw, Objection, Project
from bidding.rules import check_can_award, check_can_finalize
from bidding.services.common import ensure_owner, lock_project, notify_later, now_or, reindex_later
from bidding.services.evaluation import valid_bids
from bidding.signals import ProjectEvent, award_finalized
from marketplace.audit import services as audit
from marketplace.errors import DomainError
from marketplace.periods import add_period, setting_period

logger = logging.getLogger(__name__)
Status = Project.Status


def standing_award(project: Project) -> Award | None:
    """The award that is not cancelled (proposed or final), if any."""
    return (Award.objects.filter(project=project, cancelled_at__isnull=True)
            .select_related("bid__agency").first())


@transaction.atomic
def project_award(*, project: Project, by, bid: Bid | int | None = None,
                  now: dt.datetime | None = None) -> Project:
    """Propose the award by the project's method and open the publicity period.

    `direct`: `bid` is the owner's choice. `lowest_price` / `comprehensive`: rank 1.
    `random`: the verifiable draw among the valid bids, recorded and published.
    """
    now = now_or(now)
    project = lock_project(project)
    ensure_owner(project, by)
    return propose_award(project, by=by, bid=bid, now=now)


def propose_award(project: Project, *, by, now: dt.datetime, bid: Bid | int | None = None,
                  owner_acts: bool = True) -> Project:
    """The proposal itself, under the project's lock: by the owner (`project_award`), or by
    the platform passing an award on (`services.reaward`, `owner_acts` False)."""
    bids = valid_bids(project)
    undecided = [b for b in bids if b.awaits_justification_decision]
    check_can_award(project=project, now=now, valid_bids=len(bids),
                    undecided_prices=len(undecided), owner_acts=owner_acts)
    chosen_pk = getattr(bid, "pk", bid)
    if any(b.pk == chosen_pk for b in undecided):  # direct selection names its bid
        raise PricesUndecided(_("Decide on this bid's abnormally low price first."))
    states.move(project, Status.PUBLICITY)
    pick = methods.pick(project, bids, bid)
    draw_row = None
    if pick.draw is not None:
        draw_row = Draw.objects.create(project=project, bid=pick.bid, drawn_at=now,
                                       **pick.draw.as_dict())
    award = Award.objects.create(
        project=project, bid=pick.bid, proposed_at=now, proposed_by=by,
        publicity_ends_at=add_period(now, setting_period("MARKETPLACE_PUBLICITY_PERIOD")))
    project.updated_at = now
    project.save()
    notify_later(ProjectEvent.AWARD_PROPOSED, project_id=project.pk)
    webhooks.award_decided(webhooks.Event.AWARD_PROPOSED, project, award)
    reindex_later(project)
    audit.record(action="project.award_proposed", actor=by, organization=project.owner,
                 obj=project,
                 data={"award": award.pk, "bid": pick.bid.pk, "agency": pick.bid.agency_id,
                       "publicity_ends_at": award.publicity_ends_at,
                       "draw": draw_row.as_dict() if draw_row else None}, now=now)
    return project


@transaction.atomic
def project_finalize(*, project: Project | int, by=None, now: dt.datetime | None = None
                     ) -> Project:
    """Make the award final once the publicity period is over with no objection pending, and
    announce it (`award_finalized`: the contract is drawn up by its receiver). Idempotent."""
    now = now_or(now)
    project = lock_project(project)
    if by is not None:
        ensure_owner(project, by)
    if project.status == Status.AWARDED:
        return project
    award = standing_award(project) if project.status == Status.PUBLICITY else None
    pending = award.objections.filter(status=Objection.Status.PENDING).count() if award else 0
    check_can_finalize(project=project, award=award, pending_objections=pending, now=now,
                       owner_acts=by is not None)
    states.move(project, Status.AWARDED)
    project.updated_at = now
    project.save()
    award.final = True
    award.finalized_at = now
    award.save(update_fields=["final", "finalized_at"])
    # Receivers (contracts, cms) act inside this transaction: the contract exists when the
    # owner's request returns, and a failing receiver leaves the award in publicity.
    award_finalized.send(sender=Project, project=project, award=award, bid=award.bid, now=now,
                         by=by)
    notify_later(ProjectEvent.FINALIZED, project_id=project.pk)
    webhooks.award_decided(webhooks.Event.AWARD_FINAL, project, award)
    reindex_later(project)
    audit.record(action="project.awarded", actor=by, organization=project.owner, obj=project,
                 data={"award": award.pk, "bid": award.bid_id, "agency": award.bid.agency_id},
                 now=now)
    return project


def finalize_due_awards(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Finalize every award whose publicity has ended with nothing pending; one transaction
    each, so one refusal never holds up the others."""
    now = now_or(now)
    due = list(
        Award.objects.filter(project__status=Status.PUBLICITY, cancelled_at__isnull=True,
                             final=False, publicity_ends_at__lte=now)
        .exclude(objections__status=Objection.Status.PENDING)
        .order_by("publicity_ends_at").values_list("project_id", flat=True)[:limit])
    done = 0
    for project_id in due:
        try:
            project_finalize(project=project_id, now=now)
            done += 1
        except DomainError as exc:
            logger.warning("Finalizing the award of project %s refused: %s", project_id, exc)
    return done
