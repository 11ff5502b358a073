"""The console's own pages: review queues that act through the domain services (which check
the regulator role and write the audit entries), and the audit chain check."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bidding import services as bidding_services
from bidding.models import Objection
from cms.console.forms import ObjectionDecisionForm, QualificationReviewForm
from cms.console.pages import denied, form_action, paginate
from marketplace.audit.services import verify_chain
from providers import selectors as provider_selectors
from providers import services as provider_services
from providers.models import Qualification


@denied("providers.change_qualification")
def qualification_list(request):
    queue = provider_selectors.qualifications_for_review()
    return render(request, "cms/console/qualification_list.html", {
        "page_title": _("Qualifications to verify"), "header_icon": "doc-full",
        "page_obj": paginate(request, queue),
    })


@denied("providers.change_qualification")
@require_http_methods(["GET", "POST"])
def qualification_review(request, pk: int):
    qualification = get_object_or_404(
        Qualification.objects.select_related("agency", "qualification_type"), pk=pk)
    form = QualificationReviewForm(request.POST or None)

    def verified(data) -> bool:
        return data["decision"] == form.VERIFY

    return form_action(
        request, form,
        lambda data: (provider_services.qualification_verify if verified(data)
                      else provider_services.qualification_reject)(
            qualification=qualification, by=request.user, reason=data["reason"]),
        success=lambda data: (_("Qualification verified.") if verified(data)
                              else _("Qualification rejected.")),
        done=reverse("cms_console:qualifications"),
        template="cms/console/qualification_review.html", context={
            "page_title": _("Review a qualification"), "header_icon": "doc-full",
            "qualification": qualification,
            "scan_url": reverse("providers:qualification_scan", args=[qualification.pk]),
        })


def _objections():
    return (Objection.objects.select_related("project", "award__bid__agency", "bid__agency")
            .order_by("filed_at", "pk"))


@denied("bidding.change_objection")
def objection_list(request):
    status = request.GET.get("status") or Objection.Status.PENDING
    if status not in Objection.Status.values:
        status = Objection.Status.PENDING
    queue = _objections().filter(status=status)
    return render(request, "cms/console/objection_list.html", {
        "page_title": _("Objections"), "header_icon": "warning",
        "statuses": Objection.Status.choices, "status": status,
        "page_obj": paginate(request, queue),
    })


@denied("bidding.change_objection")
@require_http_methods(["GET", "POST"])
def objection_decide(request, pk: int):
    objection = get_object_or_404(_objections(), pk=pk)
    return form_action(
        request, ObjectionDecisionForm(request.POST or None),
        lambda data: bidding_services.objection_decide(
            objection=objection, by=request.user, upheld=data["decision"],
            reply=data["reply"], exclude_bid=data["exclude_bid"]),
        success=_("Objection decided."), done=reverse("cms_console:objections"),
        template="cms/console/objection_decide.html", context={
            "page_title": _("Decide an objection"), "header_icon": "warning",
            "objection": objection,
        })


@denied("audit.view_auditentry")
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
                           % {"seq": result.broken_entry or "—", "reason": result.reason,
                              "count": result.checked})
    return render(request, "cms/console/audit_verify.html", {
        "page_title": _("Verify the audit chain"), "header_icon": "lock",
        "result": result,
    })
