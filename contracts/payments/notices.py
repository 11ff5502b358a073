"""Inbox and e-mail notices of payment events, sent by the `contracts.payment_notify` task
after commit (the texts are stored in the platform's default language)."""

from collections.abc import Callable

from django.utils.translation import gettext as _

from contracts.models import Payment, Payout
from contracts.payments.services import contract_page_path
from marketplace.formatting.money import format_money
from marketplace.notifications.services import notify_organization


def _send(payment_or_payout, organizations, title: str, body: str, kind: str) -> int:
    contract = payment_or_payout.contract
    count = 0
    for organization in organizations:
        count += len(notify_organization(
            organization=organization, title=title % {"title": contract.project.title},
            body=body, url=contract_page_path(contract.pk), kind=f"payments.{kind}"))
    return count


def _sent(payment: Payment) -> int:
    return _send(payment, [payment.contract.agency], _("Transfer recorded: %(title)s"),
                 _("The owner recorded a transfer of %(amount)s on %(date)s (reference "
                   "%(reference)s). Confirm receipt, or dispute it if the money has not "
                   "arrived.") % {"amount": format_money(payment.transfer_amount),
                                  "date": payment.transfer_date,
                                  "reference": payment.transfer_reference}, "sent")


def _confirmed(payment: Payment) -> int:
    return _send(payment, [payment.contract.owner], _("Payment received: %(title)s"),
                 _("The agency confirmed receiving %(amount)s.")
                 % {"amount": format_money(payment.amount)},
                 "confirmed")


def _disputed(payment: Payment) -> int:
    return _send(payment, [payment.contract.owner], _("Transfer disputed: %(title)s"),
                 _("The agency says the transfer has not arrived: %(reason)s")
                 % {"reason": payment.dispute_reason}, "disputed")


def _settled(payment: Payment) -> int:
    body = (_("A regulator confirmed that the payment was received.")
            if payment.status == Payment.Status.CONFIRMED else
            _("A regulator decided that the transfer did not arrive; the owner transfers and "
              "records it again."))
    contract = payment.contract
    return _send(payment, [contract.owner, contract.agency],
                 _("Payment dispute settled: %(title)s"), body, "settled")


def _paid(payment: Payment) -> int:
    contract = payment.contract
    return _send(payment, [contract.owner, contract.agency], _("Paid online: %(title)s"),
                 _("%(amount)s was paid through Stripe.")
                 % {"amount": format_money(payment.amount)}, "paid")


def _refunded(payment: Payment) -> int:
    return _send(payment, [payment.contract.owner], _("Refund issued: %(title)s"),
                 _("%(amount)s is refunded because the contract was terminated before "
                   "delivery.") % {"amount": format_money(payment.amount)}, "refunded")


def _payout_sent(payout: Payout) -> int:
    return _send(payout, [payout.agency], _("Payout sent: %(title)s"),
                 _("%(amount)s was transferred to your Stripe account.")
                 % {"amount": format_money(payout.amount)}, "payout_sent")


PAYMENT_EVENTS: dict[str, Callable[[Payment], int]] = {
    "sent": _sent, "confirmed": _confirmed, "disputed": _disputed, "settled": _settled,
    "paid": _paid, "refunded": _refunded,
}


def send(event: str, *, payment_id: int | None = None, payout_id: int | None = None) -> int:
    if event == "payout_sent":
        return _payout_sent(Payout.objects.select_related("contract__project", "agency")
                            .get(pk=payout_id))
    payment = Payment.objects.select_related("contract__project", "contract__owner",
                                             "contract__agency").get(pk=payment_id)
    return PAYMENT_EVENTS[event](payment)
