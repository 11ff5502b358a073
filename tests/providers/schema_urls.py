"""Only the providers endpoints, so their OpenAPI description is checked on its own."""

from django.urls import include, path

from marketplace import api_urls

providers_paths = [p for p in api_urls.urlpatterns
                   if getattr(p, "callback", None) is not None
                   and p.callback.__module__ == "providers.api"]
urlpatterns = [path("api/v1/", include((providers_paths, "api")))]
