"""Service items grouped by their category for `<select>` lists, in the page's language."""

from django.utils.translation import gettext_lazy as _

from marketplace.catalog.models import ServiceItem

OTHER = _("Other")


def service_item_choices(*, value: str = "code") -> list[tuple[str, list[tuple[str, str]]]]:
    """Active service items as grouped choices [(category, [(code, name), …]), …], categories
    and items in catalog order; evaluated per call, in the current language."""
    groups: dict[str, list[tuple[str, str]]] = {}
    names: dict[str, str] = {}
    for item in ServiceItem.objects.filter(is_active=True).order_by("code"):
        groups.setdefault(item.category, []).append((getattr(item, value), item.display_name))
        names[item.category] = item.display_category or str(OTHER)
    return [(names[category], items) for category, items in groups.items()]
