"""Announcements the platform publishes by itself (DESIGN §4, issue 7).

Any app announces an event with `publish_later(kind, source_type=..., source_id=..., ...)`
inside its own transaction: the intent goes through the outbox and a task creates the
`AnnouncementPage` after commit. `publish` is idempotent: (kind, source_type, source_id,
sequence) names the event, a database constraint keeps it unique, and the announcement index
row is locked while a page is added, so two workers running the same task make one page.

Bidding's events arrive through `bidding.signals.project_event` (cms.receivers), and their
facts are read after commit (`bidding_facts`), from public data only: bids appear in an
announcement only once the project is opened.
"""

import datetime as dt
import logging
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from bidding.signals import ProjectEvent
from cms.models import AnnouncementIndexPage, AnnouncementKind, AnnouncementPage
from marketplace.outbox.services import enqueue, enqueue_many

logger = logging.getLogger(__name__)
Kind = AnnouncementKind

# Bidding's events (bidding.services.common.notify_later and project_publish) → announcement.
BIDDING_EVENTS = {
    ProjectEvent.PUBLISHED: Kind.PROCUREMENT,
    ProjectEvent.AMENDED: Kind.CORRECTION,
    ProjectEvent.ANSWERED: Kind.QA,
    ProjectEvent.OPENED: Kind.OPENING,
    ProjectEvent.AWARD_PROPOSED: Kind.AWARD_PUBLICITY,
    ProjectEvent.AWARD_WITHDRAWN: Kind.CORRECTION,
    ProjectEvent.FINALIZED: Kind.RESULT,
    ProjectEvent.CANCELLED: Kind.TERMINATION,
    ProjectEvent.FAILED: Kind.TERMINATION,
}


def _json(value):
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    return value


def publish_later(kind: str, *, source_type: str, source_id: int, subject: str,
                  published_on: dt.datetime, sequence: int = 0, object_url: str = "",
                  service_item_id: int | None = None, region_id: int | None = None,
                  organization_id: int | None = None, summary: str = "",
                  data: dict | None = None) -> None:
    """Publish an announcement after the caller's transaction commits (once per event).

    `source_type`/`source_id` name the object the event is about (e.g. "blacklist_entry", 7);
    `sequence` tells apart several events of one kind about the same object (a listing 0, its
    lifting 1). Everything must be public: it is shown to anyone, as given.
    """
    from cms import tasks as cms_tasks  # tasks call services: import here
    enqueue(cms_tasks.publish_announcement, **announcement_facts(
        kind, source_type=source_type, source_id=source_id, sequence=sequence, subject=subject,
        published_on=published_on, object_url=object_url, service_item_id=service_item_id,
        region_id=region_id, organization_id=organization_id, summary=summary, data=data))


def announcement_facts(kind: str, *, source_type: str, source_id: int, subject: str,
                       published_on: dt.datetime, sequence: int = 0, object_url: str = "",
                       service_item_id: int | None = None, region_id: int | None = None,
                       organization_id: int | None = None, summary: str = "",
                       data: dict | None = None) -> dict:
    """The task's arguments for `publish_later` (and `publish_many_later`)."""
    if kind not in Kind.values:
        raise ValueError(f"unknown announcement kind {kind!r}")
    return {"kind": kind, "source_type": source_type, "source_id": source_id,
            "sequence": sequence, "subject": subject, "published_on": published_on.isoformat(),
            "object_url": object_url, "service_item_id": service_item_id,
            "region_id": region_id, "organization_id": organization_id, "summary": summary,
            "data": _json(data or {})}


def publish_many_later(facts: list[dict]) -> None:
    """`publish_later(**f)` for each of `facts` (built by `announcement_facts`), with one insert
    into the outbox (a mass operation): one message, and so one announcement, each."""
    from cms import tasks as cms_tasks  # tasks call services: import here
    enqueue_many(cms_tasks.publish_announcement, facts)


