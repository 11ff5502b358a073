"""The console under the Content-Security-Policy: Wagtail's admin without inline scripts.

A few of Wagtail's widgets and panels start their JavaScript with an inline `<script>` (the date
and time pickers, choosers, inline panels), which the policy refuses. Here they write the same
call as data instead: a `<script type="application/json" data-console-init="NAME">` holding
the arguments, which `cms/console/init.js` (a static file on every console page) hands to the
global function or constructor NAME, from an allow-list, once the page (or the part of it that
was just inserted) is there. docs/decisions.md "Content-Security-Policy".
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.admin.widgets.workflows import AdminTaskChooser

# The functions called and the constructors used with `new`; init.js has the same lists.
FUNCTIONS = {"initDateChooser", "initTimeChooser", "initDateTimeChooser", "createTaskChooser"}
CONSTRUCTORS = {"InlinePanel", "MultipleChooserPanel", "Chooser", "PageChooser",
                "ImageChooser", "DocumentChooser", "SnippetChooser"}


_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def deferred_call(name: str, *args) -> str:
    """The markup that makes init.js call `name(*args)` (or `new name(*args)`)."""
    if name not in FUNCTIONS | CONSTRUCTORS:
        raise ValueError(f"{name} is not on the console's allow-list")
    # Escaped as json_script does: the arguments cannot end the element.
    data = json.dumps(list(args), cls=DjangoJSONEncoder).translate(_JSON_ESCAPES)
    return format_html('<script type="application/json" data-console-init="{}">{}</script>',
                       name, mark_safe(data))  # noqa: S308 - escaped just above


def _chooser_render(self, name, value, attrs=None, renderer=None):
    """BaseChooser.render, with the start-up call as data instead of an inline script."""
    try:
        id_ = attrs["id"]
    except (KeyError, TypeError) as e:
        raise TypeError("BaseChooser cannot be rendered without an 'id' attribute") from e
    value_data = self.get_value_data(value)
    widget_html = self.render_html(name, value_data, attrs)
    if isinstance(self, AdminTaskChooser):
        init = deferred_call("createTaskChooser", id_)
    else:
        init = deferred_call(self.js_constructor, id_,
                             self.get_js_init_options(id_, name, value_data))
    return mark_safe(f"{widget_html}{init}")  # noqa: S308 - widget_html is Wagtail's, escaped


def console_without_inline_scripts() -> None:
    """Called once from `CmsConfig.ready()`; the widget and panel templates are overridden in
    cms/templates/wagtailadmin/."""
    BaseChooser.render = _chooser_render

