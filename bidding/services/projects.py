"""Posting a need: create, edit (draft), publish, cancel, amend, re-publish after failure."""

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bidding import states, webhooks
from bidding.models import Amendment, Bid, Exclusion, Project
from bidding.models.projects import GRADES
from bidding.rules import (
    check_bidding_period,
    check_can_amend,
    check_can_cancel,
    check_can_edit,
    check_can_publish,
    check_can_republish,
    check_funding_source,
    check_selection_method,
    min_bidding_end,
)
from bidding.services.common import (
    ensure_owner,
    lock_project,
    notify_later,
    now_or,
    reindex_later,
)
from bidding.signals import ProjectEvent, project_event
from marketplace import draw
from marketplace.accounts.models import Organization
from marketplace.accounts.rules import check_in_good_standing
from marketplace.audit import services as audit
from marketplace.errors import DomainError, NotAllowed
from marketplace.limits import check_text_length
from marketplace.outbox.services import enqueue

Status = Project.Status

# Terms an owner may change in a correction notice while bidding. The service item, method,
# quote format and minimum number of bids are the announcement's identity: cancel instead.
AMENDABLE = ("title", "description", "budget_cap", "bid_deadline", "required_qualifications",
             "min_grade", "complaint_contact", "discount_rate_min", "discount_rate_max",
             "weights")
_SIMPLE = ("title", "service_item", "description", "region", "budget_cap", "selection_method",
           "bid_deadline", "min_bidders", "min_grade", "quote_format", "discount_rate_min",
           "discount_rate_max", "complaint_contact", "funding_source", "budget_reference")


def _apply_terms(project: Project, terms: dict) -> None:
    check_text_length(terms.get("description"), kind="description", field="description")
    check_text_length(terms.get("budget_reference"), kind="line", field="budget_reference")
    if terms.get("budget_reference") is not None:
        terms = {**terms, "budget_reference": terms["budget_reference"].strip()}
    for name in _SIMPLE:
        if name in terms:
            setattr(project, name, terms[name])
    weights = terms.get("weights")
    if weights is not None:
        project.weight_price = _weight(weights, "price")
        project.weight_credit = _weight(weights, "credit")
        project.weight_commitment = _weight(weights, "commitment")


def _weight(weights: dict, key: str) -> int:
    try:
        value = int(weights.get(key, 0))
    except (TypeError, ValueError):
        raise DomainError(_("Weights are whole numbers."), field="weights")
    if value < 0:
        raise DomainError(_("Weights cannot be negative."), field="weights")
    return value


def check_terms(project: Project) -> None:
    """Refuse terms that cannot make a fair announcement (HTTP 400 on the field concerned)."""
    if not (project.title or "").strip():
        raise DomainError(_("Enter a title."), field="title")
    if not (project.description or "").strip():
        raise DomainError(_("Describe the need."), field="description")
    if not project.service_item.is_active:
        raise DomainError(_("This service item is no longer offered."), field="service_item")
    if project.budget_cap is None or Decimal(project.budget_cap) <= 0:
        raise DomainError(_("The budget cap must be above zero."), field="budget_cap")
    if project.selection_method not in Project.Method.values:
        raise DomainError(_("Choose a selection method."), field="selection_method")
    check_selection_method(owner=project.owner, service_item=project.service_item,
                           method=project.selection_method)
    if sum(project.weights.values()) != 100:
        raise DomainError(_("The weights of price, credit and service time must add up to "
                            "100."), field="weights")
    if project.min_bidders is None or project.min_bidders < 1:
        raise DomainError(_("At least one valid bid is needed."), field="min_bidders")
    if project.min_grade and project.min_grade not in GRADES:
        raise DomainError(_("Choose a grade from A to D."), field="min_grade")
    if project.quote_format == Project.QuoteFormat.DISCOUNT_RATE:
        low, high = project.discount_rate_min, project.discount_rate_max
        if low is None or high is None:
            raise DomainError(_("Give the minimum and maximum discount rates."),
                              field="discount_rate_min")
        if not (0 <= low <= high < 100):
            raise DomainError(_("Discount rates must satisfy 0 ≤ minimum ≤ maximum < 100."),
                              field="discount_rate_max")
    else:
        project.discount_rate_min = project.discount_rate_max = None


def default_funding_source(owner: Organization) -> str:
    if owner.is_government_owner:
        return Project.FundingSource.GOVERNMENT_BUDGET
    return Project.FundingSource.OWN_FUNDS


def _set_relations(project: Project, terms: dict) -> None:
    if "required_qualifications" in terms:
        project.required_qualifications.set(list(terms["required_qualifications"] or ()))
    if "exclusions" in terms:
        _set_exclusions(project, terms["exclusions"] or ())


