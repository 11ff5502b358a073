"""Events ratings announces to the apps above it (DESIGN §3: cms connects its receivers in
CmsConfig.ready()).

`ratings_event(sender=<model class>, event, **ids)`: sent inside the transaction of the
change, so a receiver's after-commit work (the outbox) happens only if it commits:

- "blacklisted" (entry_id): an entry was added (regulator or automatic rule); a mass listing
  (`blacklist_add_many`) sends it once with `entry_ids` instead;
- "blacklist_lifted" (entry_id): a regulator lifted it (directly, appeal or credit repair)
  or its end date passed (status `expired`);
- "inspection_completed" (plan_id): the last result of a plan was recorded, the plan's
  results are complete and public.
"""

from enum import StrEnum

from django.dispatch import Signal


class RatingsEvent(StrEnum):
    BLACKLISTED = "blacklisted"
    BLACKLIST_LIFTED = "blacklist_lifted"
    INSPECTION_COMPLETED = "inspection_completed"


ratings_event = Signal()
