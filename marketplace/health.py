"""Liveness and readiness for operators (API.md: `GET /healthz`, `GET /readyz`; issue 14 §2).

`/healthz` answers as long as the process serves requests. `/readyz` runs django-health-check's
checks (the database, the media storage) and ours (the broker, the search backend, migrations
applied) and answers JSON naming each dependency: 200 when all are ready, 503 with each
failing one's reason otherwise. Reasons name the dependency, never a credential."""

import asyncio
import dataclasses
import datetime as dt

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from health_check.base import HealthCheck
from health_check.checks import Database, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class Broker(HealthCheck):
    """The task queue's broker accepts a connection (short timeouts, no retries)."""

    timeout = dt.timedelta(seconds=3)

    def run(self):
        from kombu import Connection

        try:
            with Connection(settings.CELERY_BROKER_URL, connect_timeout=2,
                            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS) as link:
                link.ensure_connection(max_retries=1, timeout=2)
        except Exception as error:  # noqa: BLE001 (any failure means: not reachable)
            raise ServiceUnavailable(f"broker unreachable ({type(error).__name__})") from error


@dataclasses.dataclass
class Search(HealthCheck):
    """The search backend: the database one needs nothing more; Elasticsearch must answer."""

    def run(self):
        if not settings.ELASTICSEARCH_URL:
            return
        from marketplace.search.backends import get_backend

        client = getattr(get_backend(), "client", None)
        if client is None or not client.ping():
            raise ServiceUnavailable("Elasticsearch unreachable (searches fall back to the "
                                     "database)")


def pending_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration of this code is applied to the database."""

    def run(self):
        pending = pending_migrations()
        if pending:
            raise ServiceUnavailable(f"{len(pending)} migration(s) not applied, first "
                                     f"{pending[0]}")


NAMES = {Database: "database", Storage: "media_storage", Broker: "broker", Search: "search",
         Migrations: "migrations"}


class Readiness(HealthCheckView):
    checks = tuple(NAMES)

    http_method_names = ["get", "head", "options"]

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            self.results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks()))
        report = {NAMES[type(result.check)]: "ok" if not result.error else str(result.error)
                  for result in self.results}
        ready = not any(result.error for result in self.results)
        return JsonResponse({"status": "ready" if ready else "not ready", "checks": report},
                            status=200 if ready else 503)


@never_cache
@require_GET
def liveness(request):
    return JsonResponse({"status": "alive"})
