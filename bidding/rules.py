"""What may be done on a project now: pure `check_*` functions that raise a coded domain error
and change nothing. The services call them under the project's lock; the pages and panels
that say "you can / cannot" ask the same functions (through `marketplace.errors.refusal_of`),
so what a page offers is what the service accepts."""

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from bidding import selectors
from bidding.errors import (
    DeadlinePassed,
    DeadlineTooClose,
    DirectSelectionNotAllowed,
    NextRoundExists,
    NotBidding,
    NotYetDue,
    NoValidBid,
    ObjectionPending,
    PricesUndecided,
    PublicityRunning,
)
from bidding.models import Award, Bid, Project
from marketplace.accounts.models import Organization
from marketplace.accounts.rules import check_in_good_standing
from marketplace.errors import DomainError, NotAllowed, StateConflict, WrongState
from marketplace.formatting.moments import local_minute
from marketplace.periods import add_period, setting_period

Status = Project.Status


def min_bidding_end(now: dt.datetime) -> dt.datetime:
    """The earliest bid deadline a project published at `now` may have."""
    return add_period(now, setting_period("MARKETPLACE_MIN_BIDDING_PERIOD"))


def _state(project: Project) -> dict:
    return {"state": Status(project.status).label}


# --- The owner's steps, in the order of a project's life ---------------------------------

def check_can_edit(*, project: Project) -> None:
    if project.status == Status.BIDDING:
        raise WrongState(_("Only a draft can be edited; the project is open for bids: "
                           "publish a correction notice instead."), code="project.not_a_draft")
    if project.status != Status.DRAFT:
        raise WrongState(_("Only a draft can be edited; the project is now “%(state)s”.")
                         % _state(project), code="project.not_a_draft")


def check_can_change_documents(*, project: Project) -> None:
    """A project's documents are part of its terms: attached and removed only while it is a
    draft (the workspace offers the form, and the API the upload, when this passes)."""
    if project.status != Status.DRAFT:
        # The code it always had (`state.conflict`): codes never change (marketplace.errors).
        raise StateConflict(_("Documents can be changed only while the project is a draft."))


def check_selection_method(*, owner: Organization, service_item, method: str) -> None:
    """Direct selection (直接选取) without competition (issue 17 §3): a government department
    may use it only for a monopoly service item (one or very few agencies qualified by law),
    which its competent department serves under a time limit. Enterprises and institutions may
    use it for any item; a monopoly item may still be put to competition by anyone."""
    if (method == Project.Method.DIRECT and owner.is_government_owner
            and not (service_item is not None and service_item.is_monopoly)):
        raise DirectSelectionNotAllowed(field="selection_method")


def check_funding_source(owner: Organization, funding_source: str,
                         budget_reference: str) -> None:
    """Who pays (issue 17 §2). Work a government department commissions within an approval is
    paid from its budget (财政资金), on a named budget line or document, never by the
    enterprise; anyone else paying from a government budget names the line too."""
    if funding_source not in Project.FundingSource.values:
        raise DomainError(_("Choose the funding source."), field="funding_source",
                          code="project.bad_funding_source")
    if owner.is_government_owner and funding_source != Project.FundingSource.GOVERNMENT_BUDGET:
        raise DomainError(_("A government department pays for the work it commissions from the "
                            "government budget (财政资金): choose the government budget and give "
                            "the budget line; enterprises are never charged for it."),
                          field="funding_source", code="project.funding_requires_budget_line")
    if (funding_source == Project.FundingSource.GOVERNMENT_BUDGET
            and not (budget_reference or "").strip()):
        raise DomainError(_("Give the budget line or the document number that funds this "
                            "project."), field="budget_reference",
                          code="project.funding_requires_budget_line")


def check_can_publish(*, project: Project, now: dt.datetime) -> None:
    """A draft whose deadline leaves the minimum bidding period, by an owner in good
    standing. (Its terms are checked with the draft's fields: `services.check_terms`.)"""
    if project.status != Status.DRAFT:
        raise WrongState(_("Only a draft can be published; the project is now “%(state)s”.")
                         % _state(project))
    check_in_good_standing(project.owner, now)
    if project.bid_deadline < min_bidding_end(now):
        raise DeadlineTooClose(
            _("The bid deadline %(deadline)s leaves less than %(period)s for bidding; edit the "
              "deadline first.") % {"deadline": local_minute(project.bid_deadline),
                                    "period": setting_period("MARKETPLACE_MIN_BIDDING_PERIOD")},
            field="bid_deadline")


def check_can_cancel(*, project: Project) -> None:
    if project.status not in (Status.DRAFT, Status.BIDDING):
        raise WrongState(_("Only a draft or a project open for bids can be cancelled; the "
                           "project is now “%(state)s”.") % _state(project))


def is_open_for_bids(project: Project, now: dt.datetime) -> bool:
    return project.status == Status.BIDDING and now < project.bid_deadline


def check_open_for_bids(project: Project, now: dt.datetime, *, not_bidding=None) -> None:
    """Bids, their changes and correction notices are accepted before the deadline of a
    project open for bids; `not_bidding` words the refusal for the step that asks."""
    if project.status != Status.BIDDING:
        raise NotBidding(not_bidding)
    if now >= project.bid_deadline:
        raise DeadlinePassed(_("The bid deadline %(deadline)s has passed.")
                             % {"deadline": local_minute(project.bid_deadline)})


