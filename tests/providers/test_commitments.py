"""Service scope and the three commitments (三承诺): who may change them and what is kept."""

from decimal import Decimal

import pytest

from marketplace.audit.models import AuditEntry
from marketplace.errors import DomainError, NotAllowed
from marketplace.outbox.models import OutboxMessage
from providers import services
from providers.models import AgencyService
from tests.factories.accounts import AgencyFactory, member_of
from tests.factories.providers import AgencyServiceFactory, service_item

pytestmark = pytest.mark.django_db

COMMITMENTS = {
    "promised_days": 20,
    "fee_standard": "按评价工作量计费，下浮15%",
    "fee_max": Decimal("80000.00"),
    "service_standard": "报告一次性通过技术评审",
}


def add(agency, by, item="EIA-R", **overrides):
    return services.agency_service_add(
        agency=agency, service_item=service_item(item), by=by, **{**COMMITMENTS, **overrides}
    )


def test_agency_admin_adds_a_service_with_its_three_commitments(agency, agency_admin):
    service = add(agency, agency_admin)

    service.refresh_from_db()
    assert service.agency == agency
    assert service.service_item.code == "EIA-R"
    assert service.commitments() == {
        "promised_days": 20, "fee_standard": "按评价工作量计费，下浮15%",
        "fee_max": "80000.00", "service_standard": "报告一次性通过技术评审",
    }


def test_fee_max_is_optional(agency, agency_admin):
    service = add(agency, agency_admin, fee_max=None)
    assert service.commitments()["fee_max"] is None


def test_adding_is_audited_and_reindexes_the_agency_after_commit(agency, agency_admin):
    service = add(agency, agency_admin)

    entry = AuditEntry.objects.get(action="agency_service.added")
    assert entry.actor == agency_admin
    assert entry.organization == agency
    assert entry.object_id == str(service.pk)
    assert entry.data["service_item"] == "EIA-R"
    assert entry.data["promised_days"] == 20
    # The outbox stores the intent in the transaction and sends it once it commits.
    message = OutboxMessage.objects.get(task_name="search.index")
    assert message.kwargs == {"doc_type": "agency", "pks": [agency.pk]}


@pytest.mark.parametrize("days", [0, -3])
def test_promised_days_must_be_at_least_one(agency, agency_admin, days):
    with pytest.raises(DomainError) as refused:
        add(agency, agency_admin, promised_days=days)
    assert refused.value.field == "promised_days"
    assert not AgencyService.objects.exists()


@pytest.mark.parametrize("field", ["fee_standard", "service_standard"])
def test_fee_and_service_standards_are_required(agency, agency_admin, field):
    with pytest.raises(DomainError) as refused:
        add(agency, agency_admin, **{field: "   "})
    assert refused.value.field == field


def test_negative_maximum_fee_is_refused(agency, agency_admin):
    with pytest.raises(DomainError) as refused:
        add(agency, agency_admin, fee_max=Decimal("-1"))
    assert refused.value.field == "fee_max"


def test_the_same_item_cannot_be_offered_twice(agency, agency_admin):
    add(agency, agency_admin)
    with pytest.raises(DomainError) as refused:
        add(agency, agency_admin)
    assert refused.value.field == "service_item"
    assert AgencyService.objects.count() == 1


def test_staff_of_the_agency_cannot_change_services(agency, agency_staff):
    with pytest.raises(NotAllowed) as refused:
        add(agency, agency_staff)
    assert refused.value.code == "not_allowed"
    assert not AgencyService.objects.exists()


def test_admin_of_another_agency_cannot_change_services(agency):
    stranger = member_of(AgencyFactory())
    with pytest.raises(NotAllowed) as refused:
        add(agency, stranger)
    assert refused.value.code == "not_allowed"


def test_owners_and_regulators_cannot_declare_services(owner, owner_admin, regulator_user,
                                                        agency):
    with pytest.raises(NotAllowed) as refused:
        add(owner, owner_admin)
    assert refused.value.code == "not_allowed"
    with pytest.raises(NotAllowed) as refused:
        add(agency, regulator_user)
    assert refused.value.code == "not_allowed"


def test_admin_edits_commitments_and_the_edit_is_audited_with_before_and_after(agency,
                                                                                agency_admin):
    service = AgencyServiceFactory(agency=agency, promised_days=30)

    services.agency_service_update(service=service, by=agency_admin, **COMMITMENTS)

    service.refresh_from_db()
    assert service.promised_days == 20
    assert service.fee_max == Decimal("80000.00")
    entry = AuditEntry.objects.get(action="agency_service.updated")
    assert entry.data["before"]["promised_days"] == 30
    assert entry.data["after"]["promised_days"] == 20


def test_edit_keeps_regional_alerts_unless_given(agency, agency_admin):
    service = AgencyServiceFactory(agency=agency, regional_alerts=True)
    services.agency_service_update(service=service, by=agency_admin, **COMMITMENTS)
    service.refresh_from_db()
    assert service.regional_alerts is True
    services.agency_service_update(service=service, by=agency_admin, regional_alerts=False,
                                   **COMMITMENTS)
    service.refresh_from_db()
    assert service.regional_alerts is False


def test_edit_refuses_invalid_commitments(agency, agency_admin):
    service = AgencyServiceFactory(agency=agency, promised_days=30)
    with pytest.raises(DomainError) as refused:
        services.agency_service_update(service=service, by=agency_admin,
                                       **{**COMMITMENTS, "promised_days": 0})
    assert refused.value.code == "invalid"
    service.refresh_from_db()
    assert service.promised_days == 30


def test_staff_cannot_edit_or_remove(agency, agency_staff):
    service = AgencyServiceFactory(agency=agency)
    with pytest.raises(NotAllowed) as refused:
        services.agency_service_update(service=service, by=agency_staff, **COMMITMENTS)
    assert refused.value.code == "not_allowed"
    with pytest.raises(NotAllowed) as refused:
        services.agency_service_remove(service=service, by=agency_staff)
    assert refused.value.code == "not_allowed"
    assert AgencyService.objects.filter(pk=service.pk).exists()


def test_admin_removes_a_service_and_the_removal_is_audited(agency, agency_admin, indexed):
    service = AgencyServiceFactory(agency=agency)

    services.agency_service_remove(service=service, by=agency_admin)

    assert not AgencyService.objects.filter(pk=service.pk).exists()
    entry = AuditEntry.objects.get(action="agency_service.removed")
    assert entry.object_id == str(service.pk)
    assert entry.data["service_item"] == service.service_item.code
    assert indexed == [("agency", agency.pk)]


def test_every_change_asks_for_a_reindex(agency, agency_admin, indexed):
    service = add(agency, agency_admin)
    services.agency_service_update(service=service, by=agency_admin, **COMMITMENTS)
    services.agency_service_remove(service=service, by=agency_admin)
    assert indexed == [("agency", agency.pk)] * 3
