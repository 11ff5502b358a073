"""Every contract endpoint is described in the OpenAPI document, with its bodies."""

import yaml
from django.core.management import call_command

PATHS = {
    "/api/v1/contracts/": {"get"},
    "/api/v1/contracts/{id}/": {"get"},
    "/api/v1/contracts/{id}/sign/": {"post"},
    "/api/v1/contracts/{id}/deliver/": {"post"},
    "/api/v1/contracts/{id}/accept/": {"post"},
    "/api/v1/contracts/{id}/reject/": {"post"},
    "/api/v1/contracts/{id}/suspend/": {"post"},
    "/api/v1/contracts/{id}/resume/": {"post"},
    "/api/v1/contracts/{id}/terminate/": {"post"},
    "/api/v1/projects/{id}/award-next/": {"post"},
}


def test_the_schema_describes_every_contract_endpoint(db, tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--urlconf", "marketplace.schema_urls", "--validate",
                 "--file", str(out))
    schema = yaml.safe_load(out.read_text(encoding="utf-8"))
    for path, methods in PATHS.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), path
        for method in methods:
            assert {"200"} <= set(schema["paths"][path][method]["responses"]), (path, method)
    contract = schema["components"]["schemas"]["Contract"]["properties"]
    for field in ("id", "project", "owner", "agency", "price", "promised_days", "text",
                  "text_sha256", "status", "signatures", "service_clock", "deliveries"):
        assert field in contract, field
    deliver = schema["paths"]["/api/v1/contracts/{id}/deliver/"]["post"]["requestBody"]
    assert "multipart/form-data" in deliver["content"]
    sign = schema["components"]["schemas"]["SignInputRequest"]["properties"]
    assert "password" in sign
