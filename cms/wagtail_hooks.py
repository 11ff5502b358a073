"""The regulator console in the Wagtail admin (/console/): review queues, read-only listings,
the audit chain check and a dashboard panel. Editors see only the site's pages and media."""


from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.permissions import register_permission_policy

from bidding.selectors_market import market_series
from cms.console import accounts_views, catalog_views, contracts_views, pki_views, views
from cms.console import cases_views as cv
from cms.console import pages as perms
from cms.console import ratings_views as rv
from cms.console import redflags_views as rf
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
    path("organizations/<int:pk>/manage/", rv.organization_manage, name="organization_manage"),
    path("organizations/<int:pk>/exit/", rv.organization_exit, name="organization_exit"),
    path("organizations/<int:pk>/certificates/revoke/", pki_views.organization_certificates_revoke,
         name="organization_certificates_revoke"),
    path("organizations/<int:pk>/rename/", accounts_views.organization_rename,
         name="organization_rename"),
    path("organizations/<int:pk>/suspend/", rv.organization_status, {"action": "suspend"},
         name="organization_suspend"),
    path("organizations/<int:pk>/reinstate/", rv.organization_status, {"action": "reinstate"},
         name="organization_reinstate"),
    path("blacklist/", rv.blacklist_list, name="blacklist"),
    path("blacklist/new/", rv.blacklist_add, name="blacklist_add"),
    path("blacklist/<int:pk>/lift/", rv.blacklist_lift, name="blacklist_lift"),
    path("blacklist/requests/", rv.blacklist_requests, name="blacklist_requests"),
    path("blacklist/appeals/<int:pk>/", rv.appeal_decide, name="appeal_decide"),
    path("blacklist/repairs/<int:pk>/", rv.repair_decide, name="repair_decide"),
    path("complaints/", cv.complaint_list, name="complaints"),
    path("complaints/<int:pk>/", cv.complaint_detail, name="complaint"),
    path("cases/", cv.case_list, name="cases"),
    path("cases/<int:pk>/", cv.case_decide, name="case_decide"),
    path("red-flags/", rf.red_flag_list, name="red_flags"),
    path("red-flags/run/", rf.red_flag_run, name="red_flags_run"),
    path("red-flags/<int:pk>/", rf.red_flag_detail, name="red_flag"),
    path("inspections/", cv.inspection_list, name="inspections"),
    path("inspections/new/", cv.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", cv.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/draw/", cv.inspection_draw, name="inspection_draw"),
    path("inspections/targets/<int:pk>/", cv.inspection_result, name="inspection_result"),
    path("credit-events/", cv.credit_event_list, name="credit_events"),
    path("credit-events/new/", cv.credit_event_add, name="credit_event_add"),
    path("credit-events/<int:pk>/reverse/", cv.credit_event_reverse,
         name="credit_event_reverse"),
    path("contract-templates/", contracts_views.template_list, name="templates"),
    path("contract-templates/new/", contracts_views.template_add, name="template_add"),
    path("contract-templates/<int:pk>/", contracts_views.template_detail,
         name="template_detail"),
    path("contract-templates/<int:pk>/activate/", contracts_views.template_activate,
         name="template_activate"),
    path("service-items/", catalog_views.service_item_list, name="service_items"),
    path("service-items/<str:code>/", catalog_views.service_item_edit, name="service_item_edit"),
    path("service-items/<str:code>/history/", catalog_views.service_item_history,
         name="service_item_history"),
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
calendar_day_viewset = contracts_views.CalendarDayViewSet()
calendar_year_viewset = contracts_views.CalendarYearViewSet()


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [organization_viewset, audit_viewset, calendar_day_viewset, calendar_year_viewset]


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
        PermissionMenuItem(_("Complaints"), reverse("cms_console:complaints"), icon_name="mail",
                           order=210, permission=perms.COMPLAINTS),
        PermissionMenuItem(_("Violation cases"), reverse("cms_console:cases"),
                           icon_name="warning", order=220, permission=perms.CASES),
        PermissionMenuItem(_("Red flags"), reverse("cms_console:red_flags"),
                           icon_name="warning", order=225, permission=rf.VIEW),
        PermissionMenuItem(_("Blacklist"), reverse("cms_console:blacklist"), icon_name="lock",
                           order=230, permission=perms.BLACKLIST),
        PermissionMenuItem(_("Appeals and repair requests"),
                           reverse("cms_console:blacklist_requests"), icon_name="help",
                           order=240, permission=perms.BLACKLIST),
        PermissionMenuItem(_("Random inspections"), reverse("cms_console:inspections"),
                           icon_name="list-ul", order=250, permission=perms.INSPECTIONS),
        PermissionMenuItem(_("Credit events"), reverse("cms_console:credit_events"),
                           icon_name="pick", order=260, permission=perms.CREDIT),
        # All contracts with filters, their payment disputes and terminations: the regulator's
        # contract pages, which the parties share (one place to act on a contract).
        PermissionMenuItem(_("Contracts"), reverse("contracts:list"), icon_name="doc-full-inverse",
                           order=490, permission="contracts.view_contract"),
        PermissionMenuItem(_("Contract templates"), reverse("cms_console:templates"),
                           icon_name="doc-full", order=500,
                           permission=contracts_views.TEMPLATES),
        PermissionMenuItem(_("Service-item catalogue"), reverse("cms_console:service_items"),
                           icon_name="list-ul", order=505, permission=catalog_views.ITEMS),
        PermissionMenuItem(_("Holiday calendar"), calendar_day_viewset.menu_url,
                           icon_name="date", order=510, permission="catalog.change_calendarday"),
        PermissionMenuItem(_("Calendar years"), calendar_year_viewset.menu_url,
                           icon_name="date", order=520, permission="catalog.change_calendaryear"),
    ])
    return SubmenuMenuItem(_("Supervision"), submenu, icon_name="view", order=150,
                           name="supervision")


