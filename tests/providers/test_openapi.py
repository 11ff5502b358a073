"""Every providers endpoint is described in the OpenAPI document, with its methods, responses
and the fields a client reads (parsed, not searched as text)."""

import yaml
from django.core.management import call_command

PATHS = {
    "/api/v1/agencies/": {"get"},
    "/api/v1/agencies/{id}/": {"get"},
    "/api/v1/agencies/me/services/": {"get", "post"},
    "/api/v1/agencies/me/services/{code}/": {"patch", "delete"},
    "/api/v1/agencies/me/qualifications/": {"get", "post"},
    "/api/v1/qualifications/{id}/verify/": {"post"},
    "/api/v1/qualifications/{id}/reject/": {"post"},
}


def test_the_providers_endpoints_are_described_without_warnings(db, tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--urlconf", "tests.providers.schema_urls", "--validate",
                 "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text(encoding="utf-8"))
    for path, methods in PATHS.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), (path, set(schema["paths"][path]))
        for method in methods:
            assert schema["paths"][path][method]["responses"], (path, method)
    listed = schema["paths"]["/api/v1/agencies/"]["get"]["parameters"]
    assert {"q", "service_item", "region", "grade", "verified"} <= {p["name"] for p in listed}
