"""The site menu, managed in Wagtail: the home page's live children marked "show in menus",
in the editors' order, titled in the active language.

Every page of the site renders it, so it is cached per language and cleared whenever a page
is saved, published, unpublished, moved or deleted (cms.menu)."""

from django import template
from django.utils import translation

from cms import menu

register = template.Library()


@register.simple_tag(takes_context=True)
def site_menu(context) -> list[dict]:
    request = context.get("request")
    current = request.path if request is not None else ""
    return [{**item, "active": bool(current) and current.startswith(item["url"])}
            for item in menu.items(translation.get_language())]
