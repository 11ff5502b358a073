"""Every API endpoint answers exactly the methods the contract lists (API.md), no more.

A view that inherits from another inherits its handlers: `DELETE bids/{id}/justification/decide/`
once withdrew the bid because the view subclassed `BidDetail`. The table below is the one place
that says which methods each `/api/v1/` path allows (API.md's, plus the documented extensions);
the URL conf's views and the OpenAPI document must both agree with it. OPTIONS and HEAD aside.
"""

import re

import pytest
from django.urls import URLResolver, get_resolver

from tests.conftest import client_for
from tests.factories.bidding import T0, agency_offering, bid, published_project, user_of

pytestmark = pytest.mark.django_db

ALLOWED_METHODS = {
    "auth/token/": {"POST"},
    "auth/tokens/": {"GET"},
    "auth/tokens/{}/": {"DELETE"},
    "auth/logout-everywhere/": {"POST"},
    "auth/password/": {"POST"},
    "register/agency/": {"POST"},
    "register/owner/": {"POST"},
    "me/": {"GET"},
    "service-items/": {"GET"},
    "service-items/{}/": {"GET"},
    "regions/": {"GET"},
    "audit/checkpoints/": {"GET"},
    "audit/checkpoints/key/": {"GET"},
    "pki/root.pem": {"GET"},
    "pki/crl.der": {"GET"},
    "verify/contract/": {"POST"},
    "agencies/": {"GET"},
    "agencies/{}/": {"GET"},
    "agencies/me/services/": {"GET", "POST"},
    "agencies/me/services/{}/": {"PATCH", "DELETE"},
    "agencies/me/qualifications/": {"GET", "POST"},
    "agencies/me/stripe-account/": {"POST"},
    "qualifications/{}/verify/": {"POST"},
    "qualifications/{}/reject/": {"POST"},
    "projects/": {"GET", "POST"},
    "projects/{}/": {"GET", "PATCH"},
    "projects/{}/publish/": {"POST"},
    "projects/{}/cancel/": {"POST"},
    "projects/{}/amendments/": {"GET", "POST"},
    "projects/{}/open/": {"POST"},
    "projects/{}/award/": {"POST"},
    "projects/{}/award-next/": {"POST"},
    "projects/{}/finalize/": {"POST"},
    "projects/{}/republish/": {"POST"},
    "projects/{}/documents/": {"GET", "POST"},
    "projects/{}/documents/{}/download/": {"GET"},
    "saved-searches/": {"GET", "POST"},
    "saved-searches/{}/": {"GET", "PATCH", "DELETE"},
    "notifications/": {"GET"},
    "notifications/unread-count/": {"GET"},
    "notifications/read-all/": {"POST"},
    "notifications/preferences/": {"GET", "PUT"},
    "notifications/{}/read/": {"POST"},
    "projects/{}/questions/": {"GET", "POST"},
    "questions/{}/answer/": {"POST"},
    "projects/{}/bids/": {"GET", "POST"},
    "bids/{}/": {"GET", "PATCH", "DELETE"},
    "bids/{}/confirm/": {"POST"},
    "bids/{}/justification/": {"POST"},
    "bids/{}/justification/decide/": {"POST"},
    "projects/{}/objections/": {"GET", "POST"},
    "objections/{}/decide/": {"POST"},
    "price-index/": {"GET"},
    "contracts/": {"GET"},
    "contracts/{}/": {"GET"},
    **{f"contracts/{{}}/{action}/": {"POST"} for action in (
        "sign", "refuse", "deliver", "accept", "reject", "suspend", "resume", "continue",
        "terminate")},
    "contracts/{}/payments/": {"GET", "POST"},
    "contracts/{}/signed.pdf": {"GET"},
    "payments/{}/": {"GET"},
    **{f"payments/{{}}/{action}/": {"POST"} for action in (
        "confirm", "dispute", "withdraw", "resolve")},
    "payments/stripe/webhook/": {"POST"},
    "credit/{}/": {"GET"},
    "credit/{}/events/": {"POST"},
    "credit-events/{}/reverse/": {"POST"},
    "blacklist/": {"GET", "POST"},
    "blacklist/{}/lift/": {"POST"},
    "blacklist/{}/appeal/": {"POST"},
    "blacklist/{}/repair/": {"POST"},
    "appeals/{}/decide/": {"POST"},
    "repairs/{}/decide/": {"POST"},
    "organizations/{}/exit/": {"POST"},
    "organizations/{}/suspend/": {"POST"},
    "organizations/{}/reinstate/": {"POST"},
    "organizations/{}/ratings/": {"GET"},
    "contracts/{}/ratings/": {"GET", "POST"},
    "ratings/{}/reply/": {"POST"},
    "cases/": {"GET", "POST"},
    "cases/{}/": {"GET"},
    "cases/{}/reply/": {"POST"},
    "cases/{}/decide/": {"POST"},
    "cases/{}/evidence/{}/": {"GET"},
    "complaints/": {"GET", "POST"},
    "complaints/queue/": {"GET"},
    "complaints/{}/": {"GET"},
    "complaints/{}/accept/": {"POST"},
    "complaints/{}/decide/": {"POST"},
    "complaints/{}/attachments/{}/": {"GET"},
    "inspections/": {"GET", "POST"},
    "inspections/{}/": {"GET"},
    "inspections/{}/draw/": {"POST"},
    "inspection-targets/{}/result/": {"POST"},
    "red-flags/": {"GET"},
    "red-flags/run/": {"POST"},
    "open-data/ocds/": {"GET"},
    "open-data/ocds/releases/": {"GET"},
    "open-data/ocds/records/": {"GET"},
    "open-data/ocds/projects/{}/releases/": {"GET"},
    "open-data/ocds/projects/{}/record/": {"GET"},
    "open-data/credit.csv": {"GET"},
    "open-data/credit.json": {"GET"},
    "webhooks/": {"GET", "POST"},
    "webhooks/{}/": {"GET", "PATCH"},
    "webhooks/{}/rotate-secret/": {"POST"},
    "webhooks/{}/deliveries/": {"GET"},
    "webhooks/{}/deliveries/{}/resend/": {"POST"},
}
IGNORED = {"OPTIONS", "HEAD"}
PREFIX = "api/v1/"


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


