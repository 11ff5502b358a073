"""Schema-driven API fuzzing (issue #13 §2): every operation of our OpenAPI document, called
in-process through the WSGI app as an owner, an agency and a regulator, answers without a 5xx
and with a response the document describes. Bounded and derandomized so `make test` stays
reproducible: a fixed number of generated cases per operation and role, fixed seed."""

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

from marketplace.accounts.services.tokens import api_token_issue
from tests.factories.accounts import AgencyFactory, OwnerFactory, RegulatorFactory, member_of

MAX_EXAMPLES = 5
SEED = 13

_CONFIG = SchemathesisConfig.from_dict({
    "seed": SEED,
    "phases": {"examples": {"enabled": True}, "coverage": {"enabled": False},
               "fuzzing": {"enabled": True}, "stateful": {"enabled": False}},
    "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
})


def _openapi_document():
    # The same document `/api/schema/` serves, generated without a request (no database).
    generator = SchemaGenerator(urlconf="marketplace.schema_urls")
    return generator.get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(_openapi_document(), config=_CONFIG)
schema.app = get_wsgi_application()

# No 5xx, and a documented status answers with the documented body. (An undocumented 400/404
# is not flagged: most operations leave their refusals to the shared error format.)
CHECKS = [not_a_server_error, response_schema_conformance]

FACTORIES = {"owner": OwnerFactory, "agency": AgencyFactory, "regulator": RegulatorFactory}


@pytest.fixture(params=sorted(FACTORIES))
def token_header(request, db):
    user = member_of(FACTORIES[request.param]())
    _token, key = api_token_issue(user=user)
    return {"Authorization": f"Token {key}"}


@pytest.fixture
def tally(record_property):
    """Counts the generated cases and the answers by status class; `tests/conftest.py` sums
    them over the workers into one summary line (`schema fuzzing: N cases, ...`)."""
    counts = {"cases": 0, "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0}
    record_property("schema_fuzz", counts)  # filled in during the call, reported after it
    return counts


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django's handler closes the connection when a request ends; the test client keeps it
    open (the test's transaction holds the data), and so must this raw WSGI call."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_api_operation_answers_without_5xx_and_as_documented(case, token_header, tally):
    response = case.call(headers=token_header)
    tally["cases"] += 1
    tally[f"{response.status_code // 100}xx"] += 1
    case.validate_response(response, checks=CHECKS, headers=token_header)
