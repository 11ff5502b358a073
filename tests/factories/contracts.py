"""Contracts the real way: a project run to a final award with the bidding services (so the
receiver of `award_finalized` draws the contract up), then signed through the services."""

import datetime as dt
from decimal import Decimal

from bidding import services as bidding
from bidding.models import Award, Project
from contracts import services
from contracts.models import Contract
from tests.factories.accounts import PASSWORD
from tests.factories.bidding import T0, agency_offering, bid, open_bids, published_project, user_of

PRICES = ("80000.00", "85000.00", "90000.00")


def standing_award(project: Project) -> Award:
    return Award.objects.get(project=project, cancelled_at__isnull=True)


def finalize(project: Project) -> Project:
    award = standing_award(project)
    return bidding.project_finalize(project=project, now=award.publicity_ends_at)


def project_in_publicity(*, method: str = Project.Method.LOWEST_PRICE, prices=PRICES,
                         promised_days: int = 20, start: dt.datetime = T0,
                         **project_kwargs) -> Project:
    """Bids at `prices` opened and the award proposed (lowest price: the first price wins;
    direct: the owner chooses the first bid). The project is published at `start`."""
    project = published_project(now=start, selection_method=method, **project_kwargs)
    bids = [bid(project, agency_offering(), price, promised_days=promised_days)
            for price in prices]
    project = open_bids(project)
    chosen = bids[0].pk if method == Project.Method.DIRECT else None
    return bidding.project_award(project=project, by=user_of(project.owner), bid=chosen,
                                 now=project.bid_deadline + dt.timedelta(hours=1))


def awarded_project(**kwargs) -> Project:
    """A project with a final award, its contract drawn up by the receiver."""
    return finalize(project_in_publicity(**kwargs))


def latest_contract(project: Project) -> Contract:
    return Contract.objects.filter(project=project).order_by("-pk").first()


def contract_awaiting_signatures(**kwargs) -> Contract:
    return latest_contract(awarded_project(**kwargs))


def sign(contract: Contract, organization, *, now: dt.datetime | None = None) -> Contract:
    return services.contract_sign(contract=contract, by=user_of(organization), password=PASSWORD,
                                  ip="127.0.0.1", user_agent="pytest",
                                  now=now or contract.created_at + dt.timedelta(hours=1))


def active_contract(**kwargs) -> Contract:
    """Both parties signed an hour and two hours after drawing up."""
    contract = contract_awaiting_signatures(**kwargs)
    sign(contract, contract.owner, now=contract.created_at + dt.timedelta(hours=1))
    return sign(contract, contract.agency, now=contract.created_at + dt.timedelta(hours=2))


def price(value: str) -> Decimal:
    return Decimal(value)


MONOPOLY_DEPARTMENT = "重庆市水利局"


def make_monopoly(item=None, *, days: int = 10, department: str = MONOPOLY_DEPARTMENT,
                  now: dt.datetime = T0 - dt.timedelta(days=30)):
    """Publish `item` (the factories' item by default) as a monopoly item with its time limit,
    through the catalogue service a regulator uses (so the item's history has the revision)."""
    from marketplace.catalog.services import service_item_update
    from tests.factories.accounts import RegulatorFactory, member_of
    from tests.factories.bidding import service_item

    item = item or service_item()
    if (item.is_monopoly, item.time_limit_days, item.competent_department) == (
            True, days, department):
        return item
    return service_item_update(item, member_of(RegulatorFactory()), "依法仅少数机构具备资质",
                               now=now, is_monopoly=True, time_limit_days=days,
                               competent_department=department)


def monopoly_contract(*, days: int = 10, **kwargs) -> Contract:
    """A government department's project on a monopoly item (limit `days`) by direct selection,
    its one bid chosen, the contract signed by both parties (the clock running)."""
    from tests.factories.accounts import GovernmentOwnerFactory

    make_monopoly(days=days)
    kwargs.setdefault("owner", GovernmentOwnerFactory())
    return active_contract(method=Project.Method.DIRECT, prices=("80000.00",), min_bidders=1,
                           **kwargs)