def _view_methods(callback) -> set[str]:
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    assert view is not None, f"{callback} is not a class-based view"
    return {m.upper() for m in view.http_method_names if hasattr(view, m)} - IGNORED


def api_routes() -> dict[str, set[str]]:
    return {re.sub(r"<(?:\w+:)?\w+>", "{}", route.removeprefix(PREFIX)): _view_methods(callback)
            for route, callback in _routes(get_resolver().url_patterns)
            if route.startswith(PREFIX)}


def test_the_views_allow_exactly_the_listed_methods_on_every_api_path():
    routes = api_routes()

    assert set(routes) == set(ALLOWED_METHODS), "a path is missing from the table, or gone"
    extra = {path: sorted(methods - ALLOWED_METHODS[path])
             for path, methods in routes.items() if methods - ALLOWED_METHODS[path]}
    missing = {path: sorted(ALLOWED_METHODS[path] - methods)
               for path, methods in routes.items() if ALLOWED_METHODS[path] - methods}
    assert extra == {}, "views allow methods the contract does not list"
    assert missing == {}, "views lack methods the contract lists"


def test_the_openapi_document_lists_exactly_the_listed_methods(client):
    schema = client.get("/api/schema/?format=json").json()

    documented = {re.sub(r"\{\w+\}", "{}", path.removeprefix("/" + PREFIX)):
                  {m.upper() for m in operations if m.upper() not in IGNORED | {"PARAMETERS"}}
                  for path, operations in schema["paths"].items()
                  if path.startswith("/" + PREFIX)}

    assert documented == ALLOWED_METHODS


@pytest.mark.parametrize("suffix", ["confirm/", "justification/", "justification/decide/"])
@pytest.mark.parametrize("method", ["delete", "patch", "put", "get"])
def test_bid_sub_endpoints_refuse_methods_they_do_not_list_and_leave_the_bid_alone(
        suffix, method):
    """The probe's finding: DELETE on justification/decide/ answered 204 and withdrew."""
    agency = agency_offering()
    submitted = bid(published_project(now=T0), agency)
    client = client_for(user_of(agency))

    response = getattr(client, method)(f"/api/v1/bids/{submitted.pk}/{suffix}")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    submitted.refresh_from_db()
    assert submitted.withdrawn_at is None
    assert submitted.status == "submitted"
