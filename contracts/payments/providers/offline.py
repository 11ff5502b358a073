"""Offline provider: the owner transfers by bank and records it; the agency confirms receipt.
Nothing happens outside the platform's database, so beginning a payment only sets its status."""

from contracts.models import Contract, Payment


class OfflineProvider:
    method = Payment.Provider.OFFLINE

    def initial_status(self) -> str:
        return Payment.Status.PENDING

    def begin(self, *, payment: Payment, contract: Contract, return_url: str) -> None:
        return None
