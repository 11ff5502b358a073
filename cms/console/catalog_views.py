"""The service-item catalogue in the console (issue 17 §1): regulators change an item's published
terms with a reason (`marketplace.catalog.services.service_item_update`: a revision and an audit
entry) and read its history. Django's admin shows the items read-only."""

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cms.console.pages import cell, denied, form_action, listing, paginate, when
from marketplace.catalog import selectors
from marketplace.catalog import services as catalog_services
from marketplace.catalog.models import FeePricing, ServiceItem
from marketplace.catalog.terms import MAX_DAYS, snapshot
from marketplace.limits import TEXT_LIMITS

ITEMS = "catalog.change_serviceitem"


class ServiceItemTermsForm(forms.Form):
    """The seven published terms and the reason. The workflow is one step per line."""

    legal_basis = forms.CharField(label=gettext_lazy("Legal basis"), required=False,
                                  max_length=TEXT_LIMITS["basis"],
                                  widget=forms.Textarea(attrs={"rows": 3}))
    time_limit_days = forms.IntegerField(label=gettext_lazy("Time limit (days)"), min_value=1,
                                         max_value=MAX_DAYS)
    workflow = forms.CharField(label=gettext_lazy("Workflow"), required=False,
                               max_length=TEXT_LIMITS["basis"],
                               widget=forms.Textarea(attrs={"rows": 5}),
                               help_text=gettext_lazy("One step per line, in order."))
    application_conditions = forms.CharField(
        label=gettext_lazy("Application conditions"), required=False,
        max_length=TEXT_LIMITS["basis"], widget=forms.Textarea(attrs={"rows": 3}))
    fee_pricing = forms.ChoiceField(label=gettext_lazy("Fee pricing"),
                                    choices=FeePricing.choices)
    fee_standard = forms.CharField(label=gettext_lazy("Fee standard"), required=False,
                                   max_length=TEXT_LIMITS["basis"],
                                   widget=forms.Textarea(attrs={"rows": 3}))
    competent_department = forms.CharField(label=gettext_lazy("Competent department"),
                                           required=False, max_length=TEXT_LIMITS["line"])
    is_monopoly = forms.BooleanField(label=gettext_lazy("Monopoly item"), required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"), max_length=TEXT_LIMITS["reason"],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("The decision or document it follows; kept with the revision "
                               "and in the audit log."),
        error_messages={"required": gettext_lazy("Give the reason for the change (the notice "
                                                 "or decision it follows).")})

    @staticmethod
    def initial_for(item: ServiceItem) -> dict:
        terms = snapshot(item)
        return {**terms, "workflow": "\n".join(terms["workflow"])}

    def terms(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("reason")
        return data


def _terms_summary(terms: dict) -> str:
    label = FeePricing(terms["fee_pricing"]).label if terms.get(
        "fee_pricing") in FeePricing.values else ""
    return _("%(days)s days · %(pricing)s · %(department)s") % {
        "days": terms.get("time_limit_days", "—"), "pricing": label,
        "department": terms.get("competent_department") or "—"}


@denied(ITEMS)
@require_GET
def service_item_list(request):
    items = ServiceItem.objects.order_by("category", "code")
    return listing(
        request, title=_("Service-item catalogue"), icon="list-ul",
        headers=[_("Code"), _("Service item"), _("Category"), _("Published terms")],
        rows=[{"cells": [cell(item.code), cell(item.display_name, reverse(
                   "cms_console:service_item_edit", args=[item.code])),
                         cell(item.display_category), cell(_terms_summary(snapshot(item)))],
               "actions": [(_("Edit the terms"), reverse("cms_console:service_item_edit",
                                                         args=[item.code])),
                           (_("History"), reverse("cms_console:service_item_history",
                                                  args=[item.code]))]}
              for item in items],
        intro=_("Every change is published at once on the public catalogue and kept in the "
                "item's history."))


@denied(ITEMS)
@require_http_methods(["GET", "POST"])
def service_item_edit(request, code: str):
    item = get_object_or_404(ServiceItem, code=code)
    form = ServiceItemTermsForm(request.POST or None,
                                initial=ServiceItemTermsForm.initial_for(item))
    return form_action(
        request, form,
        lambda data: catalog_services.service_item_update(item, request.user, data["reason"],
                                                          **form.terms()),
        success=_("The terms of %(item)s are published.") % {"item": item.display_name},
        done=reverse("cms_console:service_item_history", args=[item.code]),
        title=_("Terms of %(item)s") % {"item": item.display_name}, icon="list-ul",
        back=reverse("cms_console:service_items"), submit=_("Publish the terms"),
        facts=[(_("Code"), item.code), (_("Category"), item.display_category)])


@denied(ITEMS)
@require_GET
def service_item_history(request, code: str):
    item = get_object_or_404(ServiceItem, code=code)
    page = paginate(request, selectors.revisions(item))
    public = reverse("cms:service_item", args=[item.code])
    return listing(
        request, title=_("History of %(item)s") % {"item": item.display_name},
        icon="history", page_obj=page,
        headers=[_("In force from"), _("Published terms"), _("Edited by"), _("Reason")],
        rows=[{"cells": [cell(when(revision.valid_from),
                              f"{public}?on={localdate(revision.valid_from).isoformat()}"),
                         cell(_terms_summary(revision.terms)),
                         cell(revision.edited_by or _("Initial terms")),
                         cell(revision.reason or "—")], "actions": []}
              for revision in page.object_list],
        buttons=[(_("Edit the terms"), reverse("cms_console:service_item_edit",
                                               args=[item.code])),
                 (_("Back"), reverse("cms_console:service_items"))])
