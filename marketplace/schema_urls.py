"""The URL conf the OpenAPI schema is generated from: our API only, mounted at /api/v1/.

Wagtail's admin API would confuse drf-spectacular, so the schema never sees the root URL conf.
"""

from django.urls import include, path

urlpatterns = [path("api/v1/", include("marketplace.api_urls"))]
