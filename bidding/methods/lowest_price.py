"""`lowest_price` (竞价选取): the lowest valid price wins; ties go to the higher credit score,
then to the earlier submission (of the offer as last revised), then to the lower bid id."""

from bidding.methods._common import Pick, credit_of, offered_at, ranked_first


def order_key(bid):
    return (bid.price, -credit_of(bid), offered_at(bid), bid.pk)


def rank(project, bids: list) -> None:
    for position, bid in enumerate(sorted(bids, key=order_key), start=1):
        bid.rank = position
        bid.score = {"price": str(bid.price), "credit_score": str(credit_of(bid)),
                     "offered_at": offered_at(bid).isoformat()}


def pick(project, bids: list, chosen=None):
    return Pick(bid=ranked_first(bids))
