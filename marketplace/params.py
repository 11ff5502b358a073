"""Query-string ids, parsed once for every list: the API refuses a bad one, pages ignore it.

An id filter (`?owner=`, `?agency=`, `?subject=`, …) holds a database id: a positive integer
that fits the 64-bit primary keys (`BigAutoField`). A bigger number used to reach the database
and crash it (SQLite's "Python int too large", PostgreSQL's out-of-range bigint): a 500. Now
one parser decides. The API answers 400 `{"<name>": [message], "code": "filter.invalid_id"}`;
a page drops the filter, says so in a notice and shows the unfiltered list (a person who
mistyped a link should still see the page). See docs/decisions.md "Bad input".
"""

import django_filters
from django import forms
from django.contrib import messages
from django.utils.translation import gettext_lazy as _

from marketplace.errors import DomainError

MAX_ID = 2**63 - 1  # the largest BigAutoField value on SQLite and PostgreSQL


class InvalidFilter(DomainError):
    code = "filter.invalid_id"

    def __init__(self, message=None, **kwargs):
        # Interpolated here, in the request's language (at import it would freeze one).
        super().__init__(message if message is not None else _(
            "Not a valid id: a whole number from 1 to %(max)s.") % {"max": MAX_ID}, **kwargs)


def parse_id(value, *, name: str | None = None) -> int | None:
    """The id in `value`; None when absent or blank; `InvalidFilter` (naming `name`) when it is
    not a whole number from 1 to MAX_ID (letters, a sign, a fraction, too many digits)."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID))
            and 1 <= int(text) <= MAX_ID):
        raise InvalidFilter(field=name)
    return int(text)


def api_id_param(params, name: str) -> int | None:
    """An id filter of an API list: absent → None, bad → 400 `filter.invalid_id`."""
    return parse_id(params.get(name), name=name)


def page_id_param(request, name: str) -> int | None:
    """An id filter of a page: a bad one is dropped with a notice (the filter is ignored)."""
    try:
        return parse_id(request.GET.get(name), name=name)
    except InvalidFilter:
        messages.warning(request, _("The filter “%(name)s” was ignored: “%(value)s” is not a "
                                    "valid id.") % {"name": name,
                                                    "value": request.GET.get(name)[:40]})
        return None


class IdFilter(django_filters.Filter):
    """A django-filter id filter (the API's FilterSets) that asks `parse_id`: a bad id is the
    API's coded 400, not a database crash. Name it by the relation (`field_name="owner"`): the
    refusal names the parameter by it."""

    field_class = forms.CharField

    def filter(self, qs, value):
        return super().filter(qs, parse_id(value, name=self.field_name))
