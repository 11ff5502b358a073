"""When a listed organization may appeal or ask for credit repair. The services call these
under the entry's row lock; the workspace and the credit page ask the same functions what to
offer, so what a page offers is what the service accepts."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from marketplace.actors import acting_organization
from marketplace.errors import NotAllowed, StateConflict
from marketplace.periods import add_period
from ratings.models import BlacklistAppeal, BlacklistEntry, CreditRepairRequest


# Who answers a rating or a case: the services check it, and the pages and the API before they
# read a form or a body, so anyone else is refused rather than told what it lacks (issue 13 §2).
def check_rated_replies(*, rating, by):
    """The rated organization (returned), the only one that answers the rating."""
    organization = acting_organization(by)
    if organization is None or organization.pk != rating.rated_id:
        raise NotAllowed(_("Only the rated organization can reply."))
    return organization


def check_respondent_replies(*, case, by):
    """The organization a case concerns (returned), the only one that answers it."""
    organization = acting_organization(by)
    if organization is None or organization.pk != case.respondent_id:
        raise NotAllowed(_("Only the organization concerned can reply to the case."))
    return organization


def check_may_open_case(*, by):
    """The opener of a violation case (returned): a project owner or a regulator."""
    opener = acting_organization(by)
    if opener is None or not (opener.is_regulator or opener.is_owner):
        raise NotAllowed(_("Only project owners and regulators can open a violation case."))
    return opener


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
