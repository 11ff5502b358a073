"""The retention of where bids were submitted from (`bidding.client`): blanked once older than
`MARKETPLACE_BID_CLIENT_RETENTION_DAYS`, by the beat every night (idempotent)."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bidding.models import Bid
from marketplace.audit import services as audit


@transaction.atomic
def bid_client_data_purge(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.MARKETPLACE_BID_CLIENT_RETENTION_DAYS)
    purged = (Bid.objects.filter(submitted_at__lt=cutoff)
              .filter(Q(client_ip__isnull=False) | ~Q(client_agent_hash=""))
              .update(client_ip=None, client_agent_hash=""))
    if purged:
        audit.record(action="bid.client_data_purged",
                     data={"bids": purged, "before": cutoff.isoformat()}, now=now)
    return purged
