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
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from cms.console.pages import denied, form_action, post_action
from contracts.models import ContractTemplate
from contracts.services import templates as template_services
from marketplace.catalog import services as calendar_services
from marketplace.catalog.models import CalendarDay, CalendarYear
from marketplace.limits import TEXT_LIMITS

TEMPLATES = "contracts.change_contracttemplate"


class TemplateForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    body = forms.CharField(max_length=TEXT_LIMITS["template"], label=gettext_lazy("Template text"),
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
# Wagtail's model pages (its permission policy: the catalog permissions the "Regulators" group
# holds), with one more field, the reason, and every change made by
# `marketplace.catalog.services` so that it lands in the audit log with the regulator.

def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Reason for the change"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("The State Council notice or the decision it follows; kept in "
                               "the audit log."),
        error_messages={"required": gettext_lazy("Give the reason for the change (the notice "
                                                 "or decision it follows).")})


class ReasonForm(forms.Form):
    reason = _reason_field()


class _AuditedCreateView(generic.CreateView):
    def save_instance(self):
        return calendar_services.calendar_save(entry=self.form.save(commit=False),
                                               by=self.request.user,
                                               reason=self.form.cleaned_data["reason"])


class _AuditedEditView(generic.EditView):
    def save_instance(self):
        return calendar_services.calendar_save(entry=self.form.save(commit=False),
                                               by=self.request.user,
                                               reason=self.form.cleaned_data["reason"])


class _AuditedDeleteView(generic.DeleteView):
    form_class = ReasonForm
    template_name = "cms/console/calendar_delete.html"

    def form_valid(self, form):
        self.reason = form.cleaned_data["reason"]
        return super().form_valid(form)

    def delete_action(self):
        calendar_services.calendar_delete(entry=self.object, by=self.request.user,
                                          reason=self.reason)


class _AuditedViewSet(ModelViewSet):
    add_view_class = _AuditedCreateView
    edit_view_class = _AuditedEditView
    delete_view_class = _AuditedDeleteView

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        return type(form_class.__name__, (form_class,), {"reason": _reason_field()})


class CalendarDayViewSet(_AuditedViewSet):
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


class CalendarYearViewSet(_AuditedViewSet):
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
