"""The "agency" search document registered with the search interface."""

import pytest

from marketplace.accounts.models import Organization
from marketplace.search import registry
from providers.models import Qualification
from tests.factories.accounts import AgencyFactory
from tests.factories.providers import (
    AgencyServiceFactory,
    QualificationFactory,
    qualification_type,
    service_item,
)

pytestmark = pytest.mark.django_db


def document_of(agency):
    doc_type = registry.get("agency")
    return doc_type.documents(doc_type.queryset().filter(pk=agency.pk))[0]


def test_agency_document_type_is_registered_on_startup():
    doc_type = registry.get("agency")
    assert doc_type.model is Organization


def test_the_document_holds_what_people_search_agencies_by(agency):
    AgencyServiceFactory(agency=agency, service_item=service_item("EIA-R"),
                         fee_standard="按投资额0.5%计费", service_standard="导则HJ 2.1")
    QualificationFactory(agency=agency, qualification_type=qualification_type("CMA"))

    doc = document_of(agency)

    assert doc.pk == agency.pk
    assert doc.title == agency.name
    for text in ("环境影响评价（报告书）", "Environmental impact assessment (report)", "环境评价",
                 "按投资额0.5%计费", "导则HJ 2.1", "渝中区", "检验检测机构资质认定（CMA）",
                 "Inspection and testing body accreditation (CMA)", agency.uscc):
        assert text in doc.body


def test_rejected_and_expired_qualifications_are_not_indexed(agency):
    QualificationFactory(agency=agency, status=Qualification.Status.REJECTED)
    assert "环境影响评价" not in document_of(agency).body


def test_only_listed_agencies_are_indexed(owner):
    exited = AgencyFactory(status=Organization.Status.EXITED)
    indexed = set(registry.get("agency").queryset().values_list("pk", flat=True))
    assert exited.pk not in indexed and owner.pk not in indexed


def test_building_documents_takes_a_constant_number_of_queries(django_assert_num_queries):
    for _ in range(5):
        agency = AgencyFactory()
        AgencyServiceFactory(agency=agency)
        QualificationFactory(agency=agency)
    doc_type = registry.get("agency")
    # The agencies, their services, their qualifications, their former names.
    with django_assert_num_queries(4):
        documents = doc_type.documents(doc_type.queryset())
    assert len(documents) == 5
