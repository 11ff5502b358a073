"""Receivers of the lower apps' signals (connected in CmsConfig.ready)."""

from cms import announcements


def on_project_event(sender, *, event: str, signal=None, **ids) -> None:
    """Inside bidding's transaction: enqueue the announcement task (it runs after commit).

    An award announcement names the award the event is about, read now: by the time the task
    runs, an upheld objection may already have replaced it."""
    if event not in announcements.BIDDING_EVENTS:
        return
    if event in ("award_proposed", "finalized") and "award_id" not in ids:
        from bidding.models import Award

        award = (Award.objects.filter(project_id=ids.get("project_id"), cancelled_at__isnull=True)
                 .order_by("-pk").values_list("pk", flat=True).first())
        if award is None:
            return
        ids["award_id"] = award
    announcements.announce_bidding_event_later(event, **ids)
