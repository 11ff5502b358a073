"""API shapes and status codes (API.md "Agencies")."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.audit.models import AuditEntry
from providers.models import AgencyService, Qualification
from tests.conftest import client_for
from tests.factories.accounts import AgencyFactory, member_of
from tests.factories.providers import (
    TINY_PNG,
    AgencyServiceFactory,
    QualificationFactory,
    service_item,
    upload,
)

pytestmark = pytest.mark.django_db

SERVICE = {"service_item": "SAFE-PRE", "promised_days": 25, "fee_standard": "按工作量计费",
           "fee_max": "30000.00", "service_standard": "符合AQ 8001要求"}


def test_directory_rows_have_the_listed_fields(api_client, agency):
    AgencyServiceFactory(agency=agency, service_item=service_item("EIA-R"))
    AgencyServiceFactory(agency=agency, service_item=service_item("COST"))

    body = api_client.get(reverse("api:agencies")).json()

    assert set(body) == {"count", "next", "previous", "results"}
    row = body["results"][0]
    assert {"id", "name", "uscc", "region", "grade", "score", "blacklisted",
            "services"} <= set(row)
    assert row == {
        "id": agency.pk, "name": agency.name, "uscc": agency.uscc, "region": "500103",
        "grade": "B", "score": "80.00", "blacklisted": False, "services": ["COST", "EIA-R"],
        "verified": False,
    }


def test_a_blacklisted_agency_is_listed_as_blacklisted(api_client, agency):
    agency.blacklisted_until = timezone.now() + dt.timedelta(days=30)
    agency.save()
    row = api_client.get(reverse("api:agencies")).json()["results"][0]
    assert row["blacklisted"] is True


def test_profile_has_the_listed_fields(api_client, agency):
    AgencyServiceFactory(agency=agency, service_item=service_item("EIA-R"), fee_max=None)
    verified = QualificationFactory(agency=agency, status=Qualification.Status.VERIFIED)
    QualificationFactory(agency=agency, status=Qualification.Status.REJECTED)

    body = api_client.get(reverse("api:agency", args=[agency.pk])).json()

    assert {"id", "name", "uscc", "region", "credit", "rating_summary", "blacklisted",
            "services", "qualifications"} <= set(body)
    assert body["region"] == "500103"
    assert body["credit"] == {"score": "80.00", "grade": "B"}
    assert body["rating_summary"] == {"count": 0, "average": None}
    assert body["blacklisted"] is False
    service = body["services"][0]
    assert {"service_item", "promised_days", "fee_standard", "service_standard"} <= set(service)
    assert service["service_item"] == "EIA-R"
    assert service["fee_max"] is None
    assert body["qualifications"] == [{
        "id": verified.pk, "type": "EIA", "type_name": "环境影响评价", "number": verified.number,
        "issuer": verified.issuer, "valid_until": verified.valid_until.isoformat(),
        "status": "verified",
    }]


def test_profile_of_a_non_agency_is_404(api_client, owner):
    refusal = api_client.get(reverse("api:agency", args=[owner.pk]))
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")
    refusal = api_client.get(reverse("api:agency", args=[999999]))
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")


def test_agency_admin_posts_a_service_and_gets_201(agency, agency_admin):
    response = client_for(agency_admin).post(reverse("api:my_services"), SERVICE, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["service_item"] == "SAFE-PRE"
    assert body["promised_days"] == 25
    assert body["fee_max"] == "30000.00"
    assert AgencyService.objects.get().agency == agency
    assert AuditEntry.objects.filter(action="agency_service.added").count() == 1


def test_posting_a_service_refuses_bad_input_with_field_errors(agency_admin):
    client = client_for(agency_admin)
    response = client.post(reverse("api:my_services"), {**SERVICE, "promised_days": 0},
                           format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    body = response.json()
    assert body.pop("code") == "invalid"
    assert list(body) == ["promised_days"]
    response = client.post(reverse("api:my_services"), {**SERVICE, "service_item": "NOPE"},
                           format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "service_item" in response.json()
    client.post(reverse("api:my_services"), SERVICE, format="json")
    duplicate = client.post(reverse("api:my_services"), SERVICE, format="json")
    assert duplicate.status_code == 400
    assert duplicate.json()["code"] == "invalid"
    assert "service_item" in duplicate.json()


def test_posting_a_service_needs_an_agency_admin(api_client, agency, agency_staff, owner_admin):
    url = reverse("api:my_services")
    refusal = api_client.post(url, SERVICE, format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (401, "not_authenticated")
    refusal = client_for(agency_staff).post(url, SERVICE, format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (403, "not_allowed")
    refusal = client_for(owner_admin).post(url, SERVICE, format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (403, "not_allowed")
    assert not AgencyService.objects.exists()


def test_patch_changes_only_what_is_sent(agency, agency_admin):
    AgencyServiceFactory(agency=agency, service_item=service_item("EIA-R"), promised_days=30,
                         regional_alerts=True)
    url = reverse("api:my_service", args=["EIA-R"])

    response = client_for(agency_admin).patch(url, {"promised_days": 21}, format="json")

    assert response.status_code == 200
    service = AgencyService.objects.get()
    assert service.promised_days == 21
    assert service.fee_max == Decimal("50000.00")
    assert service.regional_alerts is True
    cleared = client_for(agency_admin).patch(url, {"fee_max": None}, format="json")
    assert cleared.json()["fee_max"] is None


def test_patch_and_delete_errors(agency, agency_admin, agency_staff):
    AgencyServiceFactory(agency=agency, service_item=service_item("EIA-R"))
    url = reverse("api:my_service", args=["EIA-R"])
    admin = client_for(agency_admin)
    refusal = admin.patch(url, {"promised_days": 0}, format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (400, "invalid")
    assert client_for(agency_staff).patch(url, {"promised_days": 5},
                                          format="json").status_code == 403
    refusal = client_for(agency_staff).delete(url)
    assert (refusal.status_code, refusal.json()["code"]) == (403, "not_allowed")
    missing = reverse("api:my_service", args=["COST"])
    refusal = admin.patch(missing, {"promised_days": 5}, format="json")
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")
    refusal = admin.delete(missing)
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")
    # Another agency's admin cannot reach this agency's service: it is not "theirs".
    stranger = client_for(member_of(AgencyFactory()))
    refusal = stranger.delete(url)
    assert (refusal.status_code, refusal.json()["code"]) == (404, "not_found")


def test_delete_removes_the_service(agency, agency_admin):
    AgencyServiceFactory(agency=agency, service_item=service_item("EIA-R"))
    response = client_for(agency_admin).delete(reverse("api:my_service", args=["EIA-R"]))
    assert response.status_code == 204
    assert not AgencyService.objects.exists()


def test_get_my_services(agency, agency_staff):
    AgencyServiceFactory(agency=agency, service_item=service_item("EIA-R"))
    body = client_for(agency_staff).get(reverse("api:my_services")).json()
    assert [s["service_item"] for s in body] == ["EIA-R"]
    assert "regional_alerts" in body[0]


def test_declare_a_qualification_multipart_201_declared(agency, agency_admin):
    valid_until = (timezone.localdate() + dt.timedelta(days=200)).isoformat()
    response = client_for(agency_admin).post(reverse("api:my_qualifications"), {
        "type": "SURVEY-B", "number": "乙测资字50012345", "issuer": "重庆市规划和自然资源局",
        "valid_until": valid_until, "file": upload("scan.png", TINY_PNG),
    }, format="multipart")

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "declared"
    assert body["type"] == "SURVEY-B"
    assert body["valid_until"] == valid_until
    assert Qualification.objects.get().agency == agency


def test_declare_errors(api_client, agency_admin, agency_staff):
    url = reverse("api:my_qualifications")
    data = {"type": "EIA", "number": "1", "issuer": "x",
            "valid_until": (timezone.localdate() + dt.timedelta(days=9)).isoformat()}
    refusal = api_client.post(url, {**data, "file": upload()},
                              format="multipart")
    assert (refusal.status_code, refusal.json()["code"]) == (401, "not_authenticated")
    refusal = client_for(agency_staff).post(url, {**data, "file": upload()},
                                            format="multipart")
    assert (refusal.status_code, refusal.json()["code"]) == (403, "not_allowed")
    response = client_for(agency_admin).post(url, {**data, "type": "NOPE", "file": upload()},
                                             format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "type" in response.json()
    response = client_for(agency_admin).post(url, data, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "file" in response.json()


def test_the_openapi_schema_documents_every_agency_endpoint(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path, methods in {
        "/api/v1/agencies/": {"get"},
        "/api/v1/agencies/{id}/": {"get"},
        "/api/v1/agencies/me/services/": {"get", "post"},
        "/api/v1/agencies/me/services/{code}/": {"patch", "delete"},
        "/api/v1/agencies/me/qualifications/": {"get", "post"},
        "/api/v1/qualifications/{id}/verify/": {"post"},
        "/api/v1/qualifications/{id}/reject/": {"post"},
    }.items():
        assert methods <= set(paths[path]), path
    parameters = {p["name"] for p in paths["/api/v1/agencies/"]["get"]["parameters"]}
    assert {"q", "service_item", "region", "grade", "verified", "ordering", "page",
            "page_size"} <= parameters
    declare = paths["/api/v1/agencies/me/qualifications/"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in declare
