"""The bidding figures of `/metrics` (marketplace.operations.metrics), read at scrape time."""

from prometheus_client.core import CounterMetricFamily

from bidding.models import Bid, Project


def bidding_metrics():
    yield CounterMetricFamily(
        "marketplace_bids_submitted", "Sealed bids submitted since the market began.",
        value=Bid.objects.count())
    yield CounterMetricFamily(
        "marketplace_projects_opened", "Projects whose bids have been opened.",
        value=Project.objects.filter(opened_at__isnull=False).count())
