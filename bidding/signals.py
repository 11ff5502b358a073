"""Events bidding announces to the apps above it (DESIGN §3: contracts, cms connect receivers
in their AppConfig.ready()).

`award_finalized(sender=Project, project, award, bid, now, by)`: sent inside the transaction
that makes an award final. The contracts app draws up the contract (exposed afterwards as
`project.contract`); cms publishes the result notice.
"""

from django.dispatch import Signal

award_finalized = Signal()
