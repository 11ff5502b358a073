"""The REST API v1 (API.md): the kernel's own paths, then each app's URL module."""

from django.conf import settings
from django.urls import include, path

from marketplace.accounts import api as accounts_api
from marketplace.accounts import api_tokens
from marketplace.audit import api as audit_api
from marketplace.catalog import api as catalog_api
from marketplace.pki import api as pki_api

app_name = "api"

urlpatterns = [
    path("auth/token/", accounts_api.TokenView.as_view(), name="token"),
    path("auth/tokens/", api_tokens.TokenList.as_view(), name="tokens"),
    path("auth/tokens/<int:pk>/", api_tokens.TokenRevoke.as_view(), name="token_revoke"),
    path("auth/logout-everywhere/", api_tokens.LogOutEverywhere.as_view(),
         name="logout_everywhere"),
    path("auth/password/", api_tokens.PasswordChange.as_view(), name="password_change"),
    path("register/agency/", accounts_api.RegisterAgencyView.as_view(), name="register_agency"),
    path("register/owner/", accounts_api.RegisterOwnerView.as_view(), name="register_owner"),
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path("service-items/", catalog_api.ServiceItemList.as_view(), name="service_items"),
    path("service-items/<str:code>/", catalog_api.ServiceItemDetail.as_view(),
         name="service_item"),
    path("regions/", catalog_api.RegionList.as_view(), name="regions"),
    path("audit/checkpoints/", audit_api.CheckpointList.as_view(), name="audit_checkpoints"),
    path("audit/checkpoints/key/", audit_api.SigningKey.as_view(), name="audit_signing_key"),
    path("", include("marketplace.notifications.api_urls")),
    path("", include("marketplace.webhooks.api")),
    path("pki/root.pem", pki_api.RootCertificate.as_view(), name="pki_root"),
    path("pki/crl.der", pki_api.RevocationList.as_view(), name="pki_crl"),
    path("", include("providers.api_urls")),
    path("", include("bidding.api.urls")),
    path("", include("contracts.api.urls")),
    path("", include("contracts.payments.api")),
    path("", include("ratings.api.urls")),
]

if settings.BENCH_FLOOR and settings.DEBUG:
    # The benchmark's floor (marketplace.operations.bench_floor); never routed in production.
    from marketplace.operations.bench_floor import BenchFloor

    urlpatterns.append(path("bench/floor/", BenchFloor.as_view(), name="bench_floor"))
