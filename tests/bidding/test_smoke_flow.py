"""The service layer end to end for one lowest-price project (a quick guard on the wiring)."""

import datetime as dt

from bidding import receipts, services
from bidding.models import Project
from tests.factories.bidding import bid, open_bids, user_of


def test_lowest_price_project_goes_from_publication_to_a_final_award(project, agencies):
    bids = [bid(project, a, price) for a, price in zip(
        agencies, ["90000", "80000", "85000", "95000"], strict=True)]
    assert all(receipts.verify_bid_receipt(b) for b in bids)
    project = open_bids(project)
    assert project.status == Project.Status.EVALUATING
    project = services.project_award(project=project, by=user_of(project.owner),
                                     now=project.bid_deadline + dt.timedelta(hours=1))
    assert project.status == Project.Status.PUBLICITY
    award = project.awards.get()
    assert award.bid == bids[1]
    project = services.project_finalize(project=project, now=award.publicity_ends_at)
    assert project.status == Project.Status.AWARDED
