"""`{% field_widget field %}`: a bound field's widget, its HTML kept until the catalog changes
(`marketplace.catalog.kept`) when its form names it in `kept_fields`.

For the public lists' filters, whose long selects (service items, regions) list the catalog or
choices fixed in code: such a select's HTML follows from the value chosen, the widget's
attributes (an error marks it invalid) and the page's language, so one rendering serves every
visitor. Rendering them was a third of the project list's and the directory's time (issue 14
§1). A field whose choices depend on anything else (the viewer, the date) is not named and is
rendered each time."""

import hashlib
import json

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from marketplace.catalog.kept import CATALOG

register = template.Library()


@register.simple_tag
def field_widget(field):
    form = field.form
    if field.name not in getattr(form, "kept_fields", ()):
        return field.as_widget()
    invalid = bool(field.errors)  # the form checked first: an error changes the attributes
    identity = json.dumps([type(form).__module__, type(form).__qualname__, field.html_name,
                           get_language(), field.value(), invalid, field.field.widget.attrs],
                          ensure_ascii=False, sort_keys=True, default=str)
    key = "field-widget:" + hashlib.sha256(identity.encode()).hexdigest()
    # Rendered by the template engine (escaped there); the cache holds a plain str.
    return mark_safe(CATALOG.cached(key, lambda: str(field.as_widget())))  # noqa: S308
