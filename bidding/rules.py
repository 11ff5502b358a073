"""What may be done on a project now: pure `check_*` functions that raise a coded domain error
and change nothing. The services call them under the project's lock; the pages and panels
that say "you can / cannot" ask the same functions (through `marketplace.errors.refusal_of`),
so what a page offers is what the service accepts."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from bidding import selectors
from bidding.errors import DeadlinePassed, NotBidding
from bidding.models import Award, Project
from marketplace.accounts.models import Organization
from marketplace.accounts.rules import check_in_good_standing
from marketplace.errors import NotAllowed, StateConflict

Status = Project.Status


def is_open_for_bids(project: Project, now: dt.datetime) -> bool:
    return project.status == Status.BIDDING and now < project.bid_deadline


def check_open_for_bids(project: Project, now: dt.datetime) -> None:
    if project.status != Status.BIDDING:
        raise NotBidding()
    if now >= project.bid_deadline:
        raise DeadlinePassed()


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
