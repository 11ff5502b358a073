"""The console's reference texts: contract template versions (through
`contracts.services.templates`) and the holiday calendar, which regulators used to edit in
Django's admin (now for superusers only)."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.model import ModelViewSet

from cms.console.pages import action_page, run_service
from cms.console.views import _denied
from contracts.models import ContractTemplate
from contracts.services import templates as template_services
from marketplace.catalog.models import CalendarDay, CalendarYear
from marketplace.errors import DomainError

TEMPLATES = "contracts.change_contracttemplate"


class TemplateForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    body = forms.CharField(label=gettext_lazy("Template text"),
                           widget=forms.Textarea(attrs={"rows": 24}),
                           help_text=gettext_lazy("Django template syntax; contracts drawn up "
                                                  "earlier keep their own text."))


@_denied(TEMPLATES)
def template_list(request):
    return render(request, "cms/console/template_list.html", {
        "page_title": _("Contract templates"), "header_icon": "doc-full",
        "templates": ContractTemplate.objects.order_by("-version"),
    })


@_denied(TEMPLATES)
@require_http_methods(["GET", "POST"])
def template_add(request):
    latest = ContractTemplate.objects.order_by("-version").first()
    form = TemplateForm(request.POST or None, initial={
        "title": latest.title if latest else "", "body": latest.body if latest else ""})
    if request.method == "POST" and form.is_valid() and run_service(
            request, form, lambda: template_services.template_add(
                title=form.cleaned_data["title"], body=form.cleaned_data["body"],
                by=request.user), _("New template version added (not in use yet).")):
        return redirect("cms_console:templates")
    return action_page(request, title=_("Add a contract template version"), icon="doc-full",
                       form=form, back=reverse("cms_console:templates"),
                       submit=_("Add the version"))


@_denied(TEMPLATES)
def template_detail(request, pk: int):
    template = get_object_or_404(ContractTemplate, pk=pk)
    return render(request, "cms/console/template_detail.html", {
        "page_title": str(template), "header_icon": "doc-full", "template": template,
    })


@_denied(TEMPLATES)
@require_POST
def template_activate(request, pk: int):
    template = get_object_or_404(ContractTemplate, pk=pk)
    try:
        template_services.template_activate(template=template, by=request.user)
        messages.success(request, _("Version %(version)s is now in use for new contracts.")
                         % {"version": template.version})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("cms_console:templates")


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
