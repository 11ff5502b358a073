"""Ratings factories: closed contracts to rate (rows written directly, so these tests do not
depend on the contracts services), ledger events through the real service, and regulators."""

import datetime as dt
import hashlib
from decimal import Decimal

from bidding.models import Award, Project
from contracts.models import Contract, ContractTemplate
from marketplace.accounts.models import Organization
from ratings import services
from ratings.models import CreditEvent
from tests.factories.accounts import RegulatorFactory, in_regulators_group, member_of
from tests.factories.bidding import T0, agency_offering, bid, published_project, user_of


def regulator_user():
    """A regulator's staff member. Like every regulator account (create_regulator, an accepted
    invitation to the regulator) it is in the "Regulators" group, so it may use the console."""
    return in_regulators_group(member_of(RegulatorFactory()))


def contract_template() -> ContractTemplate:
    template = ContractTemplate.objects.filter(is_active=True).first()
    if template is None:
        template = ContractTemplate.objects.create(version=900, title="中介服务合同",
                                                   body="甲方委托乙方……", is_active=True)
    return template


def closed_contract(*, owner: Organization | None = None, agency: Organization | None = None,
                    status: str = Contract.Status.COMPLETED,
                    closed_at: dt.datetime | None = None) -> Contract:
    """A contract between `owner` and `agency` that became completed/terminated at
    `closed_at` (T0 + 30 days by default), with its rating window opened."""
    agency = agency or agency_offering()
    kwargs = {"owner": owner} if owner is not None else {}
    project = published_project(min_bidders=1, **kwargs)
    offer = bid(project, agency)
    closed_at = closed_at or T0 + dt.timedelta(days=30)
    award = Award.objects.create(project=project, bid=offer, proposed_at=T0,
                                 publicity_ends_at=T0 + dt.timedelta(days=8), final=True,
                                 finalized_at=T0 + dt.timedelta(days=8))
    Project.objects.filter(pk=project.pk).update(status=Project.Status.AWARDED)
    template = contract_template()
    text = f"{template.body} {project.title}"
    contract = Contract.objects.create(
        project=project, award=award, bid=offer, owner=project.owner, agency=agency,
        template=template, template_version=template.version, price=offer.price,
        promised_days=offer.promised_days, text=text,
        text_sha256=hashlib.sha256(text.encode()).hexdigest(), status=status,
        created_at=T0 + dt.timedelta(days=8), signing_deadline=T0 + dt.timedelta(days=15),
        activated_at=T0 + dt.timedelta(days=9),
        completed_at=closed_at if status == Contract.Status.COMPLETED else None,
        terminated_at=closed_at if status == Contract.Status.TERMINATED else None)
    services.rating_window_open(contract=contract)
    return contract


def event(organization: Organization, event_type: str = "regulator_decision", *,
          now: dt.datetime = T0, **kwargs) -> CreditEvent:
    return services.credit_event_record(organization=organization, event_type=event_type,
                                        now=now, **kwargs)


def rating_event(organization: Organization, value, *, now: dt.datetime = T0,
                 **kwargs) -> CreditEvent:
    return services.credit_event_record(organization=organization,
                                        event_type="rating_received",
                                        rating_value=Decimal(str(value)), now=now, **kwargs)


__all__ = ["T0", "closed_contract", "event", "rating_event", "regulator_user", "user_of"]
