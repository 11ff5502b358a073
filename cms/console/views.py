"""The console's own pages: review queues that act through the domain services (which check
the regulator role and write the audit entries), and the audit chain check."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bidding import services as bidding_services
from bidding.models import Objection
from cms.console.forms import ObjectionDecisionForm, QualificationReviewForm
from marketplace.audit.services import verify_chain
from marketplace.errors import DomainError
from marketplace.web import add_domain_error
from providers import selectors as provider_selectors
from providers import services as provider_services
from providers.models import Qualification


def _denied(perm):
    # Wagtail admin views answer 403 to a signed-in user without the right permission.
    return permission_required(perm, raise_exception=True)


@_denied("providers.change_qualification")
def qualification_list(request):
    queue = provider_selectors.qualifications_for_review()
    return render(request, "cms/console/qualification_list.html", {
        "page_title": _("Qualifications to verify"), "header_icon": "doc-full",
        "page_obj": Paginator(queue, 25).get_page(request.GET.get("p")),
    })


@_denied("providers.change_qualification")
@require_http_methods(["GET", "POST"])
def qualification_review(request, pk: int):
    qualification = get_object_or_404(
        Qualification.objects.select_related("agency", "qualification_type"), pk=pk)
    form = QualificationReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        try:
            if decision == form.VERIFY:
                provider_services.qualification_verify(qualification=qualification,
                                                       by=request.user, reason=reason)
                messages.success(request, _("Qualification verified."))
            else:
                provider_services.qualification_reject(qualification=qualification,
                                                       by=request.user, reason=reason)
                messages.success(request, _("Qualification rejected."))
            return redirect("cms_console:qualifications")
        except DomainError as error:
            add_domain_error(form, error)
    return render(request, "cms/console/qualification_review.html", {
        "page_title": _("Review a qualification"), "header_icon": "doc-full",
        "qualification": qualification, "form": form,
        "scan_url": reverse("providers:qualification_scan", args=[qualification.pk]),
    })


def _objections():
    return (Objection.objects.select_related("project", "award__bid__agency", "bid__agency")
            .order_by("filed_at", "pk"))


@_denied("bidding.change_objection")
def objection_list(request):
    status = request.GET.get("status") or Objection.Status.PENDING
    if status not in Objection.Status.values:
        status = Objection.Status.PENDING
    queue = _objections().filter(status=status)
    return render(request, "cms/console/objection_list.html", {
        "page_title": _("Objections"), "header_icon": "warning",
        "statuses": Objection.Status.choices, "status": status,
        "page_obj": Paginator(queue, 25).get_page(request.GET.get("p")),
    })


@_denied("bidding.change_objection")
@require_http_methods(["GET", "POST"])
def objection_decide(request, pk: int):
    objection = get_object_or_404(_objections(), pk=pk)
    form = ObjectionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bidding_services.objection_decide(
                objection=objection, by=request.user, upheld=form.cleaned_data["decision"],
                reply=form.cleaned_data["reply"],
                exclude_bid=form.cleaned_data["exclude_bid"])
            messages.success(request, _("Objection decided."))
            return redirect("cms_console:objections")
        except DomainError as error:
            add_domain_error(form, error)
    return render(request, "cms/console/objection_decide.html", {
        "page_title": _("Decide an objection"), "header_icon": "warning",
        "objection": objection, "form": form,
    })


@_denied("audit.view_auditentry")
@require_http_methods(["GET", "POST"])
def audit_verify(request):
    result = verify_chain() if request.method == "POST" else None
    if result is not None:
        if result.ok:
            messages.success(request, _("Audit chain intact: %(count)s entries verified.")
                             % {"count": result.checked})
        else:
            messages.error(request, _("Audit chain broken at entry #%(seq)s: %(reason)s "
                                      "(%(count)s entries verified before it).")
                           % {"seq": result.broken_seq, "reason": result.reason,
                              "count": result.checked})
    return render(request, "cms/console/audit_verify.html", {
        "page_title": _("Verify the audit chain"), "header_icon": "lock",
        "result": result,
    })
