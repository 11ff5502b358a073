"""Helpers the methods share (no database access: bids come in, ranks go out)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from marketplace.draw import DrawResult
from marketplace.errors import DomainError, StateConflict

SCORE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Pick:
    bid: object
    draw: DrawResult | None = None


def credit_of(bid) -> Decimal:
    if bid.credit_score_at_opening is not None:
        return Decimal(bid.credit_score_at_opening)
    return Decimal(bid.agency.credit_score)


def offered_at(bid):
    """When the current offer was sealed: a revision counts from its own time."""
    return bid.sealed_at


def ranked_first(bids: list):
    first = [b for b in bids if b.rank == 1]
    if not first:
        raise StateConflict(_("There is no valid bid to award."))
    return first[0]


def require_chosen(bids: list, chosen):
    if chosen is None:
        raise DomainError(_("Choose the bid to award."), field="bid")
    for bid in bids:
        if bid.pk == getattr(chosen, "pk", chosen):
            return bid
    raise DomainError(_("Choose a valid bid of this project."), field="bid")
