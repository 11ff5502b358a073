"""The contract state machine (DESIGN §4 "Contracts"): the table; `marketplace.states` moves."""

from contracts.models import Contract
from marketplace.states import Transitions

Status = Contract.Status

CONTRACT = Transitions(Contract, {
    # Both signatures → in force; the window closing first → lapsed (a refusal to sign).
    Status.AWAITING_SIGNATURES: {Status.ACTIVE, Status.LAPSED},
    Status.ACTIVE: {Status.DELIVERED, Status.TERMINATED},
    # The owner accepts (completed) or rejects (back to work, the clock still running).
    Status.DELIVERED: {Status.COMPLETED, Status.ACTIVE, Status.TERMINATED},
    Status.COMPLETED: set(),
    Status.TERMINATED: set(),
    Status.LAPSED: set(),
})
ALLOWED = CONTRACT.allowed


def can_move(contract: Contract, to: str) -> bool:
    return CONTRACT.can_move(contract, to)


def move(contract: Contract, to: str) -> None:
    """Set the status if the table allows it; the caller holds the row lock and saves.
    Kept for the services that save the contract with their other changes."""
    CONTRACT.move(contract, to, save=False)
