"""Telling an instance what a relation holds when the caller already knows it, as
`prefetch_related` would have: reading it then costs no query.

For rows a service has just written (a new bid's attachments) or read in a query of its own
(a project's required qualifications, known to be none)."""

from collections.abc import Iterable

from django.db.models import Model


def remember_many(instance: Model, name: str, objects: Iterable[Model]) -> None:
    """`getattr(instance, name).all()` (a to-many relation) gives `objects` from now on."""
    manager = getattr(instance, name)
    # The key each kind of manager reads its prefetched rows under (many-to-many; reverse FK).
    cache_name = (getattr(manager, "prefetch_cache_name", None)
                  or manager.field.remote_field.cache_name)
    known = manager.get_queryset()
    known._result_cache, known._prefetch_done = list(objects), True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[cache_name] = known
