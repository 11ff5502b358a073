"""The holiday calendar's changes: regulators enter each year's statutory holidays and adjusted
working days (调休) in the console. Every working-day period in the market (bidding, publicity,
objections, reply windows) is counted on this calendar, so each change is a regulator act like
any other: one transaction, the regulator and the reason in the audit log, what the row was
before and after."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.audit import services as audit
from marketplace.catalog.models import CalendarDay, CalendarYear
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
