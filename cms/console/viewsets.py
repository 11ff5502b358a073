"""Read-only listings of the console: organizations and the audit log.

Both models are written only by services; the permission policies registered for them deny
add/change/delete to everyone (superusers included), so Wagtail offers no edit form at all."""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.models import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from marketplace.accounts.models import Organization
from marketplace.accounts.standing import standing_of
from marketplace.audit.models import AuditEntry
from marketplace.audit.selectors import visible_entries


class ReadOnlyPolicy(ModelPermissionPolicy):
    WRITE_ACTIONS = {"add", "change", "delete", "publish", "lock", "unlock"}

    def user_has_permission(self, user, action):
        if action in self.WRITE_ACTIONS:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)


class ReadOnlyViewSet(ModelViewSet):
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    search_backend_name = None
    # Needed to build the (policy-refused) edit views; no form is ever shown.
    exclude_form_fields: list[str] = []


class OrganizationFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Organization.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Organization.Status.choices)

    class Meta:
        model = Organization
        fields = ["kind", "status", "region"]


class OrganizationInspectView(InspectView):
    def get_status_display_value(self):
        return standing_of(self.object).label


class OrganizationViewSet(ReadOnlyViewSet):
    model = Organization
    icon = "group"
    name = "console_organizations"
    url_prefix = "supervision/organizations"
    menu_label = _("Organizations")
    filterset_class = OrganizationFilterSet
    inspect_view_class = OrganizationInspectView
    search_fields = ["name", "uscc"]
    list_display = ["name", "uscc", Column("kind", label=_("Kind"), accessor="get_kind_display"),
                    # The standing, not the bare status: a blacklisted organization's status
                    # is still "active" (正常).
                    "region", Column("status", label=_("Status"),
                                     accessor=lambda o: standing_of(o).label),
                    "credit_grade", DateColumn("created_at", label=_("Registered")),
                    # Market exit, blacklisting and credit events start from this page.
                    TitleColumn("manage", label=_("Supervise"), accessor=lambda o: _("Manage"),
                                get_url=lambda o: reverse("cms_console:organization_manage",
                                                          args=[o.pk]))]
    inspect_view_fields = ["name", "kind", "owner_kind", "uscc", "region", "contact_name",
                           "phone", "email", "address", "introduction", "status", "created_at",
                           "credit_score", "credit_grade", "blacklisted_until", "exit_until"]


class AuditFilterSet(WagtailFilterSet):
    action = django_filters.CharFilter(label=_("Action"), lookup_expr="startswith",
                                       help_text=_("e.g. project. or qualification.verified"))
    organization = django_filters.ModelChoiceFilter(
        label=_("Organization"), queryset=Organization.objects.order_by("name"))
    created_at = django_filters.DateFromToRangeFilter(label=_("Date"),
                                                      widget=DateRangePickerWidget)

    class Meta:
        model = AuditEntry
        fields = ["action", "organization", "created_at"]


class AuditIndexView(IndexView):
    """The listing, its filters, search and spreadsheet export all read this queryset: the
    entries about sealed bids are not in it (`visible_entries`)."""

    def get_base_queryset(self):
        return visible_entries(super().get_base_queryset())

    @property
    def header_buttons(self):
        return [*super().header_buttons,
                HeaderButton(_("Verify chain"), url=reverse("cms_console:audit_verify"),
                             icon_name="lock")]


class AuditInspectView(InspectView):
    def get_object(self, queryset=None):
        # A sealed entry is "not found", like one that does not exist.
        return get_object_or_404(visible_entries(), pk=self.pk)


class AuditEntryViewSet(ReadOnlyViewSet):
    model = AuditEntry
    icon = "history"
    name = "cms_console_audit"
    url_prefix = "supervision/audit"
    menu_label = _("Audit log")
    index_view_class = AuditIndexView
    inspect_view_class = AuditInspectView
    filterset_class = AuditFilterSet
    search_fields = ["action", "object_repr", "actor_name"]
    ordering = ["-id"]
    list_display = ["id", DateColumn("created_at", label=_("Time")), "action", "actor_name",
                    "organization", "object_type", "object_id", "object_repr"]
    inspect_view_fields = ["id", "stream", "created_at", "actor_name", "organization", "action",
                           "object_type", "object_id", "object_repr", "data", "prev_hash",
                           "hash"]
