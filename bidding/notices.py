"""Inbox and e-mail notices of bidding events, sent by the `bidding.notify` task after commit.

Texts are rendered in the platform's default language. No notice to anyone but the bidding
agency ever carries a bid's price, content or bidder before opening.
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bidding.models import Amendment, Bid, Objection, Project, Question
from bidding.signals import ProjectEvent
from marketplace.accounts.models import Organization
from marketplace.formatting.moments import local_minute
from marketplace.formatting.money import format_money
from marketplace.notifications.services import notify
from providers.models import AgencyService

User = get_user_model()
MATCHING_BATCH_SIZE = 500


def _users(organization_ids: Iterable[int]):
    return list(User.objects.filter(membership__organization_id__in=set(organization_ids),
                                    is_active=True))


def _bidders(project: Project) -> list[int]:
    return list(Bid.objects.filter(project=project, status__in=Bid.LIVE_STATUSES)
                .values_list("agency_id", flat=True).distinct())


def owner_url(project: Project, anchor: str = "") -> str:
    """Where the owner acts on the project: its workspace page (answer forms, decisions), at
    `anchor` when given; the public announcement has no owner forms."""
    url = reverse("bidding:owner_project", args=[project.pk])
    return f"{url}#{anchor}" if anchor else url


def _send(project: Project, organization_ids, title, body, kind: str, *,
          owner_anchor: str = "") -> int:
    """Notify the organizations' users: the owner's link to its workspace (at `owner_anchor`),
    everyone else's to the public announcement."""
    ids = set(organization_ids)
    sent = 0
    if project.owner_id in ids:
        ids.discard(project.owner_id)
        owners = _users([project.owner_id])
        notify(users=owners, title=title, body=body, url=owner_url(project, owner_anchor),
               kind=f"bidding.{kind}")
        sent += len(owners)
    users = _users(ids)
    if users:
        notify(users=users, title=title, body=body, url=project.get_absolute_url(),
               kind=f"bidding.{kind}")
    return sent + len(users)


def _amended(amendment_id: int, **_ids) -> int:
    amendment = Amendment.objects.select_related("project").get(pk=amendment_id)
    project = amendment.project
    return _send(project, _bidders(project), _("Correction notice: %(title)s") % {
        "title": project.title},
        _("The project's terms were corrected: %(reason)s\nYour bid counts only if you "
          "re-confirm or revise it before %(deadline)s.")
        % {"reason": amendment.reason, "deadline": local_minute(project.bid_deadline)}, "amended")


def _question_asked(question_id: int, **_ids) -> int:
    question = Question.objects.select_related("project").get(pk=question_id)
    project = question.project
    return _send(project, [project.owner_id],
                 _("New question on %(title)s") % {"title": project.title},
                 _("An agency asked: %(text)s\nYour answer will be public.")
                 % {"text": question.text}, "question", owner_anchor=f"question-{question.pk}")


def _answered(question_id: int, **_ids) -> int:
    question = Question.objects.select_related("project").get(pk=question_id)
    project = question.project
    recipients = set(_bidders(project)) | {question.asked_by_id}
    return _send(project, recipients, _("Question answered: %(title)s") % {
        "title": project.title},
        _("Q: %(question)s\nA: %(answer)s") % {"question": question.text,
                                                 "answer": question.answer}, "answer")


def _cancelled(project_id: int, **_ids) -> int:
    project = Project.objects.get(pk=project_id)
    return _send(project, _bidders(project), _("Project cancelled: %(title)s") % {
        "title": project.title}, project.cancel_reason, "cancelled")


def _opened(project_id: int, **_ids) -> int:
    project = Project.objects.get(pk=project_id)
    bids = Bid.objects.filter(project=project, status__in=Bid.LIVE_STATUSES)
    return _send(project, [project.owner_id, *_bidders(project)],
                 _("Bids opened: %(title)s") % {"title": project.title},
                 _("%(count)s bid(s), %(valid)s valid. The bids and their receipts are now "
                   "public.") % {"count": bids.count(), "valid": bids.filter(valid=True).count()},
                 "opened")


def _failed(project_id: int, **_ids) -> int:
    project = Project.objects.get(pk=project_id)
    return _send(project, [project.owner_id, *_bidders(project)],
                 _("Bidding failed: %(title)s") % {"title": project.title},
                 project.failed_reason, "failed")


def _bid_notice(kind: str) -> Callable[..., int]:
    def send(bid_id: int, **_ids) -> int:
        bid = Bid.objects.select_related("project").get(pk=bid_id)
        project = bid.project
        title, body, to = {
            ProjectEvent.ABNORMALLY_LOW: (
                _("Justify your price: %(title)s"),
                _("Your price is below half of the mean of the valid bids. Submit a written "
                  "justification; the owner will accept or reject it."), bid.agency_id),
            ProjectEvent.JUSTIFIED: (
                _("Price justification received: %(title)s"),
                _("An agency justified its abnormally low price; accept or reject it."),
                project.owner_id),
            ProjectEvent.JUSTIFICATION_DECIDED: (
                _("Decision on your price justification: %(title)s"),
                f"{bid.get_justification_decision_display()} {bid.justification_reply}",
                bid.agency_id),
            ProjectEvent.BID_DISQUALIFIED: (
                _("Your bid was disqualified: %(title)s"), bid.invalid_reason, bid.agency_id),
        }[kind]
        return _send(project, [to], title % {"title": project.title}, body, kind,
                     owner_anchor="bids")

    return send


