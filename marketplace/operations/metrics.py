"""Prometheus metrics at `/metrics` (issue 14 §2), for the addresses in METRICS_ALLOWED_NETWORKS.

Two kinds of figures:
- the process's own, from django-prometheus's middleware (requests, latencies, responses by
  status); with several gunicorn workers, `PROMETHEUS_MULTIPROC_DIR` makes every worker write
  its figures there and a scrape sum them, whichever worker answers;
- the market's, read from the database at scrape time (`BusinessCollector`), so that every web
  worker answers the same and a Celery worker, which serves no HTTP, is counted too.

Any other address gets a 404, as if the route did not exist."""

import ipaddress
import os

from django.conf import settings
from django.db.models import Count, Min
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client import REGISTRY as PROCESS_REGISTRY
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from marketplace import hooks

# Apps above the kernel add their figures (bids submitted, projects opened): each registered
# function yields prometheus_client metric families.
BUSINESS_METRICS = "operations.business_metrics"
hooks.declare(BUSINESS_METRICS, required_by="bidding")


class BusinessCollector:
    """The market's figures, one query each, at scrape time."""

    def describe(self):
        # Registering asks for a description; an empty one keeps registration from querying.
        return []

    def collect(self):
        from marketplace.audit.models import AuditCheckpoint
        from marketplace.operations.models import TaskFailure
        from marketplace.outbox.models import OutboxMessage

        now = timezone.now()
        for contribution in hooks.all_of(BUSINESS_METRICS):
            yield from contribution()

        backlog = OutboxMessage.objects.filter(sent_at__isnull=True).aggregate(
            count=Count("pk"), oldest=Min("created_at"))
        yield GaugeMetricFamily(
            "marketplace_outbox_backlog", "Tasks stored by the outbox and not yet handed to "
            "the broker.", value=backlog["count"])
        yield GaugeMetricFamily(
            "marketplace_outbox_oldest_age_seconds", "Age of the oldest message waiting in the "
            "outbox (0 when empty).",
            value=(now - backlog["oldest"]).total_seconds() if backlog["oldest"] else 0)

        failures = CounterMetricFamily(
            "marketplace_celery_task_failures", "Celery tasks that ended in an exception.",
            labels=["task"])
        for row in TaskFailure.objects.values("task_name").annotate(n=Count("pk")).order_by():
            failures.add_metric([row["task_name"]], row["n"])
        yield failures

        latest = AuditCheckpoint.objects.order_by("-created_at").values_list(
            "created_at", flat=True).first()
        # No checkpoint yet is reported as -1: distinguishable from "just made" and alertable.
        yield GaugeMetricFamily(
            "marketplace_audit_checkpoint_age_seconds", "Time since the last signed audit "
            "checkpoint (-1 before the first).",
            value=(now - latest).total_seconds() if latest else -1)


def allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False)
               for network in settings.METRICS_ALLOWED_NETWORKS)


BUSINESS = BusinessCollector()
PROCESS_REGISTRY.register(BUSINESS)


def registry() -> CollectorRegistry:
    """This process's registry (its request figures and the market's), or, with several
    gunicorn workers, every worker's figures summed from PROMETHEUS_MULTIPROC_DIR."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return PROCESS_REGISTRY
    summed = CollectorRegistry()
    MultiProcessCollector(summed)
    summed.register(BUSINESS)
    return summed


@never_cache
@require_GET
def export(request):
    # REMOTE_ADDR only, never a forwarded header a client can write (docs/decisions.md).
    if not allowed(request.META.get("REMOTE_ADDR", "")):
        raise Http404
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