def _set_exclusions(project: Project, exclusions: Iterable[tuple[Organization, str]]) -> None:
    rows = {}
    for agency, reason in exclusions:
        if not agency.is_agency:
            raise DomainError(_("Only agencies can be excluded."), field="exclusions")
        if not (reason or "").strip():
            raise DomainError(_("Give the reason for each exclusion."), field="exclusions")
        rows[agency.pk] = Exclusion(project=project, agency=agency, reason=reason.strip())
    project.exclusions.all().delete()
    Exclusion.objects.bulk_create(rows.values())


@transaction.atomic
def project_create(
    *,
    owner: Organization,
    by,
    title: str,
    service_item,
    description: str,
    region,
    budget_cap: Decimal,
    selection_method: str,
    bid_deadline: dt.datetime,
    min_bidders: int = 3,
    required_qualifications: Sequence = (),
    min_grade: str = "",
    weights: dict | None = None,
    quote_format: str = Project.QuoteFormat.AMOUNT,
    discount_rate_min: Decimal | None = None,
    discount_rate_max: Decimal | None = None,
    exclusions: Sequence[tuple[Organization, str]] = (),
    complaint_contact: str = "",
    funding_source: str | None = None,
    budget_reference: str = "",
    now: dt.datetime | None = None,
) -> Project:
    """Post a draft. Without a funding source, a government department's project is on the
    government budget (its budget line still required) and anyone else's on their own funds."""
    now = now_or(now)
    if not owner.is_owner:
        raise NotAllowed(_("Only project owners can post projects."))
    check_in_good_standing(owner, now)
    project = Project(owner=owner, created_by=by, created_at=now, updated_at=now)
    _apply_terms(project, {
        "title": title, "service_item": service_item, "description": description,
        "region": region, "budget_cap": budget_cap, "selection_method": selection_method,
        "bid_deadline": bid_deadline, "min_bidders": min_bidders, "min_grade": min_grade or "",
        "quote_format": quote_format, "discount_rate_min": discount_rate_min,
        "discount_rate_max": discount_rate_max, "weights": weights,
        "complaint_contact": (complaint_contact or "").strip() or owner.phone,
        "funding_source": funding_source or default_funding_source(owner),
        "budget_reference": budget_reference or "",
    })
    check_terms(project)
    check_funding_source(owner, project.funding_source, project.budget_reference)
    check_bidding_period(bid_deadline=project.bid_deadline, now=now)
    project.save()
    _set_relations(project, {"required_qualifications": required_qualifications,
                             "exclusions": exclusions})
    audit.record(action="project.created", actor=by, organization=owner, obj=project, now=now)
    return project


@transaction.atomic
def project_update(*, project: Project, by, now: dt.datetime | None = None, **terms) -> Project:
    """Edit a draft; `terms` are project_create's keyword arguments."""
    now = now_or(now)
    project = lock_project(project)
    ensure_owner(project, by)
    check_can_edit(project=project)
    _apply_terms(project, terms)
    if "complaint_contact" in terms and not (terms["complaint_contact"] or "").strip():
        project.complaint_contact = project.owner.phone
    check_terms(project)
    # Every edit: a draft migrated without its budget line gets it before it changes.
    check_funding_source(project.owner, project.funding_source, project.budget_reference)
    check_bidding_period(bid_deadline=project.bid_deadline, now=now)
    project.updated_at = now
    project.save()
    _set_relations(project, terms)
    audit.record(action="project.updated", actor=by, organization=project.owner, obj=project,
                 data={"fields": sorted(terms)}, now=now)
    return project


@transaction.atomic
def project_publish(*, project: Project, by, now: dt.datetime | None = None) -> Project:
    now = now_or(now)
    project = lock_project(project)
    owner = ensure_owner(project, by)
    check_can_publish(project=project, now=now)
    states.move(project, Status.BIDDING)
    check_terms(project)
    check_bidding_period(bid_deadline=project.bid_deadline, now=now)
    if project.selection_method == Project.Method.RANDOM:
        # Committed before any bid exists, revealed only at the draw.
        project.draw_secret = draw.make_secret()
        project.draw_commitment = draw.commitment(project.draw_secret)
    project.published_at = project.updated_at = now
    project.save()
    from bidding import tasks as bidding_tasks  # tasks call services: import here
    enqueue(bidding_tasks.notify_matching_agencies, project_id=project.pk)
    project_event.send(sender=Project, event=ProjectEvent.PUBLISHED, project_id=project.pk)
    webhooks.project_published(project)
    reindex_later(project)
    audit.record(action="project.published", actor=by, organization=owner, obj=project,
                 data={"bid_deadline": project.bid_deadline,
                       "draw_commitment": project.draw_commitment}, now=now)
    return project


