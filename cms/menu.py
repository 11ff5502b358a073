"""The site menu (cms_tags.site_menu): built from the default site's page tree, cached."""

from django.core.cache import cache
from wagtail.models import Locale, Page, Site

CACHE_SECONDS = 600


def _key(language: str) -> str:
    return f"cms:site-menu:{language}"


def items(language: str) -> list[dict]:
    key = _key(language)
    cached = cache.get(key)
    if cached is None:
        cached = build()
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def build() -> list[dict]:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return []
    root = site.root_page
    default = Locale.get_default()
    if root.locale_id != default.pk:
        root = root.get_translation_or_none(default) or root
    result = []
    for page in Page.objects.child_of(root).live().in_menu().order_by("path").specific():
        url = page.get_url()
        if not url:
            continue
        shown = page.localized
        title = shown.title
        fallback = getattr(page, "default_menu_title", None)
        if shown.pk == page.pk and fallback and not _in_active_language(page):
            title = str(fallback)  # untranslated page with a built-in, translated name
        result.append({"title": title, "url": url})
    return result


def _in_active_language(page: Page) -> bool:
    try:
        return Locale.get_active().pk == page.locale_id
    except Locale.DoesNotExist:
        return True


def clear(**_kwargs) -> None:
    from django.conf import settings

    cache.delete_many([_key(code) for code, _name in settings.LANGUAGES])


def clear_on_page_change(sender, instance=None, **kwargs) -> None:
    if isinstance(instance, Page):
        clear()
