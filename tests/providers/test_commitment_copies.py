"""A bid or a contract keeps its own copy of the commitments: editing the service later never
rewrites what was promised. The bidding and contracts apps embed the abstract `Commitments`."""

from decimal import Decimal

import pytest

from providers import services
from providers.models import AgencyService, Commitments
from tests.factories.accounts import AgencyFactory
from tests.factories.providers import AgencyServiceFactory

pytestmark = pytest.mark.django_db

NEW = {"promised_days": 45, "fee_standard": "新的收费标准", "fee_max": None,
       "service_standard": "新的服务标准"}


def test_commitments_is_abstract_and_each_subclass_has_its_own_columns():
    assert Commitments._meta.abstract
    for name in Commitments.COMMITMENT_FIELDS:
        assert AgencyService._meta.get_field(name).model is AgencyService


def test_commitments_snapshot_has_the_three_commitments():
    service = AgencyServiceFactory.build(promised_days=12, fee_standard="固定价",
                                         fee_max=Decimal("9000.5"), service_standard="一次通过")
    assert service.commitments() == {
        "promised_days": 12, "fee_standard": "固定价", "fee_max": "9000.5",
        "service_standard": "一次通过",
    }


def test_a_bid_keeps_the_commitments_it_was_made_with_after_the_service_is_edited():
    """Through the real services and the database: the bid's row, read again after the edit."""
    from tests.factories.bidding import bid, published_project, user_of

    project = published_project()
    service = AgencyServiceFactory(service_item=project.service_item, promised_days=30,
                                   fee_max=None)
    offer = bid(project, service.agency, "80000.00", promised_days=30)
    before = {name: getattr(offer, name) for name in ("fee_standard", "service_standard")}

    services.agency_service_update(service=service, by=user_of(service.agency), **NEW)

    offer.refresh_from_db()
    assert {name: getattr(offer, name) for name in before} == before
    assert before["fee_standard"] != NEW["fee_standard"]
    service.refresh_from_db()
    assert service.commitments()["promised_days"] == 45


def test_a_copied_commitments_row_is_independent_of_its_source(agency, agency_admin):
    source = AgencyServiceFactory(agency=agency, promised_days=30)
    # Any concrete Commitments subclass (a bid, a contract) copies the same way.
    copy = AgencyService(agency=AgencyFactory(), service_item=source.service_item)
    copy.copy_commitments_from(source)
    copy.save()

    services.agency_service_update(service=source, by=agency_admin, **NEW)

    copy.refresh_from_db()
    assert copy.promised_days == 30
    assert copy.fee_standard == "按国家指导价下浮20%收取"
    assert copy.fee_max == Decimal("50000.00")


def test_removing_the_service_leaves_a_snapshot_intact(agency, agency_admin):
    service = AgencyServiceFactory(agency=agency)
    promised = service.commitments()
    services.agency_service_remove(service=service, by=agency_admin)
    assert promised["promised_days"] == 30
