"""Template filters loaded on every template (settings: TEMPLATES builtins).

``{{ project.budget_cap|money }}`` → ¥525,400.00; ``{{ "3wd"|period }}`` → 3个工作日. Dates use
the per-language formats of ``marketplace/formats``: ``|date:"SHORT_DATETIME_FORMAT"`` and
``|date:"SHORT_DATE_FORMAT"``.
"""

from django import template
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.html import format_html

from marketplace.formatting.money import format_money
from marketplace.periods import describe_period

register = template.Library()


@register.filter
def money(value):
    return format_money(value)


@register.filter
def period(value):
    """``{{ "1095d"|period }}`` → 1095天（约3年） / 1095 days (about 3 years)."""
    return describe_period(value)


@register.filter
def amount(value):
    """The same figure without the currency sign, for a column already headed in yuan."""
    return format_money(value, sign=False)


@register.filter
def precise(value):
    """A moment to the second (deadlines, seals, draws) in the language's date format."""
    if not value:
        return "—"
    return dateformat.format(timezone.localtime(value),
                             get_format("SHORT_DATE_FORMAT") + " H:i:s")


@register.filter
def as_written(value):
    """A name shown as it was typed (a user name), marked so that neither translators nor
    the language checks take it for text to translate."""
    return format_html('<span translate="no">{}</span>', value)


@register.filter
def iso_date(value):
    """The local calendar day as ``2026-12-05``, for links and form values (`?on=`), never for
    text people read (that is ``|date:"SHORT_DATE_FORMAT"``)."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return value.isoformat()
