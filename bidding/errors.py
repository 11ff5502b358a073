"""Bidding's refusals, each mapped to HTTP by its base class (marketplace.errors) and named by
its stable `code`."""

from django.utils.translation import gettext_lazy as _

from marketplace.errors import DomainError, NotAllowed, StateConflict


class NotBidding(StateConflict):
    code = "project.not_open_for_bids"
    default_message = _("This project is not open for bids.")


class DeadlinePassed(StateConflict):
    code = "bid.deadline_passed"
    default_message = _("The bid deadline has passed.")


class NotYetDue(StateConflict):
    code = "project.deadline_not_reached"
    default_message = _("The bids can be opened only after the bid deadline.")


class LiveBidExists(StateConflict):
    code = "bid.live_bid_exists"
    default_message = _("Your organization already has a bid on this project; revise or "
                        "withdraw it instead.")


class BidClosed(StateConflict):
    code = "bid.closed"
    default_message = _("This bid can no longer be changed.")


class CannotBid(NotAllowed):
    """Not an agency, or excluded from the project (回避). A sanction refuses with the kernel's
    `org.*` codes instead (marketplace.accounts.rules)."""

    code = "bid.not_eligible"
    default_message = _("Your organization may not bid on this project.")


class RequirementsUnmet(DomainError):
    """The bid or the agency does not meet the project's terms (HTTP 400 on `field`)."""

    code = "bid.requirements_unmet"
    default_message = _("The bid does not meet the project's requirements.")


class DeadlineTooClose(DomainError):
    code = "project.deadline_too_close"
    default_message = _("The bid deadline leaves too little time for bidding.")


class NoValidBid(StateConflict):
    code = "project.no_valid_bid"
    default_message = _("There is no valid bid to award.")


class PricesUndecided(StateConflict):
    code = "project.prices_undecided"
    default_message = _("Decide on the abnormally low prices first.")


class PublicityRunning(StateConflict):
    code = "award.publicity_running"
    default_message = _("The publicity period has not ended yet.")


class ObjectionPending(StateConflict):
    code = "award.objection_pending"
    default_message = _("An objection is pending; it must be decided first.")


class NextRoundExists(StateConflict):
    code = "project.next_round_exists"
    default_message = _("This project already has a next round.")


class DirectSelectionNotAllowed(DomainError):
    """A government department chose direct selection for an item that is not a monopoly item
    (issue 17 §3): it must select competitively (HTTP 400 on `selection_method`)."""

    code = "project.direct_selection_not_allowed"
    default_message = _("Government departments select competitively: direct selection is "
                        "allowed only for a monopoly service item, whose competent department "
                        "sets the time limit.")