def announce_bidding_event_later(event: str, **ids) -> None:
    if event in BIDDING_EVENTS:
        from cms import tasks as cms_tasks  # tasks call services: import here
        enqueue(cms_tasks.announce_bidding_event, event=event, **ids)


def announcement_index() -> AnnouncementIndexPage:
    """The default-locale announcement index, created under the default site's root if an
    editor removed it."""
    from wagtail.models import Locale, Site

    index = (AnnouncementIndexPage.objects.filter(locale=Locale.get_default())
             .order_by("pk").first())
    if index is not None:
        return index
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    root = site.root_page if site is not None else None
    if root is None:
        raise RuntimeError("No default Wagtail site to hold the announcements.")
    index = AnnouncementIndexPage(title="公告", slug="announcements", show_in_menus=True,
                                  locale=root.locale)
    root.add_child(instance=index)
    return index


def find(*, kind: str, source_type: str, source_id: int, sequence: int = 0
         ) -> AnnouncementPage | None:
    return AnnouncementPage.objects.filter(kind=kind, source_type=source_type,
                                           source_id=source_id, sequence=sequence).first()


def publish(*, kind: str, source_type: str, source_id: int, subject: str,
            published_on: dt.datetime | str, sequence: int = 0, object_url: str = "",
            service_item_id: int | None = None, region_id: int | None = None,
            organization_id: int | None = None, summary: str = "", data: dict | None = None
            ) -> tuple[AnnouncementPage, bool]:
    """The event's announcement page, created and published now if it does not exist yet.
    Returns (page, created)."""
    from wagtail.models import Page

    key = {"kind": kind, "source_type": source_type, "source_id": source_id,
           "sequence": sequence}
    existing = find(**key)
    if existing is not None:
        return existing, False
    if isinstance(published_on, str):
        published_on = dt.datetime.fromisoformat(published_on)
    with transaction.atomic():
        index = announcement_index()
        # Serializes additions under the index: the tree path of the new child and the check
        # below are then race-free; the unique constraint backs it up.
        parent = Page.objects.select_for_update().get(pk=index.pk)
        existing = find(**key)
        if existing is not None:
            return existing, False
        page = AnnouncementPage(
            kind=kind, source_type=source_type, source_id=source_id, sequence=sequence,
            subject=subject[:255], published_on=published_on, object_url=object_url,
            service_item_id=service_item_id, region_id=region_id,
            organization_id=organization_id, summary=summary, data=data or {},
            slug=slugify(f"{kind}-{source_type}-{source_id}"
                         + (f"-{sequence}" if sequence else "")),
            locale_id=parent.locale_id, live=True, has_unpublished_changes=False,
            first_published_at=timezone.now(), last_published_at=timezone.now(),
        )
        with translation.override(settings.LANGUAGE_CODE):
            page.title = str(page.display_title())[:255]
        page.draft_title = page.title
        try:
            with transaction.atomic():
                parent.add_child(instance=page)
        except (IntegrityError, ValidationError):
            existing = find(**key)
            if existing is None:
                raise
            return existing, False
    logger.info("Announcement published: %s %s:%s", kind, source_type, source_id)
    return page, True


# --- Bidding's events ------------------------------------------------------------------------

def _project_facts(project) -> dict:
    return {"service_item_id": project.service_item_id, "region_id": project.region_id,
            "organization_id": project.owner_id, "object_url": project.get_absolute_url(),
            "subject": project.title}


def _public_bids(project) -> list[dict]:
    """The bids everyone may see: only after opening, through bidding's sealed-bid rule."""
    from bidding import selectors

    rows = []
    for bid in selectors.bids_for_viewer(project, None):
        if selectors.bid_access(bid, None, project) != selectors.PUBLIC:
            continue
        rows.append({"agency": bid.agency.name, "price": str(bid.price),
                     "discount_rate": None if bid.discount_rate is None
                     else str(bid.discount_rate),
                     "promised_days": bid.promised_days, "valid": bid.valid,
                     "rank": bid.rank, "receipt": bid.receipt})
    rows.sort(key=lambda row: (row["rank"] is None, row["rank"] or 0, row["agency"]))
    return rows


