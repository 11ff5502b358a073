"""When a listed organization may appeal or ask for credit repair. The services call these
under the entry's row lock; the workspace and the credit page ask the same functions what to
offer, so what a page offers is what the service accepts."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from marketplace.errors import StateConflict
from marketplace.periods import add_period
from ratings.models import BlacklistAppeal, BlacklistEntry, CreditRepairRequest


def repair_available_at(entry: BlacklistEntry) -> dt.datetime:
    return add_period(entry.starts_at, settings.MARKETPLACE_CREDIT_REPAIR_MIN_PERIOD)


def check_can_appeal(*, entry: BlacklistEntry, now: dt.datetime) -> None:
    if not entry.is_active(now):
        raise StateConflict(_("Only an active entry can be appealed."))
    if entry.appeals.filter(status=BlacklistAppeal.Status.PENDING).exists():
        raise StateConflict(_("An appeal against this entry is already pending."))


def check_can_request_repair(*, entry: BlacklistEntry, now: dt.datetime) -> None:
    if not entry.is_active(now):
        raise StateConflict(_("Only an active entry can be repaired."))
    available = repair_available_at(entry)
    if now < available:
        raise StateConflict(_("Credit repair can be requested from %(date)s.") % {
            "date": date_format(timezone.localtime(available), "SHORT_DATE_FORMAT")})
    if entry.repair_requests.filter(status=CreditRepairRequest.Status.PENDING).exists():
        raise StateConflict(_("A credit repair request for this entry is already pending."))
