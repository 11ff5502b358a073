"""Every write of the ratings app, one transaction each. Other apps call these by name:
`credit_event_record` (the ledger, with the automatic blacklisting rules) and
`credit_event_reverse`, `blacklist_add` / `blacklist_lift`. The other ratings areas (cases,
complaints, inspections) add theirs below."""

from ratings.services.automatic import (
    credit_event_add,
    credit_event_record,
    credit_recompute_all,
    credit_recompute_organization,
)
from ratings.services.blacklist import (
    appeal_decide,
    appeal_submit,
    blacklist_add,
    blacklist_add_many,
    blacklist_expire_due,
    blacklist_lift,
    organization_expel,
    repair_decide,
    repair_request,
)
from ratings.services.credit import credit_event_reverse
from ratings.services.ratings import (
    rating_reply,
    rating_submit,
    rating_window_open,
    ratings_close_due,
)
from ratings.services.suspension import organization_reinstate, organization_suspend

__all__ = [
    "appeal_decide", "appeal_submit", "blacklist_add", "blacklist_add_many",
    "blacklist_expire_due", "blacklist_lift",
    "credit_event_add", "credit_event_record", "credit_event_reverse", "credit_recompute_all",
    "credit_recompute_organization", "organization_expel", "organization_reinstate",
    "organization_suspend", "rating_reply", "rating_submit",
    "rating_window_open", "ratings_close_due", "repair_decide", "repair_request",
]
