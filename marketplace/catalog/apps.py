from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "marketplace.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from marketplace.catalog.kept import renew_catalog
        from marketplace.catalog.models import Region, ServiceItem

        for model in (ServiceItem, Region):
            uid = f"catalog-kept-{model.__name__}"
            post_save.connect(renew_catalog, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(renew_catalog, sender=model, dispatch_uid=f"{uid}-delete")