def action_counts(user) -> dict:
    """What waits for a regulator's action in the credit areas, for the areas `user` may act
    in (a missing key means the area is not shown)."""
    from ratings import selectors
    from ratings.models import Complaint

    counts = {}
    if user.has_perm(perms.COMPLAINTS):
        counts["complaints_open"] = Complaint.objects.filter(
            status__in=(Complaint.Status.SUBMITTED, Complaint.Status.HANDLING)).count()
    if user.has_perm(perms.CASES):
        counts["cases_ready"] = selectors.cases_ready_for_decision().count()
    if user.has_perm(perms.BLACKLIST):
        counts["appeals_pending"] = selectors.pending_appeals().count()
        counts["repairs_pending"] = selectors.pending_repairs().count()
    return counts


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
        context.update(action_counts(user))
        context["series"] = market_series()
        return context


@hooks.register("construct_homepage_panels")
def add_supervision_panel(request, panels):
    user = request.user
    if user.has_perm("providers.change_qualification") or user.has_perm(
            "bidding.change_objection"):
        panels.append(SupervisionPanel(request))


class MonopolyPanel(Component):
    """Monopoly items' time-limited service (issue 17 §3): the contracts whose clock runs
    against the competent department's limit, near it, and overrun."""

    name = "monopoly_time_limits"
    order = 60
    template_name = "cms/console/monopoly_panel.html"

    def get_context_data(self, parent_context=None):
        from contracts.selectors import monopoly_contracts

        context = super().get_context_data(parent_context)
        groups = monopoly_contracts(now=timezone.now())
        context["groups"] = [
            ("overrun", _("Overrun"), groups["overrun"]),
            ("near", _("Near the limit"), groups["near"]),
            ("running", _("Running"), groups["running"]),
        ]
        return context


@hooks.register("construct_homepage_panels")
def add_monopoly_panel(request, panels):
    if request.user.has_perm("contracts.view_contract"):
        panels.append(MonopolyPanel())


@hooks.register("construct_help_menu")
def drop_wagtail_guides(request, menu_items):
    """Wagtail's "what's new" and editor guide items open Wagtail's English site on the
    internet; the console's users get the keyboard shortcuts only."""
    menu_items[:] = [item for item in menu_items
                     if item.name != "editor-guide" and not item.name.startswith("whats-new")]


@hooks.register("insert_global_admin_js")
def console_init_js():
    """Starts the widgets that write their start-up call as data (cms.console.csp)."""
    return format_html('<script src="{}"></script>', static("cms/console/init.js"))


@hooks.register("insert_global_admin_css")
def console_css():
    return format_html('<link rel="stylesheet" href="{}">', static("cms/console/console.css"))
