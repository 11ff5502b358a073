"""Pages: the public directory and profiles, the agency's workspace (services with their three
commitments, qualifications) and the regulators' review list. Views parse, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.accounts.models import Organization
from marketplace.accounts.selectors import membership_of
from marketplace.accounts.standing import standing_of
from marketplace.errors import NotAllowed, refusal_of
from marketplace.uploads import KINDS
from marketplace.web import page_of, querystring_without_page, refusal_as_message, refusal_on
from providers import rules, selectors, services
from providers.filters import AgencyFilter
from providers.forms import (
    AgencyServiceEditForm,
    AgencyServiceForm,
    QualificationForm,
    RejectForm,
    ReviewForm,
)
from providers.models import AgencyService, Qualification

PAGE_SIZE = 20

# --- Public pages ---------------------------------------------------------------------------



def agency_list(request):
    # Always bound, so the default ordering applies without any parameter.
    directory = AgencyFilter(request.GET, queryset=selectors.directory_queryset())
    page = page_of(request, directory, PAGE_SIZE)
    now = timezone.now()
    rows = [
        {"agency": agency, "credit": selectors.credit_standing(agency),
         "standing": standing_of(agency, now=now)}
        for agency in page.object_list
    ]
    return render(request, "providers/agency_list.html", {
        "filter": directory, "page": page, "rows": rows,
        "querystring": querystring_without_page(request),
    })


def agency_detail(request, pk: int):
    try:
        profile = selectors.agency_profile(pk)
    except Organization.DoesNotExist:
        raise Http404
    membership = membership_of(request.user)
    return render(request, "providers/agency_detail.html", {
        "profile": profile, "agency": profile.agency,
        "is_member": membership is not None and membership.organization_id == pk,
    })


def owner_detail(request, pk: int):
    try:
        profile = selectors.owner_profile(pk)
    except Organization.DoesNotExist:
        raise Http404
    return render(request, "providers/owner_detail.html",
                  {"profile": profile, "owner": profile.owner})


# --- Agency workspace -----------------------------------------------------------------------


def _agency_of(request) -> Organization:
    membership = membership_of(request.user)
    if membership is None or not membership.organization.is_agency:
        raise NotAllowed(_("This page is for intermediary agencies."))
    return membership.organization


def _is_admin(request, agency: Organization) -> bool:
    return refusal_of(rules.check_agency_admin, user=request.user, agency=agency) is None


@login_required
def service_list(request):
    agency = _agency_of(request)
    return render(request, "providers/service_list.html", {
        "agency": agency, "services": selectors.agency_services(agency),
        "is_admin": _is_admin(request, agency),
    })


@login_required
@require_http_methods(["GET", "POST"])
def service_add(request):
    agency = _agency_of(request)
    rules.check_agency_admin(user=request.user, agency=agency)
    form = AgencyServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form) as attempt:
            service = services.agency_service_add(agency=agency, by=request.user,
                                                  **form.cleaned_data)
        if attempt.succeeded:
            messages.success(request, _("You now offer %(item)s.")
                             % {"item": service.service_item.display_name})
            return redirect("providers:services")
    return render(request, "providers/service_form.html",
                  {"form": form, "title": _("Offer a service")})


def _own_service(request, code: str) -> AgencyService:
    agency = _agency_of(request)
    rules.check_agency_admin(user=request.user, agency=agency)
    return get_object_or_404(
        AgencyService.objects.select_related("service_item", "agency"),
        agency=agency, service_item__code=code,
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request, code: str):
    service = _own_service(request, code)
    initial = {**service.commitments(), "fee_max": service.fee_max,
               "regional_alerts": service.regional_alerts}
    form = AgencyServiceEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form) as attempt:
            services.agency_service_update(service=service, by=request.user, **form.cleaned_data)
        if attempt.succeeded:
            messages.success(request, _("Commitments for %(item)s saved. Bids already made "
                                        "keep the commitments they were made with.")
                             % {"item": service.service_item.display_name})
            return redirect("providers:services")
    return render(request, "providers/service_form.html", {
        "form": form, "service": service,
        "title": _("Commitments for %(item)s") % {"item": service.service_item.display_name},
    })


@login_required
@require_http_methods(["GET", "POST"])
def service_remove(request, code: str):
    service = _own_service(request, code)
    if request.method == "POST":
        services.agency_service_remove(service=service, by=request.user)
        messages.success(request, _("You no longer offer %(item)s.")
                         % {"item": service.service_item.display_name})
        return redirect("providers:services")
    return render(request, "providers/service_remove.html", {"service": service})


@login_required
def qualification_list(request):
    agency = _agency_of(request)
    page = Paginator(selectors.own_qualifications(agency), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "providers/qualification_list.html", {
        "agency": agency, "page": page, "today": timezone.localdate(),
        "is_admin": _is_admin(request, agency),
    })


@login_required
@require_http_methods(["GET", "POST"])
def qualification_declare(request):
    agency = _agency_of(request)
    rules.check_agency_admin(user=request.user, agency=agency)
    form = QualificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on(form) as attempt:
            services.qualification_declare(
                agency=agency, qualification_type=data["type"], number=data["number"],
                issuer=data["issuer"], valid_until=data["valid_until"], file=data["file"],
                by=request.user,
            )
        if attempt.succeeded:
            messages.success(request, _("Qualification declared. It counts at once; a "
                                        "regulator will verify it."))
            return redirect("providers:qualifications")
    return render(request, "providers/qualification_form.html", {"form": form})


def qualification_scan(request, pk: int):
    """Stream a scan to the agency's members and to regulators; 404 for everyone else (the
    anonymous included, rather than a login redirect), so nobody learns which scans exist."""
    qualification = get_object_or_404(Qualification, pk=pk)
    if not selectors.can_see_scan(request.user, qualification) or not qualification.file:
        raise Http404
    extension = next((k.extensions[0] for k in KINDS.values()
                      if k.content_type == qualification.file_content_type), "")
    response = FileResponse(
        qualification.file.open("rb"),
        content_type=qualification.file_content_type or "application/octet-stream",
        filename=f"qualification-{qualification.pk}{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Regulators -----------------------------------------------------------------------------


@login_required
def qualification_review(request):
    rules.check_regulator(user=request.user)
    page = Paginator(selectors.qualifications_for_review(), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "providers/qualification_review.html",
                  {"page": page, "today": timezone.localdate()})


def _review(request, pk: int, *, form_class, action, done_message):
    qualification = get_object_or_404(Qualification, pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values()
                                         for e in errors))
        return redirect("providers:qualification_review")
    # A refusal other than "not allowed" (a second review) is shown on the review list.
    with refusal_as_message(request, statuses=(400, 409)) as attempt:
        action(qualification=qualification, reason=form.cleaned_data["reason"], by=request.user)
    if attempt.succeeded:
        messages.success(request, done_message % {"qualification": qualification})
    return redirect("providers:qualification_review")


@login_required
@require_POST
def qualification_verify(request, pk: int):
    return _review(request, pk, form_class=ReviewForm, action=services.qualification_verify,
                   done_message=_("%(qualification)s verified; the agency has been told."))


@login_required
@require_POST
def qualification_reject(request, pk: int):
    return _review(request, pk, form_class=RejectForm, action=services.qualification_reject,
                   done_message=_("%(qualification)s rejected; the agency has been told."))
