"""Bidding factories: projects, agencies that offer a service item, bids made through the
services (so receipts, commitments and audit entries are real)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model

from bidding import sealing, services
from bidding.models import Bid, Project
from marketplace.accounts.models import Membership, Organization
from marketplace.catalog.models import ServiceItem
from providers.models import AgencyService, Qualification, QualificationType
from tests.factories.accounts import AgencyFactory, OwnerFactory, member_of, region

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday morning: deadlines and publicity periods fall on plain working days.
T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
ITEM_CODE = "EIA-R"


def service_item(code: str = ITEM_CODE) -> ServiceItem:
    return ServiceItem.objects.get(code=code)


def user_of(organization: Organization):
    """The organization's first admin, created on first use."""
    membership = (Membership.objects.filter(organization=organization, role="admin")
                  .select_related("user").order_by("id").first())
    return membership.user if membership else member_of(organization)


def offer(agency: Organization, item: ServiceItem | None = None, *, promised_days: int = 30,
          fee_max: Decimal | None = None, regional_alerts: bool = False) -> AgencyService:
    return AgencyService.objects.create(
        agency=agency, service_item=item or service_item(), promised_days=promised_days,
        fee_standard="按国家收费标准下浮", fee_max=fee_max, service_standard="按规范出具报告",
        regional_alerts=regional_alerts)


def agency_offering(item: ServiceItem | None = None, *, promised_days: int = 30,
                    fee_max: Decimal | None = None, regional_alerts: bool = False,
                    **org_kwargs) -> Organization:
    agency = AgencyFactory(**org_kwargs)
    offer(agency, item, promised_days=promised_days, fee_max=fee_max,
          regional_alerts=regional_alerts)
    return agency


def qualify(agency: Organization, code: str, *, valid_until: dt.date | None = None,
            status: str = Qualification.Status.DECLARED) -> Qualification:
    return Qualification.objects.create(
        agency=agency, qualification_type=QualificationType.objects.get(code=code),
        number=f"Q-{agency.pk}-{code}", issuer="重庆市生态环境局",
        valid_until=valid_until or dt.date(2030, 12, 31), file="qualifications/test.pdf",
        status=status)


class ProjectFactory(factory.django.DjangoModelFactory):
    """A draft project straight in the database (use `publish` for the real flow)."""

    class Meta:
        model = Project

    owner = factory.SubFactory(OwnerFactory)
    title = factory.Sequence(lambda n: f"某道路改扩建工程环境影响评价{n}")
    service_item = factory.LazyFunction(service_item)
    description = "编制环境影响报告书并取得批复。"
    region = factory.LazyFunction(region)
    budget_cap = Decimal("100000.00")
    selection_method = Project.Method.LOWEST_PRICE
    bid_deadline = T0 + dt.timedelta(days=4)
    min_bidders = 3
    complaint_contact = "023-88888888"
    # A government department's project is on a budget line (issue 17 §2).
    funding_source = factory.LazyAttribute(
        lambda o: Project.FundingSource.GOVERNMENT_BUDGET if o.owner.is_government_owner
        else Project.FundingSource.OWN_FUNDS)
    budget_reference = factory.LazyAttribute(
        lambda o: "渝财建〔2026〕12号" if o.owner.is_government_owner else "")


def publish(project: Project, *, now: dt.datetime = T0) -> Project:
    return services.project_publish(project=project, by=user_of(project.owner), now=now)


def published_project(*, now: dt.datetime = T0, **kwargs) -> Project:
    kwargs.setdefault("bid_deadline", now + dt.timedelta(days=4))
    return publish(ProjectFactory(**kwargs), now=now)


def bid(project: Project, agency: Organization, price="80000.00", *, promised_days: int = 20,
        proposal: str = "技术方案", now: dt.datetime | None = None, **kwargs) -> Bid:
    now = now or project.published_at + dt.timedelta(hours=1)
    return services.bid_submit(project=project, by=user_of(agency),
                               price=Decimal(price) if price is not None else None,
                               promised_days=promised_days, proposal=proposal, now=now,
                               **kwargs)


def as_its_agency(offer: Bid) -> Bid:
    """The bid re-read from the database and decrypted as its agency sees it: before opening
    its price, rate and proposal are only in the sealed blob (bidding.sealing)."""
    offer.refresh_from_db()
    return sealing.reveal_to_bidder(offer, offer.agency)


def open_bids(project: Project, *, now: dt.datetime | None = None) -> Project:
    project.refresh_from_db()
    return services.project_open(project=project, now=now or project.bid_deadline)


def users_of(organization: Organization):
    return get_user_model().objects.filter(membership__organization=organization)
