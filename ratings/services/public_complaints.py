"""Complaints from people without an account (issue 17 §4), filed from the public pages.

    file ─▶ unverified ─ the code sent to the contact ─▶ submitted ─▶ (regulators, as any
    complaint: ratings.services.complaints)

Filing stores the complaint as `unverified` with a `PublicComplainant` (name, contact, the
code's digest) and sends a one-time code to the contact. Nobody handles it until the code is
typed on the verification page (its link carries a token of its own); then it is `submitted`
like any complaint and the person gets a follow link, sent to the verified contact and shown
once. Codes expire, have a limited number of attempts and of resends; filing and verifying
are throttled per client address and per contact. A complaint never verified is deleted with
its attachments (`public_complaints_purge_unverified`).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bidding.models import Project
from marketplace import contacts
from marketplace.accounts.models import Organization
from marketplace.audit import services as audit
from marketplace.errors import DomainError, NotFound
from marketplace.throttle import check_rate
from ratings.models import Complaint, PublicComplainant
from ratings.rules import (
    check_code_resendable,
    check_code_usable,
    check_complaint_project,
    check_complaint_subject,
)
from ratings.services.common import required_text
from ratings.services.complaints import (
    COMPLAINT,
    checked_attachments,
    notify_regulators,
)

Status = Complaint.Status
HOUR, DAY = 3600, 86400


@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    verify_token: str  # the verification page's link: only the browser that filed holds it


@dataclass(frozen=True)
class Verified:
    complaint: Complaint
    follow_token: str  # shown once on the page and sent to the contact; kept as a digest


def _too_many_filings():
    return _("Too many complaints from this address or contact in a short time. Please try "
             "again later, or call the 12345 hotline.")


def _send_code(person: PublicComplainant, code: str) -> None:
    minutes = settings.COMPLAINT_CODE_MINUTES
    contacts.send_after_commit(
        person.contact_kind, person.contact, subject=_("Your verification code"),
        body=_("Your code to verify your complaint is %(code)s. It is valid for %(minutes)s "
               "minutes. If you did not file a complaint, ignore this message.")
        % {"code": code, "minutes": minutes})


def _new_code(person: PublicComplainant, now: dt.datetime) -> str:
    code = contacts.new_code()
    person.code_digest = contacts.code_digest(code, salt=person.verify_token_digest)
    person.code_expires_at = now + dt.timedelta(minutes=settings.COMPLAINT_CODE_MINUTES)
    person.code_attempts = 0
    return code


def public_complaint_file(*, name: str, contact: str, text: str,
                          subject: Organization | None = None, project: Project | None = None,
                          files: Sequence = (), client_address: str | None = None,
                          now: dt.datetime | None = None) -> Filed:
    """File a complaint about `project` (its owner answers for it) or about `subject` (an
    agency or an owner), and send the code. Throttled per address and per contact."""
    now = now or timezone.now()
    check_complaint_project(project)
    if project is not None:
        subject = project.owner
    if subject is None:
        raise NotFound()
    check_complaint_subject(subject=subject)
    name = required_text(name, "name", _("Enter your name."))
    kind, contact = contacts.normalize_contact(contact)
    text = required_text(text, "text", _("Describe what the complaint is about."))
    checked = checked_attachments(files)
    check_rate("complaint-file-address", client_address, period=HOUR,
               limit=settings.COMPLAINT_FILINGS_PER_ADDRESS_HOUR, message=_too_many_filings())
    check_rate("complaint-file-contact", contact, period=DAY,
               limit=settings.COMPLAINT_FILINGS_PER_CONTACT_DAY, message=_too_many_filings())
    check_rate("complaint-code-contact", contact, period=HOUR,
               limit=settings.COMPLAINT_CODES_PER_CONTACT_HOUR, message=_too_many_filings())
    return _file(subject=subject, project=project, name=name, kind=kind, contact=contact,
                 text=text, checked=checked, now=now)


@transaction.atomic
def _file(*, subject, project, name, kind, contact, text, checked, now) -> Filed:
    complaint = Complaint.objects.create(subject=subject, project=project, text=text,
                                         status=Status.UNVERIFIED, submitted_at=now)
    for fields in checked:
        complaint.attachments.create(uploaded_at=now, **fields)
    verify_token = contacts.new_token()
    person = PublicComplainant(complaint=complaint, name=name[:200], contact_kind=kind,
                               contact=contact,
                               verify_token_digest=contacts.token_digest(verify_token))
    code = _new_code(person, now)
    person.save()
    _send_code(person, code)
    audit.record(action="complaint.public_filed", obj=complaint, now=now,
                 data={"subject": subject.pk, "project": project.pk if project else None,
                       "contact_kind": kind,
                       "attachments": sorted(f["sha256"] for f in checked)})
    return Filed(complaint=complaint, verify_token=verify_token)


def _locked(**lookup) -> PublicComplainant:
    person = (PublicComplainant.objects.select_for_update()
              .select_related("complaint", "complaint__subject").filter(**lookup).first())
    if person is None:
        raise NotFound()
    return person


def by_verify_token(token: str) -> PublicComplainant:
    person = (PublicComplainant.objects.select_related("complaint", "complaint__subject")
              .filter(verify_token_digest=contacts.token_digest(token or "")).first())
    if person is None:
        raise NotFound()
    return person


def by_follow_token(token: str) -> Complaint:
    """The complaint a follow link opens (404 for any other token)."""
    complaint = (Complaint.objects.select_related("subject", "project", "public_complainant")
                 .filter(public_complainant__follow_token_digest=contacts.token_digest(
                     token or "")).first())
    if complaint is None:
        raise NotFound()
    return complaint


def public_complaint_resend_code(*, verify_token: str, client_address: str | None = None,
                                 now: dt.datetime | None = None) -> PublicComplainant:
    """A new code (the old one stops working), within the resends allowed."""
    now = now or timezone.now()
    check_rate("complaint-verify-address", client_address, period=HOUR,
               limit=settings.COMPLAINT_VERIFICATIONS_PER_ADDRESS_HOUR)
    with transaction.atomic():
        person = _locked(verify_token_digest=contacts.token_digest(verify_token or ""))
        check_code_resendable(complainant=person)
        check_rate("complaint-code-contact", person.contact, period=HOUR,
                   limit=settings.COMPLAINT_CODES_PER_CONTACT_HOUR)
        code = _new_code(person, now)
        person.codes_sent += 1
        person.save(update_fields=["code_digest", "code_expires_at", "code_attempts",
                                   "codes_sent"])
        _send_code(person, code)
    return person


def public_complaint_verify(*, verify_token: str, code: str, client_address: str | None = None,
                            now: dt.datetime | None = None) -> Verified:
    """Check the code; right: the complaint enters the regulators' queue and the person gets
    the follow link. Wrong: one attempt fewer (kept, although the action is refused)."""
    now = now or timezone.now()
    check_rate("complaint-verify-address", client_address, period=HOUR,
               limit=settings.COMPLAINT_VERIFICATIONS_PER_ADDRESS_HOUR, field="code")
    with transaction.atomic():
        person = _locked(verify_token_digest=contacts.token_digest(verify_token or ""))
        check_code_usable(complainant=person, now=now)
        if contacts.code_matches(code or "", person.code_digest,
                                 salt=person.verify_token_digest):
            return _verified(person, now)
        person.code_attempts += 1
        person.save(update_fields=["code_attempts"])
        left = settings.COMPLAINT_CODE_ATTEMPTS - person.code_attempts
    if left <= 0:
        raise DomainError(_("The code is not right, and no attempts are left. Ask for a new "
                            "code."), field="code", code="complaint.code_wrong")
    raise DomainError(_("The code is not right. Attempts left: %(left)s.") % {"left": left},
                      field="code", code="complaint.code_wrong")


def _verified(person: PublicComplainant, now: dt.datetime) -> Verified:
    follow_token = contacts.new_token()
    person.verified_at = now
    person.follow_token_digest = contacts.token_digest(follow_token)
    person.code_digest = ""  # spent
    person.save(update_fields=["verified_at", "follow_token_digest", "code_digest"])
    complaint = person.complaint
    complaint.submitted_at = now  # it enters the queue now
    COMPLAINT.move(complaint, Status.SUBMITTED, update_fields=["submitted_at"],
                   action="complaint.contact_verified", now=now,
                   data={"contact_kind": person.contact_kind})
    notify_regulators(complaint)
    url = reverse("ratings:public_complaint_follow", args=[follow_token])
    contacts.send_after_commit(
        person.contact_kind, person.contact, subject=_("Your complaint was received"),
        body=_("Your complaint about %(name)s was received and will be handled by the "
               "regulators. Follow it, and read the outcome when it is answered, at this "
               "link (keep it to yourself): %(url)s")
        % {"name": complaint.subject.name,
           "url": settings.MARKETPLACE_SITE_URL.rstrip("/") + url})
    return Verified(complaint=complaint, follow_token=follow_token)


@transaction.atomic
def public_complaints_purge_unverified(*, now: dt.datetime | None = None) -> int:
    """Delete public complaints never verified within COMPLAINT_UNVERIFIED_HOURS, with their
    contact and attachments: nothing is kept about a filing nobody confirmed."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.COMPLAINT_UNVERIFIED_HOURS)
    stale = list(Complaint.objects.select_for_update()
                 .filter(status=Status.UNVERIFIED, submitted_at__lt=cutoff))
    for complaint in stale:
        for attachment in complaint.attachments.all():
            attachment.file.delete(save=False)
        audit.record(action="complaint.unverified_deleted", obj=complaint, now=now,
                     data={"filed_at": complaint.submitted_at})
        complaint.delete()
    return len(stale)
