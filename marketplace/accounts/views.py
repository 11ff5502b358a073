from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from marketplace.accounts import next_steps, selectors, services
from marketplace.accounts.forms import (
    AcceptInvitationForm,
    OrganizationDetailsForm,
    OwnerRegistrationForm,
    RegistrationForm,
)
from marketplace.accounts.models import Invitation
from marketplace.accounts.standing import standing_of, workspace_notices
from marketplace.catalog.selectors import years_missing_calendar
from marketplace.errors import StateConflict
from marketplace.web import refusal_on, render_domain_error

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _register(request, form_class, title):
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form) as attempt:
            organization, user = services.register_organization(
                kind=form_class.kind, **form.cleaned_data
            )
        if attempt.succeeded:
            login(request, user, backend=BACKEND)
            messages.success(
                request,
                _("Welcome! %(name)s is registered and can start at once.")
                % {"name": organization.name},
            )
            return redirect("workspace")
    return render(request, "accounts/register.html", {"form": form, "title": title})


@require_http_methods(["GET", "POST"])
def register_agency(request):
    return _register(request, RegistrationForm, _("Register an intermediary agency"))


@require_http_methods(["GET", "POST"])
def register_owner(request):
    return _register(request, OwnerRegistrationForm, _("Register a project owner"))


@login_required
def workspace(request):
    membership = selectors.membership_of(request.user)
    organization = membership.organization if membership else None
    missing_calendar_years = []
    if organization is not None and organization.is_regulator:
        missing_calendar_years = years_missing_calendar()
    return render(request, "accounts/workspace.html", {
        "membership": membership,
        "missing_calendar_years": missing_calendar_years,
        "next_steps": next_steps.steps_for(membership and membership.organization),
        "standing": standing_of(organization) if organization else None,
        "notices": workspace_notices(organization) if organization else [],
    })


@login_required
@require_http_methods(["GET", "POST"])
def organization_details(request):
    """Administrators edit the public details; staff read them."""
    membership = selectors.membership_of(request.user)
    if membership is None:
        return redirect("workspace")
    organization = membership.organization
    form = OrganizationDetailsForm(request.POST or None, organization=organization)
    status = 200
    if request.method == "POST" and form.is_valid():
        with refusal_on(form) as attempt:
            services.organization_details_update(organization=organization, by=request.user,
                                                 **form.cleaned_data)
        status = attempt.status
        if attempt.succeeded:
            messages.success(request, _("Your organization's details are saved."))
            return redirect("accounts:organization")
    return render(request, "accounts/organization_details.html", {
        "membership": membership, "organization": organization, "form": form,
        "former_names": selectors.former_names(organization),
    }, status=status)


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("organization"), token=token)
    if not invitation.is_open():
        return render_domain_error(request, StateConflict(services.INVITATION_CLOSED))
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form) as attempt:
            user = services.accept_invitation(
                token=token, username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        if attempt.succeeded:
            login(request, user, backend=BACKEND)
            messages.success(request, _("You have joined %(name)s.")
                             % {"name": invitation.organization.name})
            return redirect("workspace")
    return render(request, "accounts/accept_invitation.html",
                  {"form": form, "invitation": invitation})
