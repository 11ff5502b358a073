"""What may be done on a project now: pure `check_*` functions that raise a coded domain error
and change nothing. The services call them under the project's lock; the pages and panels
that say "you can / cannot" ask the same functions (through `marketplace.errors.refusal_of`),
so what a page offers is what the service accepts."""

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from bidding import selectors
from bidding.errors import DeadlinePassed, NotBidding
from bidding.models import Award, Project
from marketplace.accounts.models import Organization
from marketplace.accounts.rules import check_in_good_standing
from marketplace.errors import DomainError, NotAllowed, StateConflict

Status = Project.Status


def is_open_for_bids(project: Project, now: dt.datetime) -> bool:
    return project.status == Status.BIDDING and now < project.bid_deadline


def check_open_for_bids(project: Project, now: dt.datetime) -> None:
    if project.status != Status.BIDDING:
        raise NotBidding()
    if now >= project.bid_deadline:
        raise DeadlinePassed()


def max_bidding_end(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(days=settings.MARKETPLACE_MAX_BIDDING_PERIOD_DAYS)


def check_bidding_period(*, bid_deadline: dt.datetime | None, now: dt.datetime) -> None:
    """A bid deadline at most MARKETPLACE_MAX_BIDDING_PERIOD_DAYS away (9999-12-31 is no
    deadline: the project would hold the market's attention forever). Asked on create, edit,
    publish, correction and re-publication; the shortest period is the services' own check."""
    if bid_deadline is not None and bid_deadline > max_bidding_end(now):
        raise DomainError(
            _("The bid deadline may be at most %(days)s days away.")
            % {"days": settings.MARKETPLACE_MAX_BIDDING_PERIOD_DAYS},
            field="bid_deadline", code="project.bidding_period_too_long")


def check_can_amend(*, project: Project, now: dt.datetime) -> None:
    """A correction notice (更正公告) is published while the project is open for bids."""
    if project.status != Status.BIDDING:
        raise NotBidding(_("Correction notices are published while the project is open for "
                           "bids."))
    if now >= project.bid_deadline:
        raise DeadlinePassed()


def check_can_ask(*, project: Project, agency: Organization, now: dt.datetime) -> None:
    """Questions are public and answered for every bidder: asked while bids are open, by an
    agency in good standing."""
    check_in_good_standing(agency, now)
    if not is_open_for_bids(project, now):
        raise StateConflict(_("Questions are asked while the project is open for bids."))


def check_objection_open(*, project: Project, agency: Organization, award: Award | None,
                         now: dt.datetime) -> None:
    """A bidder in good standing objects to the proposed award while it is under publicity."""
    check_in_good_standing(agency, now)
    if project.status != Status.PUBLICITY or award is None:
        raise StateConflict(_("Objections are filed while the award is under publicity."))
    if now >= award.publicity_ends_at:
        raise StateConflict(_("The publicity period has ended."))
    if not selectors.is_bidder(project, agency):
        raise NotAllowed(_("Only the project's bidders can object to its award."))


def check_owner_may_award(*, owner: Organization, now: dt.datetime) -> None:
    """Publishing, proposing, finalizing and passing on an award are the owner's decisions; an
    owner under sanction takes none (its projects wait until it is reinstated)."""
    check_in_good_standing(owner, now)
