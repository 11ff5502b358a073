"""The project state machine: one table, one function (DESIGN §4 "States")."""

from bidding.models import Project
from marketplace.errors import InvalidTransition

Status = Project.Status

ALLOWED: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.BIDDING, Status.CANCELLED}),
    Status.BIDDING: frozenset({Status.EVALUATING, Status.FAILED, Status.CANCELLED}),
    Status.EVALUATING: frozenset({Status.PUBLICITY, Status.FAILED}),
    # An upheld objection cancels the award and sends the project back to evaluation.
    Status.PUBLICITY: frozenset({Status.AWARDED, Status.EVALUATING}),
    # The winner did not sign the contract in time: the award passes on (services.reaward).
    Status.AWARDED: frozenset({Status.EVALUATING}),
    Status.FAILED: frozenset(),
    Status.CANCELLED: frozenset(),
}


def can_move(project: Project, to: str) -> bool:
    return to in ALLOWED[project.status]


def _move(project: Project, to: str) -> None:
    """Set the project's status to `to` if the table allows it; the caller saves.

    Called while holding a row lock on the project (select_for_update), so the status read
    here is the one in the database.
    """
    if not can_move(project, to):
        raise InvalidTransition(Status(project.status), Status(to))
    project.status = to


# The services import it under a public name; `_move` stays the one place that decides.
move = _move
