"""Factories for violation cases, complaints and inspections: the rows are made through the
ratings services, so states, deadlines and audit entries are real."""

import datetime as dt

from bidding.models import Project
from marketplace.accounts.models import Organization
from ratings.services import cases, complaints, inspections
from tests.factories.accounts import (
    AgencyFactory,
    RegulatorFactory,
    in_regulators_group,
    member_of,
)
from tests.factories.bidding import T0, agency_offering, bid, open_bids, published_project, user_of
from tests.factories.files import pdf

OPENED_AT = T0 + dt.timedelta(days=10)  # a Thursday, after the test projects were opened


def opened_project_with_bid(*, owner: Organization | None = None,
                            agency: Organization | None = None) -> tuple[Project, Organization]:
    """A project of `owner` whose bids were opened, with one bid by `agency`."""
    agency = agency or agency_offering()
    kwargs = {"owner": owner} if owner is not None else {}
    project = published_project(min_bidders=1, **kwargs)
    bid(project, agency)
    return open_bids(project), agency


def owner_case(*, grounds: str = "contract_breach", now: dt.datetime = OPENED_AT, files=None,
               **kwargs):
    """A case an owner opened about an agency that bid on its opened project."""
    project, agency = opened_project_with_bid(**kwargs)
    return cases.case_open(respondent=agency, grounds=grounds, statement="逾期未提交报告",
                           project=project, by=user_of(project.owner),
                           files=[pdf("证据.pdf")] if files is None else files, now=now)


def regulator_with_staff(n: int = 3) -> tuple[Organization, list]:
    regulator = RegulatorFactory()
    return regulator, [in_regulators_group(member_of(regulator)) for _ in range(n)]


def complaint(*, subject: Organization | None = None, by=None, text: str = "服务态度恶劣",
              now: dt.datetime = OPENED_AT, files=()):
    subject = subject or AgencyFactory()
    by = by or user_of(AgencyFactory())
    return complaints.complaint_submit(subject=subject, text=text, by=by, files=files, now=now)


def plan(*, by, sample_size: int = 2, now: dt.datetime = OPENED_AT, **kwargs):
    return inspections.plan_create(title="2026年第一季度双随机抽查", sample_size=sample_size,
                                   by=by, now=now, **kwargs)
