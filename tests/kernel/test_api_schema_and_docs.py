"""The OpenAPI document and the API docs, served with no internet (DESIGN §2, §5)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db

EXTERNAL_ASSET = re.compile(
    r"""<(?:script|img|iframe|source|video|audio)\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?//"""
    r"""|@import\s+(?:url\()?["']?(?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//""",
    re.IGNORECASE,
)


def test_schema_is_an_openapi_3_document_with_the_kernel_paths(client):
    response = client.get("/api/schema/?format=json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/register/agency/", "/api/v1/register/owner/", "/api/v1/auth/token/",
                 "/api/v1/me/", "/api/v1/service-items/", "/api/v1/regions/"):
        assert path in schema["paths"], path
    register = schema["paths"]["/api/v1/register/agency/"]["post"]
    assert "201" in register["responses"]
    assert not any(path.startswith("/console/") for path in schema["paths"])


def test_schema_is_served_as_yaml_by_default(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    assert response.content.decode().startswith("openapi: 3.")


def test_openapi_schema_of_our_api_validates_without_warnings(tmp_path):
    # --fail-on-warn: an endpoint without request/response types would be a warning.
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--urlconf", "marketplace.schema_urls", "--validate",
                 "--fail-on-warn", "--file", str(out))
    text = out.read_text(encoding="utf-8")
    assert "/api/v1/register/agency/" in text
    assert "/console/" not in text


def test_swagger_ui_loads_only_local_assets(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.IGNORECASE)
    assets = re.findall(r"""(?:src|href)\s*=\s*["'](/static/[^"']+)["']""", page)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        assert _served(client, asset), asset


def _served(client, url: str) -> bool:
    response = client.get(url)
    response.close()  # whitenoise streams the file; release it
    return response.status_code == 200


def _templates() -> list[Path]:
    root = Path(settings.BASE_DIR)
    return sorted(p for p in (root / "marketplace").rglob("*.html")
                  if "static" not in p.relative_to(root).parts)


def test_the_asset_pattern_catches_internet_urls():
    assert EXTERNAL_ASSET.search('<script src="https://cdn.example.com/x.js"></script>')
    assert EXTERNAL_ASSET.search("<link rel=stylesheet href='//fonts.example.com/a.css'>")
    assert EXTERNAL_ASSET.search("body { background: url(http://example.com/a.png) }")
    assert not EXTERNAL_ASSET.search('<a href="https://www.gov.cn/">政府网</a>')
    assert not EXTERNAL_ASSET.search("<script src=\"{% static 'vendor/htmx/htmx.min.js' %}\">")


def test_no_template_under_marketplace_loads_assets_from_the_internet():
    templates = _templates()
    assert any(p.name == "base.html" for p in templates)

    offenders = [str(p) for p in templates
                 if EXTERNAL_ASSET.search(p.read_text(encoding="utf-8"))]

    assert offenders == []


def test_the_base_pages_assets_are_served_locally(client):
    page = client.get("/accounts/login/").content.decode()

    assets = re.findall(r"""(?:src|href)\s*=\s*["'](/static/[^"']+)["']""", page)
    assert {a.rsplit("/", 1)[-1] for a in assets} >= {
        "bootstrap.min.css", "bootstrap.bundle.min.js", "htmx.min.js"}
    for asset in assets:
        assert _served(client, asset), asset
