"""Events bidding announces to the apps above it (DESIGN §3: contracts, cms connect receivers
in their AppConfig.ready()).

`award_finalized(sender=Project, project, award, bid, now, by)`: sent inside the transaction
that makes an award final. The contracts app draws up the contract (exposed afterwards as
`project.contract`); cms publishes the result notice.

`project_event(sender=Project, event, **ids)`: sent inside the transaction of every bidding
event that has notices (`services.common.notify_later`) and when a project is published
(event "published", project_id). cms publishes the matching announcement after commit.
"""

from django.dispatch import Signal

award_finalized = Signal()
project_event = Signal()
