"""What list pages show of the catalog, kept until the catalog changes.

Service items and regions are read by every list page's filters (their choices, a form's HTML
built from them) and change a few times a year, through the admin or a data migration. Saving
or deleting either renews the generation; the lifetime bounds what a change made elsewhere
(a migration in another process, with a per-process cache) leaves behind."""

from marketplace.generations import CacheGeneration

CATALOG = CacheGeneration("catalog", "MARKETPLACE_CATALOG_CACHE_SECONDS")


def renew_catalog(sender, **kwargs) -> None:
    CATALOG.renew_now_and_after_commit()
