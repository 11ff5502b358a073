"""`{% payments_section contract %}`: the payments section of the contract page, computed for
the viewer (what it may do now), so the contract page only has to include it."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.models import Payment
from contracts.payments import providers, selectors
from contracts.payments.forms import StartForm
from marketplace.accounts.selectors import organization_of

register = template.Library()

EVENT_LABELS = {
    "payment.started": _("Payment started"),
    "offline.sent": _("Transfer recorded by the owner"),
    "offline.confirmed": _("Receipt confirmed by the agency"),
    "offline.disputed": _("Receipt denied by the agency"),
    "offline.dispute_settled": _("Dispute settled by a regulator"),
    "offline.withdrawn": _("Withdrawn by the owner before paying"),
    "checkout.session.completed": _("Paid on Stripe"),
    "checkout.session.async_payment_succeeded": _("Paid on Stripe"),
    "checkout.session.async_payment_failed": _("Online payment failed"),
    "checkout.session.expired": _("Payment page expired"),
    "payment_intent.payment_failed": _("Online payment failed"),
    "charge.refunded": _("Refund completed"),
    "refund.requested": _("Refund requested (terminated before delivery)"),
    "refund.created": _("Refund issued"),
}


@register.inclusion_tag("contracts/payments/section.html", takes_context=True)
def payments_section(context, contract):
    request = context.get("request")
    organization = organization_of(request.user) if request is not None else None
    payments = list(selectors.payments_of(contract))
    for payment in payments:
        payment.history = [
            {"event": e, "label": EVENT_LABELS.get(e.type, e.type)}
            for e in selectors.history(payment) if e.outcome == e.Outcome.APPLIED]
        payment.pay_now = (payment.provider == Payment.Provider.STRIPE
                           and payment.status in (Payment.Status.CHECKOUT_OPEN,
                                                  Payment.Status.FAILED)
                           and payment.checkout_url
                           and (payment.checkout_expires_at is None
                                or payment.checkout_expires_at > timezone.now()))
    methods = providers.available_methods()
    is_party = organization is not None and organization.pk in (contract.owner_id,
                                                               contract.agency_id)
    return {
        "contract": contract, "payments": payments, "organization": organization,
        "actions": selectors.actions_for(contract, organization, payments),
        "is_owner": organization is not None and organization.pk == contract.owner_id,
        "start_form": StartForm(methods=methods, initial={"method": providers.DEFAULT_METHOD}),
        "payout": selectors.payout_of(contract) if is_party or (
            organization is not None and organization.is_regulator) else None,
        "checkout": request.GET.get("checkout") if request is not None else None,
        "csrf_token": context.get("csrf_token"), "request": request,
    }
