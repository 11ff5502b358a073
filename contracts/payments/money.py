"""Decimal amounts in the database, integer minor units at Stripe."""

from decimal import Decimal

from django.utils.translation import gettext as _

from marketplace.errors import DomainError

# ISO 4217 currencies Stripe charges without a minor unit (stripe.com/docs/currencies).
ZERO_DECIMAL = frozenset({
    "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv",
    "xaf", "xof", "xpf",
})


def exponent(currency: str) -> int:
    return 0 if currency.lower() in ZERO_DECIMAL else 2


def to_minor_units(amount: Decimal, currency: str) -> int:
    """`Decimal("0.01")` CNY → 1. An amount that does not fit the currency's minor unit is
    refused rather than rounded: nobody is charged a different amount than the contract says."""
    if not isinstance(amount, Decimal):
        raise TypeError("amounts are Decimal")
    scaled = amount.scaleb(exponent(currency))
    if not amount.is_finite() or scaled != scaled.to_integral_value():
        raise DomainError(_("%(amount)s cannot be paid in %(currency)s without rounding.")
                          % {"amount": amount, "currency": currency.upper()})
    return int(scaled)


def from_minor_units(value: int, currency: str) -> Decimal:
    places = exponent(currency)
    return Decimal(int(value)).scaleb(-places).quantize(Decimal(1).scaleb(-places))
