"""Service items grouped by their category for `<select>` lists, in the page's language."""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.kept import CATALOG
from marketplace.catalog.models import ServiceItem

OTHER = _("Other")


def service_item_choices(*, value: str = "code") -> list[tuple[str, list[tuple[str, str]]]]:
    """Active service items as grouped choices [(category, [(code, name), …]), …], categories
    and items in catalog order, in the current language; kept until the catalog changes (a
    filter form evaluates them to render and again to check a choice)."""
    return CATALOG.cached(f"service-item-choices:{value}:{get_language()}",
                          lambda: _grouped(value))


def _grouped(value: str) -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    names: dict[str, str] = {}
    for item in ServiceItem.objects.filter(is_active=True).order_by("code"):
        groups.setdefault(item.category, []).append((getattr(item, value), item.display_name))
        names[item.category] = item.display_category or str(OTHER)
    return [(names[category], items) for category, items in groups.items()]
