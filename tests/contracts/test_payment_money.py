"""Amounts: Decimal in the database, integer minor units at Stripe, never rounded."""

from decimal import Decimal

import pytest

from contracts.payments.money import from_minor_units, to_minor_units
from marketplace.errors import DomainError


def test_one_fen_is_one_minor_unit():
    assert to_minor_units(Decimal("0.01"), "cny") == 1


def test_contract_price_in_minor_units():
    assert to_minor_units(Decimal("80000.00"), "cny") == 8_000_000
    assert to_minor_units(Decimal("12.3"), "CNY") == 1230


def test_amount_finer_than_the_minor_unit_is_refused_not_rounded():
    with pytest.raises(DomainError):
        to_minor_units(Decimal("0.005"), "cny")
    with pytest.raises(DomainError):
        to_minor_units(Decimal("10.999"), "usd")


def test_zero_decimal_currency_has_no_minor_unit():
    assert to_minor_units(Decimal("1500"), "jpy") == 1500
    with pytest.raises(DomainError):
        to_minor_units(Decimal("1500.50"), "jpy")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        to_minor_units(0.1, "cny")


def test_back_from_minor_units():
    assert from_minor_units(1, "cny") == Decimal("0.01")
    assert from_minor_units(8_000_000, "cny") == Decimal("80000.00")
    assert from_minor_units(1500, "jpy") == Decimal("1500")
