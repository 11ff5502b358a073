"""Payment pages: start a payment, record a transfer, confirm or dispute it, settle a dispute
(regulators), and the agency's Stripe Connect page. Views parse, call a service, redirect back
to the contract page; whoever may not see the contract gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from contracts.models import Payment
from contracts.payments import providers, selectors, services
from contracts.payments.forms import DisputeForm, RecordTransferForm, ResolveForm, StartForm
from contracts.payments.services.common import ensure_agency, ensure_owner
from contracts.payments.services.offline_payments import ensure_regulator
from contracts.selectors import contract_for_viewer
from marketplace.accounts.selectors import membership_of, organization_of
from marketplace.actors import is_admin_of
from marketplace.errors import NotFound
from marketplace.web import refusal_on


def _contract(request, pk):
    try:
        return contract_for_viewer(pk, organization_of(request.user))
    except NotFound:
        raise Http404 from None


def _payment(request, pk) -> Payment:
    try:
        return selectors.payment_for_viewer(pk, organization_of(request.user))
    except NotFound:
        raise Http404 from None


def _back(contract_id: int):
    return redirect(services.contract_page_path(contract_id))


@login_required
def contract_payments(request, pk: int):
    """The payments section on a page of its own (the contract page includes the same)."""
    return render(request, "contracts/payments/contract.html",
                  {"contract": _contract(request, pk)})


@login_required
@require_POST
def payment_start(request, pk: int):
    contract = _contract(request, pk)
    ensure_owner(contract, request.user)  # before the form: see _form_page
    form = StartForm(request.POST, methods=providers.available_methods())
    if not form.is_valid():
        messages.error(request, _("Choose a payment method."))
        return _back(contract.pk)
    payment = services.payment_start(
        contract=contract, method=form.cleaned_data["method"], by=request.user,
        return_url=request.build_absolute_uri(services.contract_page_path(contract.pk)))
    if payment.checkout_url:
        return redirect(payment.checkout_url)
    messages.success(request, _("Payment started: transfer the amount due, then record the "
                                "transfer here."))
    return _back(contract.pk)


def _form_page(request, payment, *, form, title, submit, perform, done, may):
    """`may` (the service's check of who acts) runs first: anyone else is refused, its form
    never validated (issue 13 §2)."""
    may(payment.contract, request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        with refusal_on(form) as attempt:
            perform(form.cleaned_data)
        status = attempt.status
        if attempt.succeeded:
            messages.success(request, done)
            return _back(payment.contract_id)
    elif request.method == "POST":
        status = 400
    return render(request, "contracts/payments/action.html",
                  {"contract": payment.contract, "payment": payment, "form": form,
                   "title": title, "submit": submit,
                   "back": services.contract_page_path(payment.contract_id)}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def payment_record(request, pk: int):
    payment = _payment(request, pk)
    form = RecordTransferForm(request.POST or None, initial={"amount": payment.amount})
    return _form_page(
        request, payment, form=form, title=_("Record the bank transfer"),
        submit=_("Record the transfer"),
        perform=lambda data: services.payment_mark_sent(payment=payment, by=request.user,
                                                        **data),
        done=_("Transfer recorded; the agency is asked to confirm receipt."), may=ensure_owner)


def _button(request, pk: int, call, success: str):
    """A payment action without a form: call the service, then back to the contract page."""
    payment = _payment(request, pk)
    call(payment=payment, by=request.user)
    messages.success(request, success)
    return _back(payment.contract_id)


@login_required
@require_POST
def payment_confirm(request, pk: int):
    return _button(request, pk, services.payment_confirm_received, _("Receipt confirmed."))


@login_required
@require_POST
def payment_withdraw(request, pk: int):
    return _button(request, pk, services.payment_withdraw,
                   _("Payment withdrawn. You can start paying another way."))


@login_required
@require_http_methods(["GET", "POST"])
def payment_dispute(request, pk: int):
    payment = _payment(request, pk)
    return _form_page(
        request, payment, form=DisputeForm(request.POST or None),
        title=_("Dispute the recorded transfer"), submit=_("Dispute"),
        perform=lambda data: services.payment_dispute(payment=payment, by=request.user,
                                                      reason=data["reason"]),
        done=_("The transfer is marked as disputed; the owner and regulators can see why."),
        may=ensure_agency)


@login_required
@require_http_methods(["GET", "POST"])
def payment_resolve(request, pk: int):
    payment = _payment(request, pk)
    return _form_page(
        request, payment, form=ResolveForm(request.POST or None),
        title=_("Settle the payment dispute"), submit=_("Decide"),
        perform=lambda data: services.payment_resolve_dispute(payment=payment, by=request.user,
                                                              **data),
        done=_("The dispute is settled."), may=ensure_regulator)


@login_required
@require_http_methods(["GET", "POST"])
def stripe_connect(request):
    """The agency's Stripe Connect account: its state, and the way to (finish) connecting."""
    membership = membership_of(request.user)
    if membership is None or not membership.organization.is_agency:
        raise Http404
    if request.method == "POST":
        url = services.stripe_account_connect(
            by=request.user,
            refresh_url=request.build_absolute_uri(reverse("payments:stripe_connect")),
            return_url=request.build_absolute_uri(reverse("payments:stripe_connect_return")))
        return redirect(url)
    organization = membership.organization
    return render(request, "contracts/payments/stripe_connect.html", {
        "organization": organization, "is_admin": is_admin_of(request.user, organization),
        "account": selectors.stripe_account_of(organization),
        "stripe_enabled": providers.stripe_enabled(),
        "waiting_payouts": organization.payouts.filter(status="waiting_for_account"),
        "payouts": organization.payouts.select_related("contract__project")[:20]})


@login_required
def stripe_connect_return(request):
    """Stripe sends the agency back here after onboarding: read the account's state."""
    account = services.stripe_account_refresh(by=request.user)
    if account is not None and account.ready:
        messages.success(request, _("Your Stripe account can receive payouts."))
    else:
        messages.warning(request, _("Stripe still needs some details before payouts can be "
                                    "made; continue the onboarding."))
    return redirect("payments:stripe_connect")
