"""Selection methods (DESIGN §4): each ranks the valid bids at opening and picks the award.

A method module offers `rank(project, bids)` (sets `rank` and `score` on the valid bids it is
given, in memory) and `pick(project, bids, chosen=None) -> Pick`. `bids` are the valid bids.
"""

from bidding.methods import comprehensive, direct, lowest_price, random_draw
from bidding.methods._common import Pick

__all__ = ["MODULES", "Pick", "for_project", "pick", "rank"]

MODULES = {
    "direct": direct,
    "random": random_draw,
    "lowest_price": lowest_price,
    "comprehensive": comprehensive,
}


def for_project(project):
    return MODULES[project.selection_method]


def rank(project, bids: list) -> None:
    for bid in bids:
        bid.rank = None
        bid.score = {}
    for_project(project).rank(project, bids)


def pick(project, bids: list, chosen=None) -> Pick:
    return for_project(project).pick(project, bids, chosen)
