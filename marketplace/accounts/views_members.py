"""The members page: the organization's people, invitations, and what its administrators do
to them (role, signatory right, removal). Every action is a POST to a service; a refusal shows
on the same page with its status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.accounts import rules, selectors, services
from marketplace.accounts.forms import InvitationForm
from marketplace.accounts.models import Membership
from marketplace.errors import refusal_of
from marketplace.web import refusal_as_message, refusal_on


def _rows(members) -> list[dict]:
    """Each member with what the page offers for them, asked of the rules."""
    rows = []
    for user in members:
        membership = user.membership
        refusal = refusal_of(rules.check_keeps_an_administrator, membership=membership)
        last_admin = refusal.message if refusal is not None else None
        rows.append({"user": user, "membership": membership, "last_admin": last_admin,
                     "may_sign": rules.may_sign_contracts(membership)})
    return rows


def _page(request, membership, *, form=None, status=200):
    organization = membership.organization
    return render(request, "accounts/members.html", {
        "membership": membership,
        "rows": _rows(selectors.members_of(organization)),
        "invitations": selectors.open_invitations(organization),
        "form": form or InvitationForm(),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def members(request):
    membership = selectors.membership_of(request.user)
    if membership is None:
        return redirect("workspace")
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form) as attempt:
            services.invite_staff(
                organization=membership.organization, email=form.cleaned_data["email"],
                by=request.user,
            )
        if attempt.succeeded:
            messages.success(request, _("Invitation sent to %(email)s.")
                             % {"email": form.cleaned_data["email"]})
            return redirect("accounts:members")
    return _page(request, membership, form=form)


def _member_action(request, perform, done: str):
    membership = selectors.membership_of(request.user)
    if membership is None:
        return redirect("workspace")
    with refusal_as_message(request) as attempt:
        perform(membership.organization)
    if not attempt.succeeded:
        return _page(request, membership, status=attempt.status)
    messages.success(request, done)
    return redirect("accounts:members")


@login_required
@require_POST
def member_role(request, user_id: int):
    role = request.POST.get("role", "")
    return _member_action(
        request,
        lambda organization: services.member_role_set(organization=organization,
                                                      member=user_id, role=role,
                                                      by=request.user),
        _("The member is now an administrator.") if role == Membership.Role.ADMIN
        else _("The member is now staff."))


@login_required
@require_POST
def member_signatory(request, user_id: int):
    can_sign = request.POST.get("can_sign") == "1"
    return _member_action(
        request,
        lambda organization: services.member_signatory_set(organization=organization,
                                                           member=user_id, can_sign=can_sign,
                                                           by=request.user),
        _("The member may now sign contracts for your organization.") if can_sign
        else _("The member may no longer sign contracts."))


@login_required
@require_POST
def member_remove(request, user_id: int):
    return _member_action(
        request,
        lambda organization: services.member_remove(organization=organization,
                                                    member=user_id, by=request.user),
        _("The member has been removed; their account is closed and logged out everywhere."))
