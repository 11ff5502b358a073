"""Contract pages for the parties and regulators: lists, the contract with its actions, the
printable text and the PDF. Views parse, call a service, render; others get 404."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from contracts import rules, selectors, services
from contracts.forms import (
    ContractFilterForm,
    DeliverForm,
    ReasonForm,
    SignForm,
    TerminateForm,
)
from contracts.models import Contract
from contracts.pdf import render_pdf
from contracts.services.common import (
    agency_acts,
    owner_acts,
    party_admin_acts,
    signatory_acts,
)
from contracts.services.execution import terminating_organization
from marketplace.accounts.second_factor import has_second_factor
from marketplace.accounts.selectors import organization_of
from marketplace.errors import NotFound
from marketplace.files import file_response
from marketplace.web import querystring_without_page, refusal_on

PAGE_SIZE = 20


def _visible(request, pk) -> Contract:
    try:
        return selectors.contract_for_viewer(pk, organization_of(request.user))
    except NotFound:
        raise Http404


@login_required
def contract_list(request):
    organization = organization_of(request.user)
    if organization is None:
        raise Http404
    form = ContractFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    if not organization.is_regulator:
        filters.pop("owner", None)
        filters.pop("agency", None)
    queryset = selectors.filter_contracts(selectors.contracts_for_viewer(organization),
                                          **{k: v for k, v in filters.items() if v})
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    if not organization.is_regulator:
        del form.fields["owner"], form.fields["agency"]
    return render(request, "contracts/contract_list.html", {
        "page": page, "form": form, "organization": organization,
        "querystring": querystring_without_page(request)})


@login_required
def contract_detail(request, pk: int):
    contract = _visible(request, pk)
    now = timezone.now()
    # A window that closed lapses on sight, as the beat task would have done.
    if services.contract_lapse(contract=contract, now=now):
        contract = _visible(request, pk)
    actions = selectors.actions_for(contract, request.user, now=now)
    return render(request, "contracts/contract_detail.html", {
        "contract": contract, "actions": actions,
        "clock": selectors.clock_of(contract, now=now),
        "time_limit": selectors.time_limit_of(contract, now=now),
        "signing": selectors.signing_panel(contract, request.user, now=now),
        "sanction_review": rules.pending_sanction_review(contract),
        "signatures": contract.signatures.select_related("organization", "user"),
        "has_signed_pdf": selectors.latest_signed_pdf(contract) is not None,
        "deliveries": selectors.deliveries_of(contract),
        "suspensions": contract.suspensions.all(),
        "incidents": contract.credit_incidents.select_related("organization"),
        "timeline": selectors.timeline(contract),
        "sign_form": SignForm(initial={"text_sha256": contract.text_sha256}),
        "deliver_form": DeliverForm(), "reason_form": ReasonForm(),
        "terminate_form": TerminateForm()})


@login_required
def contract_print(request, pk: int):
    contract = _visible(request, pk)
    return render(request, "contracts/contract_print.html", {
        "contract": contract,
        "signatures": contract.signatures.select_related("organization", "user")})


@login_required
def contract_pdf(request, pk: int):
    contract = _visible(request, pk)
    content = render_pdf(contract)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="contract-{contract.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def delivery_file(request, pk: int, file_pk: int):
    try:
        stored = selectors.delivery_file_for_viewer(pk, file_pk, organization_of(request.user))
    except NotFound:
        raise Http404
    return file_response(stored)


def _action_page(request, contract, *, form, template, title, submit, perform, done, may):
    """GET: the form; POST: perform, then back to the contract (or the form with errors).
    `done` is the message, or a function of what `perform` returned. `may` (the service's
    party check) runs first: a party that may not act is refused, its form never validated."""
    may(contract, request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        with refusal_on(form) as attempt:
            result = perform(form.cleaned_data)
        status = attempt.status
        if attempt.succeeded:
            messages.success(request, done(result) if callable(done) else done)
            return redirect("contracts:detail", contract.pk)
    return render(request, template, {"contract": contract, "form": form, "title": title,
                                      "submit": submit}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def contract_sign(request, pk: int):
    contract = _visible(request, pk)
    form = SignForm(request.POST or None, initial={"text_sha256": contract.text_sha256},
                    with_code=has_second_factor(request.user))
    return _action_page(
        request, contract, form=form, template="contracts/contract_sign.html",
        title=_("Sign the contract"), submit=_("Sign"),
        perform=lambda data: services.contract_sign(
            contract=contract, by=request.user, password=data["password"],
            text_hash=data.get("text_sha256") or None, otp_code=data.get("otp_code"),
            ip=request.META.get("REMOTE_ADDR"),
            user_agent=request.META.get("HTTP_USER_AGENT", "")),
        done=_signed_message, may=signatory_acts)


def _signed_message(contract: Contract) -> str:
    """The second signature puts the contract in force at once: say so."""
    if contract.status == Contract.Status.ACTIVE:
        return _("Signed. Both parties have now signed: the contract is in force and the "
                 "service clock has started.")
    return _("Signed. The contract comes into force when the other party has signed too.")


@login_required
@require_http_methods(["GET", "POST"])
def contract_deliver(request, pk: int):
    contract = _visible(request, pk)
    form = DeliverForm(request.POST or None, request.FILES or None)
    return _action_page(
        request, contract, form=form, template="contracts/contract_action.html",
        title=_("Deliver the work"), submit=_("Deliver"),
        perform=lambda data: services.contract_deliver(contract=contract, by=request.user,
                                                       note=data["note"], files=data["files"]),
        done=_("Delivered. The owner will accept it or give reasons."), may=agency_acts)


def _reason_action(request, pk, *, service, title, submit, done, may):
    contract = _visible(request, pk)
    form = ReasonForm(request.POST or None)
    return _action_page(
        request, contract, form=form, template="contracts/contract_action.html", title=title,
        submit=submit, done=done, may=may,
        perform=lambda data: service(contract=contract, by=request.user, reason=data["reason"]))


@login_required
@require_http_methods(["GET", "POST"])
def contract_reject(request, pk: int):
    return _reason_action(request, pk, service=services.contract_reject,
                          title=_("Reject the delivery"), submit=_("Reject"),
                          done=_("Delivery rejected; the agency has your reasons."), may=owner_acts)


@login_required
@require_http_methods(["GET", "POST"])
def contract_refuse(request, pk: int):
    return _reason_action(request, pk, service=services.contract_refuse,
                          title=_("Refuse to sign"), submit=_("Refuse to sign"),
                          done=_("Your refusal to sign was recorded; the contract will not "
                                 "come into force."), may=party_admin_acts)


@login_required
@require_http_methods(["GET", "POST"])
def contract_suspend(request, pk: int):
    return _reason_action(request, pk, service=services.contract_suspend,
                          title=_("Suspend the work"), submit=_("Suspend"),
                          done=_("Work suspended; the service clock has stopped."), may=owner_acts)


@login_required
@require_http_methods(["GET", "POST"])
def contract_terminate(request, pk: int):
    contract = _visible(request, pk)
    form = TerminateForm(request.POST or None)
    return _action_page(
        request, contract, form=form, template="contracts/contract_action.html",
        title=_("Terminate the contract"), submit=_("Terminate"),
        perform=lambda data: services.contract_terminate(
            contract=contract, by=request.user, reason=data["reason"],
            at_fault=data["at_fault"]),
        done=_("The contract was terminated."), may=terminating_organization)


def _post_action(request, pk, perform, done):
    contract = _visible(request, pk)
    perform(contract)
    messages.success(request, done)
    return redirect("contracts:detail", contract.pk)


@login_required
@require_http_methods(["GET", "POST"])
def contract_accept(request, pk: int):
    """GET: what accepting means and a confirm button; POST: accept."""
    if request.method == "POST":
        return _post_action(request, pk,
                            lambda c: services.contract_accept(contract=c, by=request.user),
                            _("Delivery accepted; the contract is completed."))
    contract = _visible(request, pk)
    actions = selectors.actions_for(contract, request.user, now=timezone.now())
    if not actions.accept:
        return redirect("contracts:detail", contract.pk)
    return render(request, "contracts/contract_accept.html", {
        "contract": contract, "delivery": selectors.deliveries_of(contract).last(),
        "clock": selectors.clock_of(contract, now=timezone.now()),
        "rating_period": settings.MARKETPLACE_RATING_PERIOD,
        "title": _("Confirm the acceptance")})


@login_required
@require_POST
def contract_resume(request, pk: int):
    return _post_action(request, pk,
                        lambda c: services.contract_resume(contract=c, by=request.user),
                        _("Work resumed; the service clock is running again."))


@login_required
@require_POST
def contract_continue(request, pk: int):
    """The owner goes on with an agency sanctioned while the contract is in force."""
    return _post_action(request, pk,
                        lambda c: services.contract_continue_after_sanction(
                            contract=c, by=request.user, note=request.POST.get("note", "")),
                        _("You chose to continue the contract; the agency can deliver again."))


@login_required
@require_POST
def contract_award_next(request, pk: int):
    contract = _visible(request, pk)
    services.contract_award_next(contract=contract, by=request.user)
    messages.success(request, _("The award passed to the next bid; a new publicity period "
                                "has started."))
    return redirect(contract.project.get_absolute_url())
