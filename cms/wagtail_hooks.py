"""The regulator console in the Wagtail admin (/console/): review queues, read-only listings,
the audit chain check and a dashboard panel. Editors see only the site's pages and media."""

import datetime as dt
import json

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.permissions import register_permission_policy

from cms.console import views
from cms.console.viewsets import (
    AuditEntryViewSet,
    OrganizationViewSet,
    ReadOnlyPolicy,
)
from marketplace.accounts.models import Organization
from marketplace.audit.models import AuditEntry

register_permission_policy(Organization, ReadOnlyPolicy(Organization))
register_permission_policy(AuditEntry, ReadOnlyPolicy(AuditEntry))

console_urls = [
    path("qualifications/", views.qualification_list, name="qualifications"),
    path("qualifications/<int:pk>/", views.qualification_review, name="qualification_review"),
    path("objections/", views.objection_list, name="objections"),
    path("objections/<int:pk>/", views.objection_decide, name="objection_decide"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
]


@hooks.register("register_admin_urls")
def register_console_urls():
    return [path("supervision/", include((console_urls, "cms_console"), namespace="cms_console"))]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


organization_viewset = OrganizationViewSet()
audit_viewset = AuditEntryViewSet()


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [organization_viewset, audit_viewset]


@hooks.register("register_admin_menu_item")
def register_supervision_menu():
    submenu = Menu(items=[
        PermissionMenuItem(_("Qualifications to verify"), reverse("cms_console:qualifications"),
                           icon_name="doc-full", order=100,
                           permission="providers.change_qualification"),
        PermissionMenuItem(_("Objections"), reverse("cms_console:objections"),
                           icon_name="warning", order=200,
                           permission="bidding.change_objection"),
        PermissionMenuItem(_("Organizations"), organization_viewset.menu_url,
                           icon_name="group", order=300,
                           permission="accounts.view_organization"),
        PermissionMenuItem(_("Audit log"), audit_viewset.menu_url, icon_name="history",
                           order=400, permission="audit.view_auditentry"),
    ])
    return SubmenuMenuItem(_("Supervision"), submenu, icon_name="view", order=150,
                           name="supervision")


def market_series(*, months: int = 6, now: dt.datetime | None = None) -> dict:
    """Projects published and final awards (count and amount) per month, oldest first."""
    from bidding.models import Award, Project

    now = timezone.localtime(now or timezone.now())
    start = (now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
             - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    labels = []
    cursor = start
    while cursor <= now and len(labels) < months:
        labels.append(cursor.strftime("%Y-%m"))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    published = {row["month"].strftime("%Y-%m"): row["n"] for row in
                 Project.objects.filter(published_at__gte=start)
                 .annotate(month=TruncMonth("published_at")).values("month")
                 .annotate(n=Count("pk")).order_by()}
    awarded = {row["month"].strftime("%Y-%m"): row for row in
               Award.objects.filter(final=True, finalized_at__gte=start)
               .annotate(month=TruncMonth("finalized_at")).values("month")
               .annotate(n=Count("pk"), amount=Sum("bid__price")).order_by()}
    return {
        "labels": labels,
        "published": [published.get(label, 0) for label in labels],
        "awards": [awarded.get(label, {}).get("n", 0) for label in labels],
        "amount": [float(awarded.get(label, {}).get("amount") or 0) for label in labels],
    }


class SupervisionPanel(Component):
    name = "supervision"
    order = 50
    template_name = "cms/console/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        from bidding.models import Objection
        from providers import selectors as provider_selectors

        user = self.request.user
        context = super().get_context_data(parent_context)
        context["can_review"] = user.has_perm("providers.change_qualification")
        context["can_decide"] = user.has_perm("bidding.change_objection")
        if context["can_review"]:
            context["qualifications_declared"] = provider_selectors.qualifications_for_review(
            ).count()
        if context["can_decide"]:
            context["objections_pending"] = Objection.objects.filter(
                status=Objection.Status.PENDING).count()
        context["series"] = json.dumps(market_series())
        return context


@hooks.register("construct_homepage_panels")
def add_supervision_panel(request, panels):
    user = request.user
    if user.has_perm("providers.change_qualification") or user.has_perm(
            "bidding.change_objection"):
        panels.append(SupervisionPanel(request))
