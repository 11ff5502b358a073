"""The dates a person may type: one range for every date and date-time input.

A date far outside the market's life is a typo or a probe, never a plan: year 1 crashed the
time-zone arithmetic ("date value out of range", a 500), 9999 is no deadline. Every form's
date input (through `StyledFormMixin`) and every API date field (`marketplace.api.fields`)
checks the year against this range before any service compares it with the clock. The rules
bound what is meaningful further (a bid deadline within `MAX_BIDDING_PERIOD_DAYS`).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2000
LAST_YEAR = 2100
CODE = "date.out_of_range"


def validate_date_in_range(value: dt.date | dt.datetime | None) -> None:
    """Refuse a date outside FIRST_YEAR–LAST_YEAR. Only the year is read: comparing a year-1
    date-time in another time zone is itself what overflows."""
    if value is None:
        return
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Enter a date between the years %(first)s and %(last)s."),
            code=CODE, params={"first": FIRST_YEAR, "last": LAST_YEAR})


def bound_date_field(field) -> None:
    """Give a form's date or date-time field the range check (once) and the matching
    `min`/`max` on its browser input."""
    if validate_date_in_range not in field.validators:
        field.validators.append(validate_date_in_range)
    kind = getattr(field.widget, "input_type", None)
    if kind == "date":
        field.widget.attrs.setdefault("min", f"{FIRST_YEAR}-01-01")
        field.widget.attrs.setdefault("max", f"{LAST_YEAR}-12-31")
    elif kind == "datetime-local":
        field.widget.attrs.setdefault("min", f"{FIRST_YEAR}-01-01T00:00")
        field.widget.attrs.setdefault("max", f"{LAST_YEAR}-12-31T23:59")