def _award_proposed(project_id: int, **_ids) -> int:
    project = Project.objects.get(pk=project_id)
    award = project.awards.filter(cancelled_at__isnull=True).select_related("bid__agency").first()
    if award is None:  # cancelled by an upheld objection before this notice went out
        return 0
    return _send(project, [project.owner_id, *_bidders(project)],
                 _("Award proposed: %(title)s") % {"title": project.title},
                 _("Proposed: %(agency)s. Bidders may object until %(end)s.")
                 % {"agency": award.bid.agency.name, "end": local_minute(award.publicity_ends_at)},
                 "award")


def _award_withdrawn(project_id: int, award_id: int, **_ids) -> int:
    project = Project.objects.get(pk=project_id)
    award = project.awards.select_related("bid__agency").get(pk=award_id)
    return _send(project, [project.owner_id, *_bidders(project)],
                 _("Award withdrawn: %(title)s") % {"title": project.title},
                 _("The award to %(agency)s was withdrawn: %(reason)s")
                 % {"agency": award.bid.agency.name, "reason": award.cancel_reason},
                 "award_withdrawn")


def _objection(kind: str) -> Callable[..., int]:
    def send(objection_id: int, **_ids) -> int:
        objection = Objection.objects.select_related("project", "bid").get(pk=objection_id)
        project = objection.project
        if kind == "objection_filed":
            return _send(project, [project.owner_id],
                         _("Objection to the award of %(title)s") % {"title": project.title},
                         objection.reason, kind, owner_anchor=f"objection-{objection.pk}")
        return _send(project, [project.owner_id, objection.bid.agency_id],
                     _("Objection %(status)s: %(title)s")
                     % {"status": objection.get_status_display(), "title": project.title},
                     objection.reply, kind)

    return send


def _finalized(project_id: int, **_ids) -> int:
    project = Project.objects.get(pk=project_id)
    return _send(project, [project.owner_id, *_bidders(project)],
                 _("Award final: %(title)s") % {"title": project.title},
                 _("The publicity period ended; the award is final."), "finalized")


EVENTS: dict[ProjectEvent, Callable[..., int]] = {
    ProjectEvent.AMENDED: _amended,
    ProjectEvent.QUESTION_ASKED: _question_asked,
    ProjectEvent.ANSWERED: _answered,
    ProjectEvent.CANCELLED: _cancelled,
    ProjectEvent.OPENED: _opened,
    ProjectEvent.FAILED: _failed,
    ProjectEvent.ABNORMALLY_LOW: _bid_notice("abnormally_low"),
    ProjectEvent.JUSTIFIED: _bid_notice("justified"),
    ProjectEvent.JUSTIFICATION_DECIDED: _bid_notice("justification_decided"),
    ProjectEvent.BID_DISQUALIFIED: _bid_notice("bid_disqualified"),
    ProjectEvent.AWARD_PROPOSED: _award_proposed,
    ProjectEvent.AWARD_WITHDRAWN: _award_withdrawn,
    ProjectEvent.OBJECTION_FILED: _objection("objection_filed"),
    ProjectEvent.OBJECTION_DECIDED: _objection("objection_decided"),
    ProjectEvent.FINALIZED: _finalized,
}


def send(event: str, **ids) -> int:
    """Send the notices of `event`; returns how many users were notified."""
    with translation.override(settings.LANGUAGE_CODE):
        return EVENTS[event](**ids)


# --- Matching: new projects for the agencies that offer the service item ------------------------

def matching_agencies(project: Project):
    """Active, not blacklisted, not excluded agencies offering the project's service item; an
    agency that asked for regional alerts only hears of projects in its region."""
    offering = AgencyService.objects.filter(service_item=project.service_item).filter(
        Q(regional_alerts=False) | Q(agency__region=project.region_id))
    return (Organization.objects.filter(kind=Organization.Kind.AGENCY,
                                        status=Organization.Status.ACTIVE,
                                        pk__in=offering.values("agency_id"))
            .exclude(blacklisted_until__gt=timezone.now())
            .exclude(pk__in=project.exclusions.values("agency_id"))
            .order_by("pk"))


def notify_matching_batch(*, project_id: int, after_id: int = 0,
                          batch_size: int = MATCHING_BATCH_SIZE) -> int | None:
    """Notify the next batch of matching agencies (ids above `after_id`). Returns the last id
    notified when more may follow, None when done."""
    project = Project.objects.select_related("service_item", "region").get(pk=project_id)
    if project.status != Project.Status.BIDDING:
        return None
    ids = list(matching_agencies(project).filter(pk__gt=after_id)
               .values_list("pk", flat=True)[:batch_size])
    if not ids:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        _send(project, ids, _("New project for %(item)s: %(title)s")
              % {"item": project.service_item.name, "title": project.title},
              _("Region: %(region)s. Budget cap: %(cap)s. Bids close at %(deadline)s.")
              % {"region": project.region.name, "cap": format_money(project.budget_cap),
                 "deadline": local_minute(project.bid_deadline)}, "new_project")
    return ids[-1] if len(ids) == batch_size else None
