from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from marketplace import csp, health
from marketplace.accounts import views as account_views
from marketplace.accounts import views_second_factor
from marketplace.operations import metrics


def _superusers_only(request) -> bool:
    """Django's admin is for superusers only; regulators work in the console (/console/)."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only

# Under /api/ these answer JSON; elsewhere they are Django's own pages.
handler400 = "marketplace.api.django_errors.bad_request"
handler403 = "marketplace.api.django_errors.permission_denied"
handler404 = "marketplace.api.django_errors.page_not_found"
handler500 = "marketplace.api.django_errors.server_error"

urlpatterns = [
    path("api/v1/", include("marketplace.api_urls")),
    # Operators' probes at the site root (API.md): alive, and ready with each dependency.
    path("healthz", health.liveness, name="healthz"),
    path("readyz", health.Readiness.as_view(), name="readyz"),
    path("metrics", metrics.export, name="metrics"),
    # The schema describes our API only (marketplace.schema_urls), not Wagtail's admin API.
    path("api/schema/", SpectacularAPIView.as_view(urlconf="marketplace.schema_urls"),
         name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file (?script): no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
         name="api-docs"),
    path("csp-report/", csp.report, name="csp-report"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("marketplace.accounts.urls")),
    path("workspace/", account_views.workspace, name="workspace"),
    path("workspace/inbox/", include("marketplace.notifications.urls")),
    path("workspace/webhooks/", include("marketplace.webhooks.urls")),
    path("audit/checkpoints/", include("marketplace.audit.urls")),
    path("", include("providers.urls")),
    path("", include("bidding.urls")),
    path("", include("contracts.urls")),
    path("", include("contracts.payments.urls")),
    # Feeds and site search; /announcements/ itself is a Wagtail page (cms.AnnouncementIndexPage).
    path("", include("cms.urls")),
    path("", include("ratings.urls")),
    # The console's and Django's admin's own login forms know nothing of the second factor:
    # both are our login (password, then the code for a user with an authenticator app).
    path("console/login/", views_second_factor.LoginView.as_view(), name="console_login"),
    path("django-admin/login/", views_second_factor.LoginView.as_view(),
         name="django_admin_login"),
    path("console/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves the editorial pages; keep it last.
urlpatterns += [path("", include(wagtail_urls))]
