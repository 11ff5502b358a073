"""`{% kept_filter_form form reset_url %}`: a public list's filter form
(includes/filter_form.html), its HTML kept per submitted values and language until the catalog
changes (`marketplace.catalog.kept`).

Only for forms whose choices come from the catalog or from code, and whose fields depend on
nothing else (no viewer, no date): then what the form shows, errors included, follows from the
values asked for and the page's language, and one rendering serves everyone who asks the same.
Rendering the service items and regions was a third of the project list's and the directory's
time (issue 14 §1)."""

import hashlib
import json

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from marketplace.catalog.kept import CATALOG

register = template.Library()


def _submitted(form) -> list:
    data = form.data
    return [(name, data.getlist(name) if hasattr(data, "getlist") else data.get(name))
            for name in (form.add_prefix(name) for name in form.fields)]


@register.simple_tag
def kept_filter_form(form, reset_url):
    identity = json.dumps([type(form).__module__, type(form).__qualname__, form.is_bound,
                           get_language(), str(reset_url), _submitted(form)],
                          ensure_ascii=False, default=str)
    key = "filter-form:" + hashlib.sha256(identity.encode()).hexdigest()
    html = CATALOG.cached(key, lambda: str(render_to_string(
        "includes/filter_form.html", {"form": form, "reset_url": reset_url})))
    return mark_safe(html)  # noqa: S308 (rendered by the template engine, escaped there)
