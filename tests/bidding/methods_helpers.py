"""Crafted, unsaved bids for the selection-method unit tests."""

import datetime as dt
from decimal import Decimal

from bidding.models import Bid, Project
from tests.factories.bidding import T0


def crafted(pk, price, *, credit="80", days=30, minutes=0, receipt=None):
    return Bid(pk=pk, price=Decimal(price), credit_score_at_opening=Decimal(credit),
               promised_days=days, sealed_at=T0 + dt.timedelta(minutes=minutes),
               receipt=receipt or f"{pk:064x}", valid=True)


def crafted_project(method, **kwargs):
    return Project(selection_method=method, **kwargs)


def winner(bids):
    return next(b for b in bids if b.rank == 1)
