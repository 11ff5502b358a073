"""A document type of the tests' own, over agencies (accounts.Organization): title = name,
body = address + the service items and service standards of its AgencyService rows. The tests
do not depend on the apps that will register the real "agency" and "project" types."""

import pytest

from marketplace.accounts.models import Organization
from marketplace.catalog.models import ServiceItem
from marketplace.search import DocumentType, SearchDocument, registry, services
from marketplace.search.backends import reset_backend
from providers.models import AgencyService
from tests.factories.accounts import AgencyFactory

TEST_TYPE = "test_org"


def org_document(org: Organization) -> SearchDocument:
    services_text = " ".join(
        f"{service.service_item.name} {service.service_standard}"
        for service in org.services.all()
    )
    return SearchDocument(pk=org.pk, title=org.name,
                          body=f"{org.address} {services_text}".strip())


def org_queryset():
    return Organization.objects.filter(kind=Organization.Kind.AGENCY).prefetch_related(
        "services__service_item"
    )


@pytest.fixture(autouse=True)
def _database_backend(settings):
    """Every test starts with a fresh backend; the database one unless it says otherwise."""
    settings.ELASTICSEARCH_URL = ""
    reset_backend()
    yield
    reset_backend()


@pytest.fixture
def org_type(monkeypatch) -> DocumentType:
    document_type = DocumentType(
        name=TEST_TYPE, model=Organization, queryset=org_queryset, to_document=org_document
    )
    monkeypatch.setitem(registry._registry, TEST_TYPE, document_type)
    return document_type


@pytest.fixture
def make_agency(db, org_type):
    """An agency with `name`, `address` and service items (by code), indexed at once."""

    def make(name: str, address: str = "", *, items: tuple[str, ...] = (),
             standard: str = "", index: bool = True) -> Organization:
        org = AgencyFactory(name=name, address=address)
        for code in items:
            AgencyService.objects.create(
                agency=org, service_item=ServiceItem.objects.get(code=code), promised_days=30,
                fee_standard="按国家收费标准下浮", service_standard=standard,
            )
        if index:
            services.index_objects(doc_type=TEST_TYPE, pks=[org.pk])
        return org

    return make


def search(query: str, *, limit: int = 100) -> list[int]:
    from marketplace import search as search_api

    return search_api.search_ids(TEST_TYPE, query, limit=limit)