def max_bidding_end(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(days=settings.MARKETPLACE_MAX_BIDDING_PERIOD_DAYS)


def check_bidding_period(*, bid_deadline: dt.datetime | None, now: dt.datetime) -> None:
    """A bid deadline at most MARKETPLACE_MAX_BIDDING_PERIOD_DAYS away (9999-12-31 is no
    deadline: the project would hold the market's attention forever). Asked on create, edit,
    publish, correction and re-publication; the shortest is `check_can_publish`."""
    if bid_deadline is not None and bid_deadline > max_bidding_end(now):
        raise DomainError(
            _("The bid deadline may be at most %(days)s days away.")
            % {"days": settings.MARKETPLACE_MAX_BIDDING_PERIOD_DAYS},
            field="bid_deadline", code="project.bidding_period_too_long")


def check_can_amend(*, project: Project, now: dt.datetime) -> None:
    """A correction notice (更正公告) is published while the project is open for bids."""
    check_open_for_bids(project, now, not_bidding=_(
        "Correction notices are published while the project is open for bids."))


def check_can_open(*, project: Project, now: dt.datetime) -> None:
    """The bids open once the deadline has passed (the owner may open them, the beat does)."""
    if project.is_opened:
        raise WrongState(_("The bids were opened at %(at)s.")
                         % {"at": local_minute(project.opened_at)}, code="project.opened")
    if project.status != Status.BIDDING:
        raise WrongState(_("Only a project open for bids can be opened."))
    if now < project.bid_deadline:
        raise NotYetDue(_("The deadline is %(deadline)s; bids open after it.")
                        % {"deadline": local_minute(project.bid_deadline)})


def _check_evaluating(project: Project) -> None:
    if project.status != Status.EVALUATING:
        raise WrongState(_("Abnormally low prices are justified and decided while the bids "
                           "are evaluated."))


def check_prices_to_decide(*, project: Project, undecided_prices: int) -> None:
    """The owner's panel: some abnormally low price awaits the owner's decision."""
    _check_evaluating(project)
    if not undecided_prices:
        raise StateConflict(_("No abnormally low price awaits a decision."),
                            code="bid.price_not_pending")


def check_price_pending(*, project: Project, bid: Bid) -> None:
    """This bid's abnormally low price awaits its justification and the owner's decision."""
    _check_evaluating(project)
    if not bid.awaits_justification_decision:
        raise StateConflict(_("This bid's price is not awaiting a justification decision."),
                            code="bid.price_not_pending")


def check_can_award(*, project: Project, now: dt.datetime, valid_bids: int,
                    undecided_prices: int, owner_acts: bool = True) -> None:
    """The award is proposed while the bids are evaluated, among valid bids, once no
    abnormally low price blocks the method. Direct selection may pick any bid not awaiting a
    decision (the chosen bid is checked by the service). `owner_acts` False: the platform
    proposes after a sanctioned winner's award was withdrawn (the owner's standing aside)."""
    if project.status != Status.EVALUATING:
        raise WrongState(_("The award is proposed while the bids are evaluated; the project is "
                           "now “%(state)s”.") % _state(project))
    if owner_acts:
        check_in_good_standing(project.owner, now)
    if not valid_bids:
        raise NoValidBid()
    if undecided_prices and (project.selection_method != Project.Method.DIRECT
                             or valid_bids <= undecided_prices):
        raise PricesUndecided(_("Decide on the abnormally low prices first (%(count)s bid(s)).")
                              % {"count": undecided_prices})


def check_can_finalize(*, project: Project, award: Award | None, pending_objections: int,
                       now: dt.datetime, owner_acts: bool = True) -> None:
    """An award becomes final after its publicity period with no objection pending; by the
    owner in good standing, or by the beat (`owner_acts` False)."""
    if project.status == Status.AWARDED:
        raise WrongState(_("The award is final."), code="award.final")
    if project.status != Status.PUBLICITY or award is None:
        raise WrongState(_("An award becomes final after its publicity period; no award is "
                           "under publicity."))
    if now < award.publicity_ends_at:
        raise PublicityRunning(_("The publicity period runs until %(end)s.")
                               % {"end": local_minute(award.publicity_ends_at)})
    if pending_objections:
        raise ObjectionPending()
    if owner_acts:
        check_in_good_standing(project.owner, now)


def check_can_republish(*, project: Project, has_next_round: bool, now: dt.datetime) -> None:
    if project.status != Status.FAILED:
        raise WrongState(_("Only a failed project can be posted again as a new round."))
    if has_next_round:
        raise NextRoundExists()
    check_in_good_standing(project.owner, now)


# --- Bidders -------------------------------------------------------------------------------

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
    check_objects_as_bidder(project=project, agency=agency)


def check_objects_as_bidder(*, project: Project, agency: Organization) -> None:
    if not selectors.is_bidder(project, agency):
        raise NotAllowed(_("Only the project's bidders can object to its award."))


def check_owner_may_award(*, owner: Organization, now: dt.datetime) -> None:
    """Publishing, proposing, finalizing and passing on an award are the owner's decisions; an
    owner under sanction takes none (its projects wait until it is reinstated)."""
    check_in_good_standing(owner, now)
