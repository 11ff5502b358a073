"""`comprehensive` (综合评分):

    price score      = lowest valid price / price × price weight
    credit share     = credit score / 100 × credit weight
    commitment score = shortest promised days / promised days × service time weight
    total            = the sum (out of 100)

Scores are kept to 4 decimal places; ties on the total go to the lower price, then to the
higher credit score, then to the earlier submission.
"""

from decimal import Decimal

from bidding.methods._common import SCORE_PLACES, Pick, credit_of, offered_at, ranked_first


def breakdown(project, bid, *, lowest_price: Decimal, shortest_days: int) -> dict:
    price = (lowest_price / bid.price * project.weight_price) if bid.price else Decimal(0)
    credit = credit_of(bid) / Decimal(100) * project.weight_credit
    commitment = Decimal(shortest_days) / Decimal(bid.promised_days) * project.weight_commitment
    parts = {name: value.quantize(SCORE_PLACES)
             for name, value in (("price", price), ("credit", credit),
                                 ("commitment", commitment))}
    parts["total"] = sum(parts.values())
    return parts


def rank(project, bids: list) -> None:
    if not bids:
        return
    lowest_price = min(b.price for b in bids)
    shortest_days = min(b.promised_days for b in bids)
    totals = {}
    for bid in bids:
        parts = breakdown(project, bid, lowest_price=lowest_price, shortest_days=shortest_days)
        totals[bid.pk] = parts["total"]
        bid.score = {name: str(value) for name, value in parts.items()}
        bid.score["credit_score"] = str(credit_of(bid))

    def key(bid):
        return (-totals[bid.pk], bid.price, -credit_of(bid), offered_at(bid), bid.pk)

    for position, bid in enumerate(sorted(bids, key=key), start=1):
        bid.rank = position


def pick(project, bids: list, chosen=None):
    return Pick(bid=ranked_first(bids))