@transaction.atomic
def project_cancel(*, project: Project, by, reason: str, now: dt.datetime | None = None
                   ) -> Project:
    now = now_or(now)
    project = lock_project(project)
    owner = ensure_owner(project, by)
    if not (reason or "").strip():
        raise DomainError(_("Give the public reason for cancelling."), field="reason")
    check_can_cancel(project=project)
    was_bidding = project.status == Status.BIDDING
    states.move(project, Status.CANCELLED)
    project.cancel_reason = reason.strip()
    project.cancelled_at = project.updated_at = now
    project.save()
    if was_bidding:
        notify_later(ProjectEvent.CANCELLED, project_id=project.pk)
    reindex_later(project)
    audit.record(action="project.cancelled", actor=by, organization=owner, obj=project,
                 data={"reason": project.cancel_reason}, now=now)
    return project


@transaction.atomic
def project_amend(*, project: Project, by, reason: str, changes: dict,
                  now: dt.datetime | None = None) -> Amendment:
    """Publish a correction notice: every live bid must be re-confirmed or revised to count,
    and the deadline moves out so that at least the minimum bidding period remains."""
    now = now_or(now)
    project = lock_project(project)
    owner = ensure_owner(project, by)
    check_can_amend(project=project, now=now)
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for the correction."), field="reason")
    unknown = set(changes) - set(AMENDABLE)
    if unknown:
        raise DomainError(_("These terms cannot be corrected: %(names)s. Cancel and post the "
                            "project again instead.") % {"names": ", ".join(sorted(unknown))},
                          field="changes")
    before = _published_terms(project)
    previous_deadline = project.bid_deadline
    _apply_terms(project, changes)
    check_terms(project)
    if "bid_deadline" in changes and project.bid_deadline <= now:
        raise DomainError(_("The new deadline must be in the future."), field="bid_deadline")
    check_bidding_period(bid_deadline=project.bid_deadline, now=now)
    project.bid_deadline = max(project.bid_deadline, min_bidding_end(now))
    project.updated_at = now
    project.save()
    _set_relations(project, changes)
    after = _published_terms(project)
    diff = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
    amendment = Amendment.objects.create(
        project=project, reason=reason.strip(), changes=diff, previous_deadline=previous_deadline,
        bid_deadline=project.bid_deadline, published_at=now, published_by=by)
    Bid.objects.filter(project=project, status__in=Bid.LIVE_STATUSES).update(
        needs_reconfirmation=True, confirmed_at=None)
    notify_later(ProjectEvent.AMENDED, project_id=project.pk, amendment_id=amendment.pk)
    reindex_later(project)
    audit.record(action="project.amended", actor=by, organization=owner, obj=project,
                 data={"amendment": amendment.pk, "changes": diff}, now=now)
    return amendment


def _published_terms(project: Project) -> dict:
    def text(value):
        return None if value is None else str(value)

    return {
        "title": project.title,
        "description": project.description,
        "budget_cap": text(project.budget_cap),
        "bid_deadline": timezone.localtime(project.bid_deadline).isoformat(),
        "required_qualifications": sorted(
            project.required_qualifications.values_list("code", flat=True)),
        "min_grade": project.min_grade,
        "complaint_contact": project.complaint_contact,
        "discount_rate_min": text(project.discount_rate_min),
        "discount_rate_max": text(project.discount_rate_max),
        "weights": project.weights,
    }


@transaction.atomic
def project_republish(*, project: Project, by, bid_deadline: dt.datetime | None = None,
                      now: dt.datetime | None = None) -> Project:
    """A failed project's next round: a new draft with the same terms, linked to this one."""
    now = now_or(now)
    project = lock_project(project)
    owner = ensure_owner(project, by)
    check_can_republish(project=project, has_next_round=project.next_rounds.exists(), now=now)
    new = Project(owner=owner, created_by=by, previous_round=project, created_at=now,
                  updated_at=now, status=Status.DRAFT,
                  bid_deadline=bid_deadline or min_bidding_end(now))
    for name in ("title", "service_item", "description", "region", "budget_cap",
                 "selection_method", "min_bidders", "min_grade", "weight_price",
                 "weight_credit", "weight_commitment", "complaint_contact", "quote_format",
                 "discount_rate_min", "discount_rate_max"):
        setattr(new, name, getattr(project, name))
    check_terms(new)
    check_bidding_period(bid_deadline=new.bid_deadline, now=now)
    new.save()
    new.required_qualifications.set(project.required_qualifications.all())
    Exclusion.objects.bulk_create(
        Exclusion(project=new, agency_id=e.agency_id, reason=e.reason)
        for e in project.exclusions.all())
    audit.record(action="project.republished", actor=by, organization=owner, obj=new,
                 data={"previous_round": project.pk}, now=now)
    return new
