"""Proposing the award, the publicity period (中选结果公示) and the award becoming final."""

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bidding import methods, states
from bidding.models import Award, Bid, Draw, Objection, Project
from bidding.rules import check_owner_may_award
from bidding.services.common import ensure_owner, lock_project, notify_later, now_or, reindex_later
from bidding.services.evaluation import valid_bids
from bidding.signals import ProjectEvent, award_finalized
from marketplace.audit import services as audit
from marketplace.errors import DomainError, StateConflict
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
    check_owner_may_award(owner=ensure_owner(project, by), now=now)
    return propose_award(project, by=by, bid=bid, now=now)


def propose_award(project: Project, *, by, now: dt.datetime, bid: Bid | int | None = None
                  ) -> Project:
    """The proposal itself, under the project's lock: by the owner (`project_award`), or by
    the platform passing an award on after its winner was sanctioned (`services.reaward`)."""
    states.move(project, Status.PUBLICITY)
    bids = valid_bids(project)
    undecided = [b for b in bids if b.awaits_justification_decision]
    if project.selection_method == Project.Method.DIRECT:
        chosen_pk = getattr(bid, "pk", bid)
        if any(b.pk == chosen_pk for b in undecided):
            raise StateConflict(_("Decide on this bid's abnormally low price first."))
    elif undecided:
        raise StateConflict(_("Decide on the abnormally low prices first (%(count)s bid(s))."
                              ) % {"count": len(undecided)})
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
        check_owner_may_award(owner=ensure_owner(project, by), now=now)
    if project.status == Status.AWARDED:
        return project
    if project.status != Status.PUBLICITY:
        states.move(project, Status.AWARDED)  # raises with the current state's name
    award = standing_award(project)
    if now < award.publicity_ends_at:
        raise StateConflict(
            _("The publicity period runs until %(end)s.")
            % {"end": timezone.localtime(award.publicity_ends_at).strftime("%Y-%m-%d %H:%M")})
    if award.objections.filter(status=Objection.Status.PENDING).exists():
        raise StateConflict(_("An objection is pending; it must be decided first."))
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
