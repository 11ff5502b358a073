"""Only the providers endpoints, so their OpenAPI description is checked on its own."""

from django.urls import include, path

urlpatterns = [path("api/v1/", include(("providers.api_urls", "api")))]
