"""Events bidding announces to the apps above it (DESIGN §3: contracts, cms connect receivers
in their AppConfig.ready()).

`award_finalized(sender=Project, project, award, bid, now, by)`: sent inside the transaction
that makes an award final. The contracts app draws up the contract (exposed afterwards as
`project.contract`); cms publishes the result notice.

`project_event(sender=Project, event, **ids)`: sent inside the transaction of every bidding
event that has notices (`services.common.notify_later`) and when a project is published
(event "published", project_id). cms publishes the matching announcement after commit.
"""

from enum import StrEnum

from django.dispatch import Signal


class ProjectEvent(StrEnum):
    """The events `project_event` carries (a str each: receivers and the outbox see the
    value; a misspelt member fails at import, not silently in a receiver)."""

    PUBLISHED = "published"
    AMENDED = "amended"
    QUESTION_ASKED = "question_asked"
    ANSWERED = "answered"
    CANCELLED = "cancelled"
    OPENED = "opened"
    FAILED = "failed"
    ABNORMALLY_LOW = "abnormally_low"
    JUSTIFIED = "justified"
    JUSTIFICATION_DECIDED = "justification_decided"
    BID_DISQUALIFIED = "bid_disqualified"
    AWARD_PROPOSED = "award_proposed"
    AWARD_WITHDRAWN = "award_withdrawn"
    OBJECTION_FILED = "objection_filed"
    OBJECTION_DECIDED = "objection_decided"
    FINALIZED = "finalized"


award_finalized = Signal()
project_event = Signal()
