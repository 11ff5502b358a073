from decimal import Decimal, InvalidOperation

from django.conf import settings

# The one currency of the market; shown with its sign, thousands separators and two decimals.
CURRENCY_SIGN = {"cny": "¥"}


def format_money(value, *, sign: bool = True) -> str:
    """``525400`` → ``¥525,400.00``; ``None`` or an empty value → ``—``."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return str(value)
    text = f"{abs(amount):,.2f}"
    prefix = CURRENCY_SIGN.get(settings.MARKETPLACE_PAYMENT_CURRENCY.lower(), "¥") if sign else ""
    return f"-{prefix}{text}" if amount < 0 else f"{prefix}{text}"