def bidding_facts(event: str, *, project_id: int | None = None, question_id: int | None = None,
                  amendment_id: int | None = None, award_id: int | None = None, **_ids
                  ) -> dict | None:
    """What the announcement of a bidding event says, read now (after commit); None when there
    is nothing (yet) to announce."""
    from bidding.models import Amendment, Award, Project, Question

    kind = BIDDING_EVENTS.get(event)
    if kind is None:
        return None
    if event == ProjectEvent.ANSWERED:
        question = Question.objects.select_related("project").filter(pk=question_id).first()
        if question is None or not question.answer:
            return None
        project = question.project
        return {**_project_facts(project), "kind": kind, "source_type": "question",
                "source_id": question.pk, "published_on": question.answered_at,
                "summary": question.answer,
                "data": {"question": question.text, "answer": question.answer}}
    if event == ProjectEvent.AMENDED:
        amendment = Amendment.objects.select_related("project").filter(pk=amendment_id).first()
        if amendment is None:
            return None
        return {**_project_facts(amendment.project), "kind": kind, "source_type": "amendment",
                "source_id": amendment.pk, "published_on": amendment.published_at,
                "summary": amendment.reason,
                "data": {"bid_deadline": amendment.bid_deadline,
                         "changed": sorted(amendment.changes)}}
    project = Project.objects.select_related("owner").filter(pk=project_id).first()
    if project is None or project.status == Project.Status.DRAFT:
        return None
    facts = {**_project_facts(project), "kind": kind}
    if event == ProjectEvent.PUBLISHED:
        return {**facts, "source_type": "project", "source_id": project.pk,
                "published_on": project.published_at, "summary": project.description[:500],
                "data": {"owner": project.owner.name, "budget_cap": project.budget_cap,
                         "bid_deadline": project.bid_deadline,
                         "selection_method": project.selection_method,
                         "draw_commitment": project.draw_commitment}}
    if event in (ProjectEvent.CANCELLED, ProjectEvent.FAILED):
        cancelled = event == ProjectEvent.CANCELLED
        return {**facts, "source_type": "project", "source_id": project.pk,
                "published_on": (project.cancelled_at if cancelled else None)
                or project.updated_at,
                "summary": project.cancel_reason if cancelled else project.failed_reason,
                "data": {"outcome": event, "owner": project.owner.name}}
    if not project.is_opened:  # nothing about bids before opening, ever
        return None
    if event == ProjectEvent.OPENED:
        return {**facts, "source_type": "project", "source_id": project.pk,
                "published_on": project.opened_at,
                "data": {"bids": _public_bids(project), "owner": project.owner.name}}
    award = (Award.objects.select_related("bid__agency").filter(project=project, pk=award_id)
             .first() if award_id else None)
    if award is None:
        return None
    bid = award.bid
    data = {"agency": bid.agency.name, "agency_id": bid.agency_id, "price": bid.price,
            "promised_days": bid.promised_days, "owner": project.owner.name}
    if event == ProjectEvent.AWARD_PROPOSED:
        return {**facts, "source_type": "award", "source_id": award.pk,
                "published_on": award.proposed_at,
                "data": {**data, "publicity_ends_at": award.publicity_ends_at}}
    if event == ProjectEvent.AWARD_WITHDRAWN:
        return {**facts, "source_type": "award_withdrawal", "source_id": award.pk,
                "published_on": award.cancelled_at, "summary": award.cancel_reason,
                "data": {"withdrawn_from": bid.agency.name, "owner": project.owner.name}}
    if not award.final:
        return None
    return {**facts, "source_type": "award", "source_id": award.pk,
            "published_on": award.finalized_at, "data": data}


def announce_bidding_event(event: str, **ids) -> AnnouncementPage | None:
    facts = bidding_facts(event, **ids)
    if facts is None:
        return None
    facts["data"] = _json(facts.get("data") or {})
    return publish(**facts)[0]
