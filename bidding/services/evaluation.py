"""After opening: ranking again when a bid drops out, failing a project with too few valid
bids, and the abnormally-low-price procedure (异常低价: justification, owner's decision)."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from bidding import methods, states
from bidding.models import Bid, Project
from bidding.rules import check_price_pending
from bidding.services.common import (
    ensure_agency,
    ensure_owner,
    lock_project,
    notify_later,
    now_or,
    reindex_later,
)
from bidding.signals import ProjectEvent
from marketplace.accounts.rules import check_in_good_standing
from marketplace.audit import services as audit
from marketplace.errors import DomainError, NotAllowed, StateConflict

Status = Project.Status


def valid_bids(project: Project) -> list[Bid]:
    return list(
        Bid.objects.filter(project=project, status__in=Bid.LIVE_STATUSES, valid=True)
        .select_related("agency").order_by("id")
    )


def enough_valid_bids(project: Project, count: int) -> bool:
    """`min_bidders` binds the competitive methods; direct selection needs one valid bid."""
    if project.selection_method == Project.Method.DIRECT:
        return count >= 1
    return count >= project.min_bidders


def failure_reason(project: Project, count: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(count)s valid bid(s); at least %(min)s needed.") % {
            "count": count,
            "min": 1 if project.selection_method == Project.Method.DIRECT
            else project.min_bidders,
        }


def save_ranks(project: Project, bids: list[Bid]) -> None:
    """Rank `bids` (the valid ones) by the project's method; every other bid loses its rank."""
    methods.rank(project, bids)
    Bid.objects.filter(project=project).exclude(pk__in=[b.pk for b in bids]).update(
        rank=None, score={})
    Bid.objects.bulk_update(bids, ["rank", "score"])


def rank_in_memory(project: Project, bids: list[Bid], valid: list[Bid]) -> None:
    """What `save_ranks` writes, in memory: `valid` ranked by the project's method, every other
    bid of `bids` (all of the project's) without rank or score. The opening writes them with
    its other columns."""
    methods.rank(project, valid)
    ranked = {bid.pk for bid in valid}
    for bid in bids:
        if bid.pk not in ranked:
            bid.rank, bid.score = None, {}


def fail(project: Project, *, count: int, now: dt.datetime, by=None) -> None:
    """Called while holding the project's row lock."""
    states.move(project, Status.FAILED)
    project.failed_reason = failure_reason(project, count)
    project.updated_at = now
    project.save()
    notify_later(ProjectEvent.FAILED, project_id=project.pk)
    reindex_later(project)
    audit.record(action="project.failed", actor=by, organization=project.owner, obj=project,
                 data={"valid_bids": count, "reason": project.failed_reason}, now=now)


def rerank_or_fail(project: Project, *, now: dt.datetime, by=None) -> bool:
    """Rank again after a bid dropped out; False when the project failed for too few bids."""
    bids = valid_bids(project)
    save_ranks(project, bids)
    if not enough_valid_bids(project, len(bids)):
        fail(project, count=len(bids), now=now, by=by)
        return False
    return True


def _lock_bid(bid: Bid) -> tuple[Bid, Project]:
    project = lock_project(bid.project_id)
    return Bid.objects.select_for_update().select_related("agency").get(pk=bid.pk), project


@transaction.atomic
def bid_justify(*, bid: Bid, by, text: str, now: dt.datetime | None = None) -> Bid:
    """The agency's written justification of a price flagged as abnormally low."""
    now = now_or(now)
    agency = ensure_agency(by)
    bid, project = _lock_bid(bid)
    if bid.agency_id != agency.pk:
        raise NotAllowed(_("Only the bidding agency can justify its price."))
    check_in_good_standing(agency, now)
    check_price_pending(project=project, bid=bid)
    if not (text or "").strip():
        raise DomainError(_("Explain how the price can be met."), field="text")
    bid.justification = text.strip()
    bid.justified_at = now
    bid.save(update_fields=["justification", "justified_at"])
    notify_later(ProjectEvent.JUSTIFIED, bid_id=bid.pk)
    audit.record(action="bid.justified", actor=by, organization=agency, obj=bid,
                 data={"project": project.pk}, now=now,
                 sealed_project=project)
    return bid


@transaction.atomic
def bid_decide_justification(*, bid: Bid, by, accepted: bool, reply: str = "",
                             now: dt.datetime | None = None) -> Bid:
    """The owner accepts the justification (the bid stays valid) or rejects the price (the bid
    becomes invalid, the others are ranked again and the project may fail)."""
    now = now_or(now)
    bid, project = _lock_bid(bid)
    owner = ensure_owner(project, by)
    check_price_pending(project=project, bid=bid)
    if accepted and not bid.justification:
        raise StateConflict(_("The agency has not justified its price yet."))
    bid.justification_decision = Bid.Decision.ACCEPTED if accepted else Bid.Decision.REJECTED
    bid.justification_reply = (reply or "").strip()
    bid.justification_decided_at = now
    if not accepted:
        bid.valid = False
        with translation.override(settings.LANGUAGE_CODE):
            bid.invalid_reason = _("Abnormally low price not justified.")
        if bid.justification_reply:
            bid.invalid_reason = f"{bid.invalid_reason} {bid.justification_reply}"
    bid.save()
    if not accepted:
        rerank_or_fail(project, now=now, by=by)
    notify_later(ProjectEvent.JUSTIFICATION_DECIDED, bid_id=bid.pk)
    audit.record(action="bid.justification_decided", actor=by, organization=owner, obj=bid,
                 data={"project": project.pk, "accepted": accepted}, now=now,
                 sealed_project=project)
    return bid
