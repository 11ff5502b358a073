"""The console's reference texts: contract template versions (through
`contracts.services.templates`) and the holiday calendar, which regulators used to edit in
Django's admin (now for superusers only)."""

from django import forms
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.model import ModelViewSet

from cms.console.pages import denied, form_action, post_action
from contracts.models import ContractTemplate
from contracts.services import templates as template_services
from marketplace.catalog.models import CalendarDay, CalendarYear

TEMPLATES = "contracts.change_contracttemplate"


class TemplateForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    body = forms.CharField(label=gettext_lazy("Template text"),
                           widget=forms.Textarea(attrs={"rows": 24}),
                           help_text=gettext_lazy("Django template syntax; contracts drawn up "
                                                  "earlier keep their own text."))


@denied(TEMPLATES)
def template_list(request):
    return render(request, "cms/console/template_list.html", {
        "page_title": _("Contract templates"), "header_icon": "doc-full",
        "templates": ContractTemplate.objects.order_by("-version"),
    })


@denied(TEMPLATES)
@require_http_methods(["GET", "POST"])
def template_add(request):
    latest = ContractTemplate.objects.order_by("-version").first()
    form = TemplateForm(request.POST or None, initial={
        "title": latest.title if latest else "", "body": latest.body if latest else ""})
    return form_action(
        request, form,
        lambda data: template_services.template_add(title=data["title"], body=data["body"],
                                                    by=request.user),
        success=_("New template version added (not in use yet)."),
        done=reverse("cms_console:templates"), title=_("Add a contract template version"),
        icon="doc-full", back=reverse("cms_console:templates"), submit=_("Add the version"))


@denied(TEMPLATES)
def template_detail(request, pk: int):
    template = get_object_or_404(ContractTemplate, pk=pk)
    return render(request, "cms/console/template_detail.html", {
        "page_title": str(template), "header_icon": "doc-full", "template": template,
    })


@denied(TEMPLATES)
@require_POST
def template_activate(request, pk: int):
    template = get_object_or_404(ContractTemplate, pk=pk)
    return post_action(
        request, lambda: template_services.template_activate(template=template, by=request.user),
        success=_("Version %(version)s is now in use for new contracts.")
        % {"version": template.version}, done=reverse("cms_console:templates"))


# --- The holiday calendar ----------------------------------------------------------------------
# Plain model editing (Wagtail's model permission policy: the catalog permissions the
# "Regulators" group holds); Wagtail's log records each change with its user.


class CalendarDayViewSet(ModelViewSet):
    model = CalendarDay
    icon = "date"
    name = "console_calendar_days"
    url_prefix = "supervision/calendar/days"
    menu_label = gettext_lazy("Holiday calendar")
    add_to_reference_index = False
    copy_view_enabled = False
    search_fields = None
    search_backend_name = None
    form_fields = ["date", "is_working_day", "name"]
    list_display = ["date", BooleanColumn("is_working_day", label=gettext_lazy("Working day")),
                    "name"]
    list_filter = ["is_working_day"]
    ordering = ["-date"]


class CalendarYearViewSet(ModelViewSet):
    model = CalendarYear
    icon = "date"
    name = "console_calendar_years"
    url_prefix = "supervision/calendar/years"
    menu_label = gettext_lazy("Calendar years")
    add_to_reference_index = False
    copy_view_enabled = False
    search_backend_name = None
    form_fields = ["year", "source"]
    list_display = ["year", Column("source", label=gettext_lazy("Source"),
                                   accessor="get_source_display"), "published_at"]
    ordering = ["-year"]

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        form_class.base_fields["source"].initial = CalendarYear.Source.REGULATOR
        return form_class
