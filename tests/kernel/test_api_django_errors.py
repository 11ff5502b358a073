"""Under /api/ every error answers JSON with a `code`, also the ones Django answers itself
(a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a path no route matches, a crash, a CSRF failure);
the pages keep Django's HTML."""

import json

import pytest
from django.core.exceptions import RequestDataTooBig
from django.test import Client

from marketplace.catalog.api import RegionList
from tests.conftest import client_for
from tests.factories.bidding import published_project

pytestmark = pytest.mark.django_db

LIMIT = 1000


def _questions_url(project) -> str:
    return f"/api/v1/projects/{project.pk}/questions/"


@pytest.mark.parametrize("encoding", ["json", "urlencoded", "multipart"])
def test_an_api_body_over_the_size_limit_is_a_json_413_request_too_large(
        encoding, agency_admin, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT
    project = published_project()
    client = client_for(agency_admin)
    client.credentials(HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"],
                       HTTP_ACCEPT_LANGUAGE="en")
    text = "问" * LIMIT
    if encoding == "json":
        response = client.post(_questions_url(project), json.dumps({"text": text}),
                               content_type="application/json")
    elif encoding == "urlencoded":
        response = client.post(_questions_url(project), f"text={text}",
                               content_type="application/x-www-form-urlencoded")
    else:
        response = client.post(_questions_url(project), {"text": text})

    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "The request body is larger than the server accepts.",
                               "code": "request.too_large"}
    assert not project.questions.exists()


def test_a_body_too_large_met_outside_the_api_views_is_json_too(monkeypatch):
    """Read before DRF's handler can see it (a middleware, a decorator): Django's handler400."""
    def read_too_much(self, request, *args, **kwargs):
        raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")

    monkeypatch.setattr(RegionList, "dispatch", read_too_much)
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")

    response = client.post("/api/v1/regions/", {"text": "x"})

    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is larger than the server accepts.",
                               "code": "request.too_large"}


def test_a_body_too_large_for_a_page_keeps_django_s_400_page(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = LIMIT
    client = Client(raise_request_exception=False)

    response = client.post("/accounts/login/", {"username": "x" * (2 * LIMIT)})

    assert response.status_code == 400
    assert not response["Content-Type"].startswith("application/json")


def test_an_unknown_api_path_is_a_json_404_not_found(client):
    response = client.get("/api/v1/no-such-endpoint/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_an_unknown_page_is_still_an_html_404(client):
    response = client.get("/no-such-page-at-all/")

    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


def test_a_crash_under_api_is_a_json_500_server_error(monkeypatch):
    def crash(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(RegionList, "get", crash)
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/regions/")

    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert "boom" not in response.content.decode()


def test_a_suspicious_request_under_api_is_a_json_400_bad_request(settings):
    """A Host header not in ALLOWED_HOSTS is Django's SuspiciousOperation (DisallowedHost)."""
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/regions/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_a_method_the_endpoint_does_not_list_is_a_json_405(agency_admin):
    response = client_for(agency_admin).delete("/api/v1/regions/")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
