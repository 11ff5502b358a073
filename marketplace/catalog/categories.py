"""Service item categories (the catalog's `category`, stored in Chinese as published) with a
translated name each, and the service items grouped by them for `<select>` lists."""

from django.utils.translation import gettext_lazy as _

from marketplace.catalog.models import ServiceItem

CATEGORY_NAMES = {
    "环境评价": _("Environmental assessment"),
    "安全": _("Safety"),
    "测绘": _("Surveying and mapping"),
    "勘察设计": _("Survey and design"),
    "检测": _("Testing"),
    "评估": _("Appraisal"),
    "水利": _("Water resources"),
    "国土": _("Land and resources"),
    "综合": _("General"),
    "咨询": _("Consulting"),
    "审计": _("Audit"),
    "能源": _("Energy"),
    "卫生": _("Health"),
    "林业": _("Forestry"),
    "地震": _("Earthquake safety"),
    "文物": _("Cultural heritage"),
    "交通": _("Transport"),
    "规划": _("Planning"),
    "造价": _("Cost consulting"),
    "监理": _("Construction supervision"),
    "招标": _("Tendering agency"),
    "法律": _("Legal services"),
}
OTHER = _("Other")


def category_name(category: str) -> str:
    """The category in the current language (an unknown one as stored)."""
    if not category:
        return str(OTHER)
    return str(CATEGORY_NAMES.get(category, category))


def service_item_choices(*, value: str = "code") -> list[tuple[str, list[tuple[str, str]]]]:
    """Active service items as grouped choices [(category, [(code, name), …]), …], categories
    and items in catalog order; evaluated per call, in the current language."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for item in ServiceItem.objects.filter(is_active=True).order_by("code"):
        groups.setdefault(item.category, []).append((getattr(item, value), item.display_name))
    return [(category_name(category), items) for category, items in groups.items()]
