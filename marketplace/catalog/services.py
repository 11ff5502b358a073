"""Regulator changes to the reference data: the service items' published terms (issue 17 §1,
with their history) and the holiday calendar.

The holiday calendar's changes: regulators enter each year's statutory holidays and adjusted
working days (调休) in the console. Every working-day period in the market (bidding, publicity,
objections, reply windows) is counted on this calendar, so each change is a regulator act like
any other: one transaction, the regulator and the reason in the audit log, what the row was
before and after."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.actors import require_regulator
from marketplace.audit import services as audit
from marketplace.catalog.models import CalendarDay, CalendarYear, ServiceItem, ServiceItemRevision
from marketplace.catalog.terms import clean_terms, snapshot
from marketplace.errors import DomainError

Entry = CalendarDay | CalendarYear


def _kind(entry: Entry) -> str:
    return "day" if isinstance(entry, CalendarDay) else "year"


def _facts(entry: Entry | None) -> dict | None:
    if entry is None:
        return None
    if isinstance(entry, CalendarDay):
        return {"date": entry.date.isoformat(), "is_working_day": entry.is_working_day,
                "name": entry.name}
    return {"year": entry.year, "source": entry.source}


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the change (the notice or decision it "
                            "follows)."), field="reason")
    return reason


@transaction.atomic
def calendar_save(*, entry: Entry, by, reason: str, now: dt.datetime | None = None) -> Entry:
    """Add or change a calendar day or year (`entry` carries the new values, unsaved)."""
    reason = _reason(reason)
    before = None
    if entry.pk is not None:
        before = _facts(type(entry).objects.select_for_update().filter(pk=entry.pk).first())
    entry.save()
    audit.record(action=f"calendar.{_kind(entry)}_{'changed' if before else 'added'}",
                 actor=by, obj=entry, now=now,
                 data={"before": before, "after": _facts(entry), "reason": reason})
    return entry


@transaction.atomic
def calendar_delete(*, entry: Entry, by, reason: str, now: dt.datetime | None = None) -> None:
    reason = _reason(reason)
    facts, kind, pk = _facts(entry), _kind(entry), entry.pk
    entry.delete()
    entry.pk = pk  # the audit entry names the row that was removed
    audit.record(action=f"calendar.{kind}_deleted", actor=by, obj=entry, now=now,
                 data={"before": facts, "after": None, "reason": reason})


# --- The service items' published terms -------------------------------------------------------

@transaction.atomic
def service_item_update(item: ServiceItem, by, reason: str, *, now: dt.datetime | None = None,
                        **terms) -> ServiceItem:
    """Publish new terms for `item` from `now` on: a regulator's act, with its reason, kept as
    a revision (so the terms in force on any past date can be shown) and in the audit log."""
    regulator = require_regulator(by)
    reason = _reason(reason)
    now = now or timezone.now()
    clean = clean_terms(terms)
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    before = snapshot(item)
    for name, value in clean.items():
        setattr(item, name, value)
    after = snapshot(item)
    if after == before:
        raise DomainError(_("Nothing changed: the terms are as published."),
                          code="catalog.no_change")
    if not item.revisions.exists():
        # An item added after the catalogue migration: its terms so far are its first revision.
        ServiceItemRevision.objects.create(item=item, terms=before, valid_from=now,
                                           reason="")
    item.save()
    ServiceItemRevision.objects.create(item=item, terms=after, valid_from=now, edited_by=by,
                                       reason=reason)
    changed = sorted(name for name in after if after[name] != before[name])
    audit.record(action="catalog.service_item_updated", actor=by, organization=regulator,
                 obj=item, now=now, data={"code": item.code, "before": before, "after": after,
                                          "changed": changed, "reason": reason})
    return item
