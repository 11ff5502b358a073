"""The contract state machine: one table, one function (DESIGN §4 "Contracts")."""

from contracts.models import Contract
from marketplace.errors import InvalidTransition

Status = Contract.Status

ALLOWED: dict[str, frozenset[str]] = {
    # Both signatures → in force; the window closing first → lapsed (a refusal to sign).
    Status.AWAITING_SIGNATURES: frozenset({Status.ACTIVE, Status.LAPSED}),
    Status.ACTIVE: frozenset({Status.DELIVERED, Status.TERMINATED}),
    # The owner accepts (completed) or rejects (back to work, the clock still running).
    Status.DELIVERED: frozenset({Status.COMPLETED, Status.ACTIVE, Status.TERMINATED}),
    Status.COMPLETED: frozenset(),
    Status.TERMINATED: frozenset(),
    Status.LAPSED: frozenset(),
}
CLOSED = frozenset({Status.COMPLETED, Status.TERMINATED, Status.LAPSED})


def can_move(contract: Contract, to: str) -> bool:
    return to in ALLOWED[contract.status]


def move(contract: Contract, to: str) -> None:
    """Set the status if the table allows it; the caller holds the row lock and saves."""
    if not can_move(contract, to):
        raise InvalidTransition(Status(contract.status), Status(to))
    contract.status = to
