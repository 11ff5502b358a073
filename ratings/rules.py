"""When a listed organization may appeal or ask for credit repair. The services call these
under the entry's row lock; the workspace and the credit page ask the same functions what to
offer, so what a page offers is what the service accepts."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from marketplace.actors import acting_organization
from marketplace.errors import DomainError, NotAllowed, NotFound, StateConflict
from marketplace.periods import add_period
from marketplace.throttle import Throttled
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


# --- Complaints (issue 17 §4: also from people without an account) ----------------------------
def check_complaint_subject(*, subject, own=None) -> None:
    """A complaint concerns an agency or a project owner, never the complainant's own
    organization (`own`)."""
    if not (subject.is_agency or subject.is_owner):
        raise DomainError(_("Complaints concern an agency or a project owner."),
                          field="subject")
    if own is not None and own.pk == subject.pk:
        raise DomainError(_("You cannot complain about your own organization."),
                          field="subject")


def check_complaint_project(project) -> None:
    """Only a published project (not a draft) can be complained about."""
    if project is not None and project.status == project.Status.DRAFT:
        raise NotFound()


def check_code_usable(*, complainant, now: dt.datetime) -> None:
    """Whether a code may still be tried on a public complaint's verification: not yet
    verified, attempts left, not expired. The page asks the same before showing the form."""
    if complainant.verified_at is not None:
        raise StateConflict(_("This contact is already verified. Use the follow link we sent "
                              "you."), code="complaint.already_verified")
    if complainant.code_attempts >= settings.COMPLAINT_CODE_ATTEMPTS:
        raise Throttled(_("Too many wrong codes. Ask for a new code."),
                        field="code", code="complaint.code_attempts_exhausted")
    if now >= complainant.code_expires_at:
        raise DomainError(_("This code has expired. Ask for a new code."), field="code",
                          code="complaint.code_expired")


def check_code_resendable(*, complainant) -> None:
    if complainant.verified_at is not None:
        raise StateConflict(_("This contact is already verified. Use the follow link we sent "
                              "you."), code="complaint.already_verified")
    if complainant.codes_sent >= settings.COMPLAINT_CODES_PER_COMPLAINT:
        raise Throttled(_("No more codes can be sent for this complaint. Please file it "
                          "again later."), code="complaint.codes_exhausted")
