"""Random inspections (双随机、一公开) with the verifiable draw of `marketplace.draw`.

    planned ─ draw ─▶ drawn ─ (last result recorded) ─▶ completed

When a plan is created the platform draws a secret and publishes its commitment. At the draw it
reveals the secret and publishes, sorted, the pool of agencies (their USCCs) and the pool of
inspectors (the regulator's staff, as 10-digit codes of their user ids). Then:

    agencies   = draw_many(secret, pool, min(K, len(pool)))            # K rounds
    for each drawn agency (USCC u):
        secret_u   = sha256((secret + u).encode("ascii")).hexdigest()
        inspectors = draw_many(secret_u, inspector_pool, inspectors_per_agency)

so anyone can recompute every pick from the published data with SHA-256 alone.
"""

import datetime as dt
import hashlib

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace import draw
from marketplace.accounts.models import Organization
from marketplace.actors import is_admin_of, require_regulator
from marketplace.audit import services as audit
from marketplace.errors import DomainError, NotAllowed, StateConflict
from marketplace.notifications.services import notify
from marketplace.states import Transitions
from ratings.models import InspectionPlan, InspectionTarget
from ratings.services.common import required_text
from ratings.signals import RatingsEvent, ratings_event

Status = InspectionPlan.Status
Result = InspectionTarget.Result
GRADES = ("A", "B", "C", "D")
MAX_SAMPLE = 500

PLAN = Transitions(InspectionPlan, {
    Status.PLANNED: {Status.DRAWN},
    Status.DRAWN: {Status.COMPLETED},
    Status.COMPLETED: set(),
})


def inspector_code(user_id: int) -> str:
    return f"{user_id:010d}"


def inspector_secret(secret: str, uscc: str) -> str:
    """The secret of one agency's inspector draw, derived from the revealed plan secret."""
    return hashlib.sha256((secret + uscc).encode("ascii")).hexdigest()


def pool_queryset(plan: InspectionPlan):
    """The agencies the plan draws from: active agencies matching its filters."""
    agencies = Organization.objects.filter(kind=Organization.Kind.AGENCY,
                                           status=Organization.Status.ACTIVE)
    if plan.service_item_id:
        agencies = agencies.filter(services__service_item_id=plan.service_item_id)
    if plan.region_id:
        agencies = agencies.filter(region_id=plan.region_id)
    if plan.grades:
        agencies = agencies.filter(credit_grade__in=plan.grades)
    return agencies.distinct()


def staff_of(regulator: Organization):
    return get_user_model().objects.filter(membership__organization=regulator, is_active=True)


def ensure_plan_regulator(plan: InspectionPlan, by) -> Organization:
    organization = require_regulator(by)
    if organization.pk != plan.regulator_id:
        raise NotAllowed(_("Only the regulator that made the plan can do this."))
    return organization


@transaction.atomic
def plan_create(*, title: str, sample_size: int, by, service_item=None, region=None,
                grades=(), inspectors_per_agency: int = 2,
                now: dt.datetime | None = None) -> InspectionPlan:
    """A regulator's plan; the draw's commitment is public from now on."""
    now = now or timezone.now()
    regulator = require_regulator(by)
    title = required_text(title, "title", _("Give the plan a title."))
    grades = sorted(set(grades or ()))
    if any(g not in GRADES for g in grades):
        raise DomainError(_("Unknown credit grade."), field="grades")
    if not (1 <= int(sample_size) <= MAX_SAMPLE):
        raise DomainError(_("Draw between 1 and %(n)s agencies.") % {"n": MAX_SAMPLE},
                          field="sample_size")
    if not (1 <= int(inspectors_per_agency) <= 10):
        raise DomainError(_("Assign between 1 and 10 inspectors per agency."),
                          field="inspectors_per_agency")
    secret = draw.make_secret()
    plan = InspectionPlan.objects.create(
        regulator=regulator, created_by=by, title=title, service_item=service_item,
        region=region, grades=grades, sample_size=int(sample_size),
        inspectors_per_agency=int(inspectors_per_agency), created_at=now,
        draw_commitment=draw.commitment(secret), draw_secret=secret)
    audit.record(action="inspection.planned", actor=by, organization=regulator, obj=plan,
                 data={"commitment": plan.draw_commitment, "sample_size": plan.sample_size,
                       "service_item": service_item.pk if service_item else None,
                       "region": region.pk if region else None, "grades": grades,
                       "inspectors_per_agency": plan.inspectors_per_agency}, now=now)
    return plan


