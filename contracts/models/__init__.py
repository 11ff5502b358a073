"""Contracts' data: templates, contracts and signatures, execution, credit incidents, payments."""

from contracts.models.contracts import Contract, ContractTemplate, Signature
from contracts.models.execution import Delivery, DeliveryFile, SanctionReview, Suspension
from contracts.models.incidents import CreditIncident
from contracts.payments.models import Payment, PaymentEvent, Payout, StripeAccount

__all__ = ["Contract", "ContractTemplate", "CreditIncident", "Delivery", "DeliveryFile",
           "Payment", "PaymentEvent", "Payout", "SanctionReview", "Signature", "StripeAccount",
           "Suspension"]
