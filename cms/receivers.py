"""Receivers of the lower apps' signals (connected in CmsConfig.ready)."""

from bidding.signals import ProjectEvent
from cms import announcements
from ratings.signals import RatingsEvent


def on_project_event(sender, *, event: str, signal=None, **ids) -> None:
    """Inside bidding's transaction: enqueue the announcement task (it runs after commit).

    An award announcement names the award the event is about, read now: by the time the task
    runs, an upheld objection may already have replaced it."""
    if event not in announcements.BIDDING_EVENTS:
        return
    if event in (ProjectEvent.AWARD_PROPOSED, ProjectEvent.FINALIZED) and "award_id" not in ids:
        from bidding.models import Award

        award = (Award.objects.filter(project_id=ids.get("project_id"), cancelled_at__isnull=True)
                 .order_by("-pk").values_list("pk", flat=True).first())
        if award is None:
            return
        ids["award_id"] = award
    announcements.announce_bidding_event_later(event, **ids)


def _blacklist_facts(entry, *, lifted: bool) -> dict:
    """What the announcement of a listing (or of its end) says."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import timezone, translation
    from django.utils.translation import gettext as _

    organization = entry.organization
    summary = entry.reason
    if lifted:
        # A regulator's lifting has its reason; an expiry (the beat task) has none.
        with translation.override(settings.LANGUAGE_CODE):
            summary = entry.lift_reason or _("The listing period ended on %(date)s.") % {
                "date": timezone.localtime(entry.ends_at).strftime("%Y-%m-%d")}
    return announcements.announcement_facts(
        announcements.Kind.BLACKLIST, source_type="blacklist_entry", source_id=entry.pk,
        sequence=1 if lifted else 0, subject=organization.name,
        published_on=(entry.closed_at if lifted else entry.starts_at) or timezone.now(),
        object_url=reverse("ratings:credit_detail", args=[organization.pk]),
        region_id=organization.region_id, organization_id=organization.pk,
        summary=summary,
        data={"action": "lifted" if lifted else "listed", "uscc": organization.uscc,
              "basis": entry.basis, "listed_from": entry.starts_at,
              "listed_until": entry.ends_at})


def on_ratings_event(sender, *, event: str, signal=None, **ids) -> None:
    """Inside ratings' transaction: a blacklisting, a lifting (黑名单公告) or a plan's complete
    inspection results (抽查结果) become announcements after commit, once per event (a mass
    listing sends `entry_ids`: one announcement per entry, enqueued together)."""
    from django.conf import settings
    from django.utils import timezone, translation
    from django.utils.translation import gettext as _

    from ratings.models import BlacklistEntry, InspectionPlan

    if event in (RatingsEvent.BLACKLISTED, RatingsEvent.BLACKLIST_LIFTED):
        lifted = event == RatingsEvent.BLACKLIST_LIFTED
        entry_ids = ids["entry_ids"] if "entry_ids" in ids else [ids["entry_id"]]
        entries = BlacklistEntry.objects.select_related("organization").in_bulk(entry_ids)
        announcements.publish_many_later(
            [_blacklist_facts(entries[pk], lifted=lifted) for pk in entry_ids])
    elif event == RatingsEvent.INSPECTION_COMPLETED:
        plan = InspectionPlan.objects.get(pk=ids["plan_id"])
        targets = list(plan.targets.select_related("agency").order_by("position"))
        failed = sum(1 for t in targets if t.result == t.Result.FAILED)
        with translation.override(settings.LANGUAGE_CODE):
            summary = _("%(total)s agencies inspected: %(passed)s passed, %(failed)s failed.") % {
                "total": len(targets), "passed": len(targets) - failed, "failed": failed}
        announcements.publish_later(
            announcements.Kind.INSPECTION, source_type="inspection_plan", source_id=plan.pk,
            subject=plan.title, published_on=plan.completed_at or timezone.now(),
            object_url=plan.get_absolute_url(), service_item_id=plan.service_item_id,
            region_id=plan.region_id, organization_id=plan.regulator_id,
            summary=summary,
            data={"results": [{"agency": t.agency.name, "uscc": t.agency.uscc,
                               "result": t.result, "findings": t.findings}
                              for t in targets]})
