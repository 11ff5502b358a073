"""Every bidding endpoint is described in the OpenAPI document, with its bodies."""

import yaml
from django.core.management import call_command

PATHS = {
    "/api/v1/projects/": {"get", "post"},
    "/api/v1/projects/{id}/": {"get", "patch"},
    "/api/v1/projects/{id}/publish/": {"post"},
    "/api/v1/projects/{id}/cancel/": {"post"},
    "/api/v1/projects/{id}/amendments/": {"get", "post"},
    "/api/v1/projects/{id}/open/": {"post"},
    "/api/v1/projects/{id}/award/": {"post"},
    "/api/v1/projects/{id}/finalize/": {"post"},
    "/api/v1/projects/{id}/republish/": {"post"},
    "/api/v1/projects/{id}/questions/": {"get", "post"},
    "/api/v1/questions/{id}/answer/": {"post"},
    "/api/v1/projects/{id}/bids/": {"get", "post"},
    "/api/v1/bids/{id}/": {"get", "patch", "delete"},
    "/api/v1/bids/{id}/confirm/": {"post"},
    "/api/v1/bids/{id}/justification/": {"post"},
    "/api/v1/bids/{id}/justification/decide/": {"post"},
    "/api/v1/projects/{id}/objections/": {"get", "post"},
    "/api/v1/objections/{id}/decide/": {"post"},
}


def test_the_schema_describes_every_bidding_endpoint(db, tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--urlconf", "marketplace.schema_urls", "--validate",
                 "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text(encoding="utf-8"))
    for path, methods in PATHS.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), path
        for method in methods:
            assert schema["paths"][path][method]["responses"], (path, method)
    project = schema["components"]["schemas"]["Project"]["properties"]
    for field in ("bid_count", "draw_commitment", "draw", "award", "contract"):
        assert field in project
    bids = schema["paths"]["/api/v1/projects/{id}/bids/"]["get"]["responses"]["200"]
    listed = bids["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"sealed", "bid_count"} <= set(schema["components"]["schemas"][listed]["properties"])