@transaction.atomic
def plan_draw(*, plan: InspectionPlan, by, now: dt.datetime | None = None) -> InspectionPlan:
    """Draw the agencies and their inspectors, reveal the secret and publish the pools."""
    now = now or timezone.now()
    regulator = ensure_plan_regulator(plan, by)
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Status.PLANNED:
        raise StateConflict(_("This plan has already been drawn."))
    agencies = {a.uscc: a for a in pool_queryset(plan)}
    if not agencies:
        raise StateConflict(_("No agency matches the plan's filters."))
    staff = {inspector_code(u.pk): u for u in staff_of(plan.regulator)}
    if len(staff) < plan.inspectors_per_agency:
        raise StateConflict(_("Your organization has fewer staff than the inspectors each "
                              "agency needs (%(n)s).") % {"n": plan.inspectors_per_agency})
    rounds = draw.draw_many(plan.draw_secret, agencies, min(plan.sample_size, len(agencies)))
    assigned = set()
    for position, result in enumerate(rounds):
        picks = draw.draw_many(inspector_secret(plan.draw_secret, result.winner), staff,
                               plan.inspectors_per_agency)
        target = InspectionTarget.objects.create(
            plan=plan, agency=agencies[result.winner], position=position, seed=result.seed,
            index=result.index,
            inspector_draws=[{"seed": p.seed, "index": p.index, "code": p.winner}
                             for p in picks])
        target.inspectors.set([staff[p.winner] for p in picks])
        assigned.update(p.winner for p in picks)
    plan.drawn_at, plan.drawn_by = now, by
    plan.pool, plan.inspector_pool = sorted(agencies), sorted(staff)
    PLAN.move(plan, Status.DRAWN, update_fields=["drawn_at", "drawn_by", "pool", "inspector_pool"],
              action="inspection.drawn", actor=by, organization=regulator, now=now,
              data={"secret": plan.draw_secret, "pool": len(plan.pool),
                    "drawn": [r.winner for r in rounds]})
    notify(users=[staff[code] for code in sorted(assigned)], kind="ratings.inspection_assigned",
           title=_("You were drawn as an inspector: %(title)s") % {"title": plan.title},
           body=_("Record each inspection's result on the plan's page."),
           url=plan.get_absolute_url())
    return plan


@transaction.atomic
def inspection_record(*, target: InspectionTarget, passed: bool, findings: str, by,
                      now: dt.datetime | None = None) -> InspectionTarget:
    """One inspection's result, by one of its inspectors or an admin of the regulator; a
    failure needs written findings and records an `inspection_failed` credit event, a pass an
    `inspection_passed` one (once per inspection)."""
    from ratings.services import credit_event_record

    now = now or timezone.now()
    regulator = require_regulator(by)
    target = (InspectionTarget.objects.select_for_update().select_related("plan", "agency")
              .get(pk=target.pk))
    plan = target.plan
    is_inspector = target.inspectors.filter(pk=by.pk).exists()
    is_admin = regulator.pk == plan.regulator_id and is_admin_of(by, regulator)
    if not (is_inspector or is_admin):
        raise NotAllowed(_("Only this inspection's inspectors or an administrator of the "
                           "regulator can record its result."))
    findings = (findings or "").strip()
    if not passed and not findings:
        raise DomainError(_("Describe the findings of a failed inspection."), field="findings")
    if target.result != Result.PENDING:
        raise StateConflict(_("This inspection's result has already been recorded."))
    target.result = Result.PASSED if passed else Result.FAILED
    target.findings, target.recorded_at, target.recorded_by = findings, now, by
    target.credit_event = credit_event_record(
        organization=target.agency,
        event_type="inspection_passed" if passed else "inspection_failed",
        basis=findings or _("Random inspection passed"),
        public_note=_("Random inspection: %(title)s") % {"title": plan.title},
        source_kind="inspection", source_id=target.pk,
        data={"plan": plan.pk}, by=by, now=now)
    target.save(update_fields=["result", "findings", "recorded_at", "recorded_by",
                               "credit_event"])
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.targets.filter(result=Result.PENDING).exists():
        plan.completed_at = now
        PLAN.move(plan, Status.COMPLETED, update_fields=["completed_at"])
        ratings_event.send(sender=InspectionPlan, event=RatingsEvent.INSPECTION_COMPLETED,
                           plan_id=plan.pk)
    audit.record(action="inspection.recorded", actor=by, organization=regulator, obj=target,
                 data={"plan": plan.pk, "agency": target.agency_id, "passed": passed,
                       "credit_event": target.credit_event_id}, now=now)
    return target


def recompute(plan: InspectionPlan) -> list[dict]:
    """Every round recomputed from the published data only (for the "verify" section)."""
    if not plan.is_drawn:
        return []
    rounds = draw.draw_many(plan.draw_secret, plan.pool, len(plan.targets.all()))
    checks = []
    for target, result in zip(plan.targets.all(), rounds, strict=True):
        picks = draw.draw_many(inspector_secret(plan.draw_secret, result.winner),
                               plan.inspector_pool, plan.inspectors_per_agency)
        checks.append({
            "target": target, "candidates": result.candidates, "seed": result.seed,
            "index": result.index, "uscc": result.winner,
            "agency_ok": result.winner == target.agency.uscc and result.seed == target.seed,
            "inspector_secret": inspector_secret(plan.draw_secret, result.winner),
            "inspectors": [p.winner for p in picks],
            "inspectors_ok": [p.winner for p in picks]
            == [d["code"] for d in target.inspector_draws],
        })
    return checks
