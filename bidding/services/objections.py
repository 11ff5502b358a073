"""Objections (质疑) to a proposed award, filed by bidders during publicity and decided by the
owner or a regulator. An upheld objection cancels the award and sends the project back to
evaluation, without the awarded bid when the objection was against it."""

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from bidding import states
from bidding.models import Bid, Objection, ObjectionAttachment, Project
from bidding.rules import check_objection_open
from bidding.services.award import standing_award
from bidding.services.common import (
    ensure_agency,
    lock_project,
    notify_later,
    now_or,
    reindex_later,
)
from bidding.services.evaluation import rerank_or_fail
from bidding.signals import ProjectEvent
from marketplace.actors import acting_organization
from marketplace.audit import services as audit
from marketplace.errors import DomainError, NotAllowed, StateConflict
from marketplace.files import checked_file_fields
from marketplace.limits import check_text_length

Status = Project.Status
MAX_OBJECTION_ATTACHMENTS = 10


def bid_of_bidder(project: Project, agency) -> Bid | None:
    """The agency's bid that was in at opening (valid or not): what makes it a bidder."""
    return (Bid.objects.filter(project=project, agency=agency)
            .exclude(status=Bid.Status.WITHDRAWN).order_by("-id").first())


@transaction.atomic
def objection_file(*, project: Project, by, reason: str, files: Sequence = (),
                   now: dt.datetime | None = None) -> Objection:
    """A bidder's objection with its reasons and evidence (`files`, checked first: one bad
    file refuses the objection and nothing is stored)."""
    now = now_or(now)
    agency = ensure_agency(by)
    if len(files or ()) > MAX_OBJECTION_ATTACHMENTS:
        raise DomainError(_("An objection can have at most %(n)s attachments.")
                          % {"n": MAX_OBJECTION_ATTACHMENTS}, field="files")
    checked = [checked_file_fields(file, field="files", stem="evidence") for file in files or ()]
    project = lock_project(project)
    award = standing_award(project) if project.status == Status.PUBLICITY else None
    check_objection_open(project=project, agency=agency, award=award, now=now)
    bid = bid_of_bidder(project, agency)
    if not (reason or "").strip():
        raise DomainError(_("Give the reasons for the objection."), field="reason")
    check_text_length(reason, kind="objection", field="reason")
    objection = Objection.objects.create(project=project, award=award, bid=bid, filed_by=by,
                                         reason=reason.strip(), filed_at=now)
    for fields in checked:
        ObjectionAttachment.objects.create(objection=objection, uploaded_at=now, **fields)
    notify_later(ProjectEvent.OBJECTION_FILED, objection_id=objection.pk)
    audit.record(action="objection.filed", actor=by, organization=agency, obj=objection,
                 data={"project": project.pk, "award": award.pk,
                       "attachments": sorted(f["sha256"] for f in checked)}, now=now)
    return objection


def can_decide(project: Project, organization) -> bool:
    return organization is not None and (
        organization.pk == project.owner_id or organization.is_regulator)


def check_decides_objections(project: Project, by):
    """The deciding organization (returned). The API checks it before reading the body, the
    service again under the project lock."""
    organization = acting_organization(by)
    if not can_decide(project, organization):
        raise NotAllowed(_("Only the project's owner or a regulator can decide objections."))
    return organization


@transaction.atomic
def objection_decide(*, objection: Objection, by, upheld: bool, reply: str,
                     exclude_bid: bool = True, now: dt.datetime | None = None) -> Objection:
    """Decide an objection. Upheld: the award is cancelled, the project returns to evaluation
    and, with `exclude_bid` (an objection against the awarded bid), that bid becomes invalid;
    the remaining valid bids are ranked again and the project fails if too few remain."""
    now = now_or(now)
    project = lock_project(objection.project_id)
    objection = Objection.objects.select_for_update().select_related("award__bid").get(
        pk=objection.pk)
    organization = check_decides_objections(project, by)
    if objection.status != Objection.Status.PENDING:
        raise StateConflict(_("This objection has already been decided."))
    if not (reply or "").strip():
        raise DomainError(_("Give the reasons for the decision."), field="reply")
    objection.reply = reply.strip()
    objection.decided_by = by
    objection.decided_by_organization = organization
    objection.decided_at = now
    states.OBJECTION.move(objection, Objection.Status.UPHELD if upheld
                          else Objection.Status.REJECTED, update_fields=None)
    award = objection.award
    if upheld and award.cancelled_at is None and not award.final:
        award.cancelled_at = now
        award.cancel_reason = objection.reply
        award.save(update_fields=["cancelled_at", "cancel_reason"])
        states.OBJECTION.move_all(Objection.objects.filter(award=award), Objection.Status.MOOT,
                                  decided_at=now)
        if exclude_bid:
            bid = award.bid
            bid.valid = False
            bid.rank = None
            with translation.override(settings.LANGUAGE_CODE):
                bid.invalid_reason = _("Excluded after an upheld objection: %(reply)s") % {
                    "reply": objection.reply}
            bid.save(update_fields=["valid", "rank", "invalid_reason"])
        project.updated_at = now
        states.PROJECT.move(project, Status.EVALUATING, update_fields=None)
        reindex_later(project)
        rerank_or_fail(project, now=now, by=by)
    notify_later(ProjectEvent.OBJECTION_DECIDED, objection_id=objection.pk)
    audit.record(action="objection.decided", actor=by, organization=organization,
                 obj=objection, data={"project": project.pk, "upheld": upheld,
                                      "exclude_bid": bool(upheld and exclude_bid)}, now=now)
    return objection
