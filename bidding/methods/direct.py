"""`direct` (直接选取): the owner picks any valid bid after opening. There is no ranking."""

from bidding.methods._common import Pick, require_chosen


def rank(project, bids: list) -> None:
    """Nothing to rank: the owner's choice is the method."""


def pick(project, bids: list, chosen=None):
    return Pick(bid=require_chosen(bids, chosen))
