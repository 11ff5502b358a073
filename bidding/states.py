"""The project state machine (DESIGN §4 "States"): the table; `marketplace.states` moves."""

from bidding.models import Bid, Objection, Project
from marketplace.states import Transitions

Status = Project.Status

PROJECT = Transitions(Project, {
    Status.DRAFT: {Status.BIDDING, Status.CANCELLED},
    Status.BIDDING: {Status.EVALUATING, Status.FAILED, Status.CANCELLED},
    Status.EVALUATING: {Status.PUBLICITY, Status.FAILED},
    # An upheld objection cancels the award and sends the project back to evaluation.
    Status.PUBLICITY: {Status.AWARDED, Status.EVALUATING},
    # The winner did not sign the contract in time: the award passes on (services.reaward).
    Status.AWARDED: {Status.EVALUATING},
    Status.FAILED: set(),
    Status.CANCELLED: set(),
})
ALLOWED = PROJECT.allowed

# A sealed bid is withdrawn by its agency before the deadline, or disqualified by a sanction
# while bids are open; either way it is out for good.
BID = Transitions(Bid, {
    Bid.Status.SUBMITTED: {Bid.Status.WITHDRAWN, Bid.Status.DISQUALIFIED},
    Bid.Status.WITHDRAWN: set(),
    Bid.Status.DISQUALIFIED: set(),
})

# An objection is decided once; upholding one moots the others against the same award.
OBJECTION = Transitions(Objection, {
    Objection.Status.PENDING: {Objection.Status.UPHELD, Objection.Status.REJECTED,
                               Objection.Status.MOOT},
    Objection.Status.UPHELD: set(),
    Objection.Status.REJECTED: set(),
    Objection.Status.MOOT: set(),
})


def can_move(project: Project, to: str) -> bool:
    return PROJECT.can_move(project, to)


def move(project: Project, to: str) -> None:
    """Set the status if the table allows it; the caller holds the row lock and saves.
    Kept for the services that save the project with their other changes."""
    PROJECT.move(project, to, save=False)
