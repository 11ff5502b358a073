"""`random` (随机抽取): the verifiable draw among the valid bids' receipts (marketplace.draw),
with the secret committed to at publication."""

from django.utils.translation import gettext as _

from bidding.methods._common import Pick
from marketplace import draw
from marketplace.errors import StateConflict


def rank(project, bids: list) -> None:
    """No ranking: every valid bid has the same chance."""


def candidates_of(bids: list) -> list[str]:
    return sorted(b.receipt.lower() for b in bids)


def pick(project, bids: list, chosen=None):
    if not bids:
        raise StateConflict(_("There is no valid bid to draw from."))
    result = draw.draw(project.draw_secret, candidates_of(bids))
    winner = next(b for b in bids if b.receipt.lower() == result.winner)
    return Pick(bid=winner, draw=result)
