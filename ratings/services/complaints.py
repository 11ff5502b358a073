"""Complaints (投诉): anyone logged in complains about an agency or an owner (anyone without an
account too: ratings.services.public_complaints, from `unverified`); a regulator takes it up
and answers with an outcome. Upheld → a `complaint_upheld` credit event (once).

    unverified ─ verify ─▶ submitted ─ accept ─▶ handling ─ decide ─▶ upheld | not_upheld
"""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bidding.models import Project
from marketplace.accounts.models import Organization
from marketplace.actors import acting_organization, regulators, require_regulator
from marketplace.audit import services as audit
from marketplace.contacts import send_after_commit
from marketplace.errors import DomainError, NotAllowed, StateConflict
from marketplace.files import checked_file_fields
from marketplace.notifications.services import notify, notify_organization
from marketplace.states import Transitions
from ratings.models import Complaint, ComplaintAttachment
from ratings.rules import check_complaint_subject
from ratings.services.common import required_text

Status = Complaint.Status
MAX_ATTACHMENTS = 10

COMPLAINT = Transitions(Complaint, {
    Status.UNVERIFIED: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.HANDLING},
    Status.HANDLING: {Status.UPHELD, Status.NOT_UPHELD},
    Status.UPHELD: set(),
    Status.NOT_UPHELD: set(),
})


def public_complaints():
    """Decided complaints, for everyone: subject, outcome and dates, never who complained."""
    return (Complaint.objects.filter(status__in=Complaint.DECIDED)
            .select_related("subject").order_by("-decided_at", "-id"))


def visible_complaints(user):
    """Full complaints a user may read: regulators all, anyone else their own."""
    complaints = (Complaint.objects.exclude(status=Status.UNVERIFIED)
                  .select_related("subject", "complainant", "public_complainant"))
    if user is None or not user.is_authenticated:
        return complaints.none()
    organization = acting_organization(user)
    if organization is not None and organization.is_regulator:
        return complaints
    return complaints.filter(complainant=user)


@transaction.atomic
def complaint_submit(*, subject: Organization, text: str, by, project: Project | None = None,
                     files: Sequence = (), now: dt.datetime | None = None) -> Complaint:
    now = now or timezone.now()
    if by is None or not by.is_authenticated:
        raise NotAllowed(_("Log in to file a complaint."))
    own = acting_organization(by)
    check_complaint_subject(subject=subject, own=own)
    text = required_text(text, "text", _("Describe what the complaint is about."))
    checked = checked_attachments(files)
    complaint = Complaint.objects.create(subject=subject, complainant=by,
                                         complainant_organization=own, project=project,
                                         text=text, submitted_at=now)
    for fields in checked:
        ComplaintAttachment.objects.create(complaint=complaint, uploaded_at=now, **fields)
    notify_regulators(complaint)
    audit.record(action="complaint.submitted", actor=by, organization=own, obj=complaint,
                 data={"subject": subject.pk, "project": project.pk if project else None,
                       "attachments": sorted(f["sha256"] for f in checked)}, now=now)
    return complaint


def checked_attachments(files: Sequence) -> list[dict]:
    """Every attachment checked by its content before anything is written (one bad file
    refuses the complaint)."""
    files = list(files or ())
    if len(files) > MAX_ATTACHMENTS:
        raise DomainError(_("Attach at most %(n)s files.") % {"n": MAX_ATTACHMENTS},
                          field="attachments")
    return [checked_file_fields(f, field="attachments", stem="attachment") for f in files]


def notify_regulators(complaint: Complaint) -> None:
    """A complaint enters the regulators' queue (filed, or a public one verified)."""
    notify(users=list(regulators()), kind="ratings.complaint_submitted",
           title=_("New complaint about %(name)s") % {"name": complaint.subject.name},
           body=complaint.text[:500],
           url=reverse("cms_console:complaint", args=[complaint.pk]), email=False)


def _tell_complainant(complaint: Complaint, *, kind: str, title, body, url: str) -> None:
    """The account holder in their inbox; a public complainant on their verified contact,
    pointed to the follow link we sent them (only its digest is kept)."""
    if complaint.complainant_id is not None:
        notify(users=[complaint.complainant], kind=kind, title=title, body=body, url=url)
        return
    person = complaint.public_complainant
    send_after_commit(person.contact_kind, person.contact, subject=title, body=_(
        "%(title)s. Open the follow link we sent you when you verified your contact to read "
        "it.") % {"title": title})


def _lock(complaint: Complaint) -> Complaint:
    return (Complaint.objects.select_for_update().select_related("subject")
            .get(pk=complaint.pk))


@transaction.atomic
def complaint_accept(*, complaint: Complaint, by, now: dt.datetime | None = None) -> Complaint:
    """A regulator takes the complaint up for handling."""
    now = now or timezone.now()
    regulator = require_regulator(by)
    complaint = _lock(complaint)
    complaint.handled_by, complaint.handling_since = by, now
    COMPLAINT.move(complaint, Status.HANDLING, update_fields=["handled_by", "handling_since"],
                   action="complaint.accepted", actor=by, organization=regulator, now=now)
    _tell_complainant(complaint, kind="ratings.complaint_accepted",
                      title=_("Your complaint is being handled"),
                      body=_("A regulator has taken up your complaint about %(name)s.")
                      % {"name": complaint.subject.name}, url=complaint.get_absolute_url())
    return complaint


@transaction.atomic
def complaint_decide(*, complaint: Complaint, upheld: bool, outcome: str, by,
                     now: dt.datetime | None = None) -> Complaint:
    """The regulator's answer; the outcome becomes public (without the complainant)."""
    from ratings.services import credit_event_record

    now = now or timezone.now()
    regulator = require_regulator(by)
    outcome = required_text(outcome, "outcome", _("Write the outcome and its reasons."))
    complaint = _lock(complaint)
    if complaint.is_decided:
        raise StateConflict(_("This complaint has already been answered."))
    to = Status.UPHELD if upheld else Status.NOT_UPHELD
    COMPLAINT.check(complaint, to)  # a complaint not yet taken up cannot be answered
    complaint.outcome, complaint.decided_at = outcome, now
    complaint.decided_by, complaint.decided_by_organization = by, regulator
    if upheld:
        complaint.credit_event = credit_event_record(
            organization=complaint.subject, event_type="complaint_upheld", basis=outcome,
            public_note=_("Complaint upheld"), source_kind="complaint", source_id=complaint.pk,
            data={"complaint": complaint.pk}, by=by, now=now)
    COMPLAINT.move(complaint, to, update_fields=None, action="complaint.decided", actor=by,
                   organization=regulator, now=now,
                   data={"upheld": upheld, "credit_event": complaint.credit_event_id})
    notify_organization(organization=complaint.subject, kind="ratings.complaint_decided",
                        title=_("A complaint about your organization was answered: %(status)s")
                        % {"status": complaint.get_status_display()}, body=outcome,
                        url=reverse("ratings:complaints_public"))
    _tell_complainant(complaint, kind="ratings.complaint_decided",
                      title=_("Your complaint was answered: %(status)s")
                      % {"status": complaint.get_status_display()}, body=outcome,
                      url=complaint.get_absolute_url())
    return complaint
