"""A market that makes every kind of OCDS release (issue 17 §5), built through the services:
a project still bidding (amended, one sealed bid), a cancelled one, a failed one, an upheld
objection, a contract run to completion (with a rejected delivery), a terminated contract and
a lapsed one."""

import datetime as dt

from bidding import services as bidding
from bidding.models import Bid
from contracts import services as contracts
from tests.factories.accounts import GovernmentOwnerFactory
from tests.factories.bidding import T0, agency_offering, bid, open_bids, published_project, user_of
from tests.factories.contracts import (
    active_contract,
    contract_awaiting_signatures,
    project_in_publicity,
)

SEALED_PRICE = "76543.21"
HOUR = dt.timedelta(hours=1)


def ocds_market() -> dict:
    sealed_agency = agency_offering(name="密封投标咨询有限公司")
    amended = published_project(owner=GovernmentOwnerFactory(), min_bidders=1)
    bid(amended, sealed_agency, SEALED_PRICE)
    bidding.project_amend(project=amended, by=user_of(amended.owner), reason="更正项目说明",
                          changes={"description": "更正后的项目说明"}, now=T0 + 2 * HOUR)

    cancelled = published_project()
    bidding.project_cancel(project=cancelled, by=user_of(cancelled.owner), reason="需求变更",
                           now=T0 + 2 * HOUR)

    failed = published_project(min_bidders=3)
    bid(failed, agency_offering(), "70000.00")
    failed = open_bids(failed)

    objected = project_in_publicity(start=T0 + HOUR)
    runner_up = Bid.objects.filter(project=objected, rank=2).select_related("agency").get()
    moment = objected.bid_deadline + 2 * HOUR
    objection = bidding.objection_file(project=objected, by=user_of(runner_up.agency),
                                       reason="中选人资质不符", now=moment)
    bidding.objection_decide(objection=objection, by=user_of(objected.owner), upheld=True,
                             reply="质疑成立", now=moment + HOUR)

    completed = active_contract(start=T0 + 2 * HOUR)
    start = completed.activated_at
    agency_user, owner_user = user_of(completed.agency), user_of(completed.owner)
    contracts.contract_deliver(contract=completed, by=agency_user, note="报告初稿",
                               now=start + 24 * HOUR)
    contracts.contract_reject(contract=completed, by=owner_user, reason="缺少附件",
                              now=start + 30 * HOUR)
    contracts.contract_deliver(contract=completed, by=agency_user, note="报告终稿",
                               now=start + 48 * HOUR)
    contracts.contract_accept(contract=completed, by=owner_user, now=start + 50 * HOUR)

    terminated = active_contract(start=T0 + 3 * HOUR)
    contracts.contract_terminate(contract=terminated, by=user_of(terminated.owner),
                                 reason="双方协商解除", at_fault="agency",
                                 now=terminated.activated_at + 24 * HOUR)

    lapsed = contract_awaiting_signatures(start=T0 + 4 * HOUR)
    contracts.contract_lapse(contract=lapsed, now=lapsed.signing_deadline + HOUR)

    return {"amended": amended, "sealed_agency": sealed_agency, "cancelled": cancelled,
            "failed": failed, "objected": objected, "completed": completed.project,
            "terminated": terminated.project, "lapsed": lapsed.project}
