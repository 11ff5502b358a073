"""`{% console_init NAME arg... config_json=JSON %}`: a Wagtail start-up call written as data
for cms/console/init.js instead of an inline script (cms.console.csp)."""

import json

from django import template

from cms.console.csp import deferred_call

register = template.Library()


@register.simple_tag
def console_init(name, *args, config_json=None):
    """`config_json`, a JSON text Wagtail already made (a widget's config, a panel's options),
    is passed on as the last argument."""
    if config_json is not None:
        args = (*args, json.loads(config_json))
    return deferred_call(name, *args)
