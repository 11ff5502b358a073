from django.core.management import call_command


def test_openapi_schema_of_our_api_validates_without_warnings(db, tmp_path):
    # --fail-on-warn: an endpoint without request/response types would be a warning.
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--urlconf", "marketplace.schema_urls", "--validate",
                 "--fail-on-warn", "--file", str(out))
    text = out.read_text(encoding="utf-8")
    assert "/api/v1/register/agency/" in text
    assert "/console/" not in text
