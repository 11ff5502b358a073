from django.core.management import call_command


def test_the_providers_endpoints_are_described_without_warnings(db, tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--urlconf", "tests.providers.schema_urls", "--validate",
                 "--fail-on-warn", "--file", str(out))
    text = out.read_text(encoding="utf-8")
    for path in ("/api/v1/agencies/:", "/api/v1/agencies/{id}/:",
                 "/api/v1/agencies/me/services/:", "/api/v1/agencies/me/services/{code}/:",
                 "/api/v1/agencies/me/qualifications/:",
                 "/api/v1/qualifications/{id}/verify/:", "/api/v1/qualifications/{id}/reject/:"):
        assert path in text
