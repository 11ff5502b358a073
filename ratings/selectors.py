"""Reads that the ratings pages, the API and the regulator console share. The credit standing
shown anywhere is read through `providers.selectors.credit_standing` (the kernel's columns,
written only by the ratings services)."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Avg, Count, Exists, FloatField, OuterRef, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from bidding import selectors_market
from marketplace.accounts.models import Organization
from marketplace.accounts.standing import WorkspaceNotice, standing_of
from marketplace.errors import NotFound, refusal_of
from providers.selectors import CreditStanding, RatingSummary, credit_standing
from ratings import policy, rules
from ratings.models import (
    BlacklistAppeal,
    BlacklistEntry,
    CreditEvent,
    CreditRepairRequest,
    MarketExit,
    Rating,
    ScoreChange,
    ViolationCase,
)
from ratings.models.ratings import CRITERION_LABELS

RATED_KINDS = (Organization.Kind.AGENCY, Organization.Kind.OWNER)


# --- Ratings ------------------------------------------------------------------------------------


def revealed_ratings_received(organization: Organization) -> QuerySet[Rating]:
    return (Rating.objects.filter(rated=organization, revealed_at__isnull=False)
            .select_related("rater", "reply").order_by("-revealed_at", "-id"))


def recent_score_changes(organization: Organization, *, limit: int = 5) -> list[ScoreChange]:
    """The latest changes of the organization's score or grade, newest first."""
    return list(ScoreChange.objects.filter(organization=organization)
                .order_by("-recorded_at", "-pk")[:limit])


def _two_places(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rating_summary(organization: Organization) -> RatingSummary:
    """Count and average (1-5) of the revealed ratings received, overall and per criterion
    (the providers profile hook and the credit page), in one query."""
    per_criterion = {f"c_{name}": Avg(Cast(KT(f"scores__{name}"), FloatField()))
                     for name in CRITERION_LABELS}
    row = (Rating.objects.filter(rated=organization, revealed_at__isnull=False)
           .aggregate(n=Count("pk"), avg=Avg("value"), **per_criterion))
    if not row["n"]:
        return RatingSummary()
    criteria = tuple((CRITERION_LABELS[name], _two_places(row[f"c_{name}"]))
                     for name in CRITERION_LABELS if row[f"c_{name}"] is not None)
    return RatingSummary(count=row["n"], average=_two_places(row["avg"]), criteria=criteria)


def viewer_organization(user) -> Organization | None:
    from marketplace.accounts.selectors import organization_of

    return organization_of(user) if user.is_authenticated else None


def contract_for_ratings(contract_id: int, viewer: Organization | None):
    """The contract, if the viewer is a party or a regulator; NotFound otherwise (nobody else
    learns that the contract or its ratings exist)."""
    from contracts.models import Contract

    contract = Contract.objects.select_related("owner", "agency").filter(pk=contract_id).first()
    if contract is None or viewer is None or not (
            viewer.is_regulator or viewer.pk in (contract.owner_id, contract.agency_id)):
        raise NotFound()
    return contract


def can_see_scores(rating: Rating, viewer: Organization | None) -> bool:
    """Double-blind: scores and comment are hidden from everyone until the reveal, the other
    party and regulators included; the rater sees what it wrote."""
    if rating.revealed_at is not None:
        return True
    return viewer is not None and viewer.pk == rating.rater_id


def contract_ratings(contract) -> QuerySet[Rating]:
    return contract.ratings.select_related("rater", "rated", "reply").order_by("direction")


# --- Credit -----------------------------------------------------------------------------------


def standing(organization: Organization) -> CreditStanding:
    return credit_standing(organization)


def public_events(organization: Organization) -> QuerySet[CreditEvent]:
    """The ledger as the public sees it: every event with its note, corrections included."""
    return (CreditEvent.objects.filter(organization=organization)
            .annotate(corrected=Exists(CreditEvent.objects.filter(reverses=OuterRef("pk"))))
            .order_by("-occurred_at", "-id"))


def recent_public_events(limit: int = 20) -> QuerySet[CreditEvent]:
    return (CreditEvent.objects.exclude(event_type=CreditEvent.Type.RATING_RECEIVED)
            .select_related("organization").order_by("-recorded_at", "-id")[:limit])


def active_blacklist(now: dt.datetime | None = None) -> QuerySet[BlacklistEntry]:
    now = now or timezone.now()
    return (BlacklistEntry.objects.filter(status=BlacklistEntry.Status.ACTIVE,
                                          starts_at__lte=now, ends_at__gt=now)
            .select_related("organization").order_by("-starts_at", "-id"))


def blacklist_history(organization: Organization) -> QuerySet[BlacklistEntry]:
    return BlacklistEntry.objects.filter(organization=organization).order_by("-starts_at")


@dataclass(frozen=True)
class Listing:
    """An entry in force, as the listed organization sees it: what it may do about it now,
    asked of the same rules the services apply (an empty refusal: possible now)."""

    entry: BlacklistEntry
    appeal_refusal: str
    repair_refusal: str
    repair_from: dt.datetime

    @property
    def can_appeal(self) -> bool:
        return not self.appeal_refusal

    @property
    def can_repair(self) -> bool:
        return not self.repair_refusal


def _refusal(check, entry: BlacklistEntry, now: dt.datetime) -> str:
    refusal = refusal_of(check, entry=entry, now=now)
    return str(refusal.message) if refusal is not None else ""


def active_listings(organization: Organization, *,
                    now: dt.datetime | None = None) -> list[Listing]:
    now = now or timezone.now()
    entries = (BlacklistEntry.objects.filter(organization=organization,
                                             status=BlacklistEntry.Status.ACTIVE,
                                             starts_at__lte=now, ends_at__gt=now)
               .order_by("-ends_at", "-pk"))
    return [Listing(entry=entry, appeal_refusal=_refusal(rules.check_can_appeal, entry, now),
                    repair_refusal=_refusal(rules.check_can_request_repair, entry, now),
                    repair_from=rules.repair_available_at(entry))
            for entry in entries]


def blacklist_notice(organization: Organization, now: dt.datetime) -> WorkspaceNotice | None:
    """The workspace's notice for a listed organization (registered in RatingsConfig.ready)."""
    listings = active_listings(organization, now=now)
    if not listings:
        return None
    return WorkspaceNotice(template="ratings/_blacklist_notice.html", context={
        "listings": listings, "standing": standing_of(organization, now=now),
        "organization": organization})


def market_exits(organization: Organization) -> QuerySet[MarketExit]:
    return MarketExit.objects.filter(organization=organization)


@dataclass(frozen=True)
class MarketOverview:
    grades: list[dict]  # [{"grade", "agencies", "owners"}]
    blacklisted: int
    exited: int
    organizations: int


def market_overview(now: dt.datetime | None = None) -> MarketOverview:
    now = now or timezone.now()
    rows = (Organization.objects.filter(kind__in=RATED_KINDS, status=Organization.Status.ACTIVE)
            .values("credit_grade").annotate(
                agencies=Count("pk", filter=Q(kind=Organization.Kind.AGENCY)),
                owners=Count("pk", filter=Q(kind=Organization.Kind.OWNER))))
    by_grade = {row["credit_grade"]: row for row in rows}
    grades = [{"grade": g, "agencies": by_grade.get(g, {}).get("agencies", 0),
               "owners": by_grade.get(g, {}).get("owners", 0)} for g in "ABCD"]
    counted = Organization.objects.filter(kind__in=RATED_KINDS)
    return MarketOverview(
        grades=grades,
        blacklisted=counted.filter(blacklisted_until__gt=now).count(),
        exited=counted.filter(status=Organization.Status.EXITED).count(),
        organizations=sum(g["agencies"] + g["owners"] for g in grades),
    )


@dataclass(frozen=True)
class MarketActivity:
    average_bids: Decimal | None
    savings: dict  # selectors_market.savings_against_budget_caps
    months: list[dict]  # [{"month", "published", "awards", "amount"}], oldest first
    series: dict  # selectors_market.market_series, for the chart


def market_activity(*, months: int = 12, now: dt.datetime | None = None) -> MarketActivity:
    """The market figures of the public overview, cached a few minutes: they aggregate every
    bid and award of the market (seconds at 1,000,000 bids, issue 14 §1), and any project
    event computes them afresh (`selectors_market.cached_market_figures`). The sealed-bid rule
    is kept where the aggregates are written (`bidding.selectors_market`: opened projects
    only)."""
    moment = timezone.localtime(now or timezone.now())
    # The month in the key: the series moves on at a month's turn, whatever the cache holds.
    return selectors_market.cached_market_figures(
        f"credit-overview:{months}:{moment:%Y-%m}",
        lambda: _market_activity(months=months, now=now))


def _market_activity(*, months: int, now: dt.datetime | None) -> MarketActivity:
    series = selectors_market.market_series(months=months, now=now)
    rows = [{"month": label, "published": published, "awards": awards, "amount": amount}
            for label, published, awards, amount in zip(
                series["labels"], series["published"], series["awards"], series["amount"],
                strict=True)]
    return MarketActivity(average_bids=selectors_market.average_bids_per_project(),
                          savings=selectors_market.savings_against_budget_caps(),
                          months=rows, series=series)


def overview_chart_data(overview: MarketOverview, activity: MarketActivity) -> dict:
    """What the overview's charts draw (numbers only: their labels are in the template)."""
    return {
        "grades": {"labels": [g["grade"] for g in overview.grades],
                   "agencies": [g["agencies"] for g in overview.grades],
                   "owners": [g["owners"] for g in overview.grades]},
        "months": {"labels": activity.series["labels"],
                   "published": activity.series["published"],
                   "awards": activity.series["awards"]},
    }


def credit_settings() -> dict:
    """The values the "how credit works" page documents, read from settings and the credit
    policy."""
    event_types = policy.event_types()
    return {
        "prior_weight": settings.MARKETPLACE_CREDIT_PRIOR_WEIGHT,
        "default_score": settings.MARKETPLACE_DEFAULT_CREDIT_SCORE,
        "default_rating": settings.MARKETPLACE_DEFAULT_RATING,
        "thresholds": policy.grade_thresholds(),
        "event_types": [
            {"type": value, "label": label, **event_types[value],
             "severity_label": CreditEvent.Severity(event_types[value]["severity"]).label}
            for value, label in CreditEvent.Type.choices
            if value in event_types and value != "reversal"
        ],
        "rules": policy.blacklist_rules(),
        "repair_min_period": settings.MARKETPLACE_CREDIT_REPAIR_MIN_PERIOD,
        "exit_period": settings.MARKETPLACE_EXIT_PERIOD,
        "rating_period": settings.MARKETPLACE_RATING_PERIOD,
    }


# --- Appeals and repair -----------------------------------------------------------------------


def pending_appeals() -> QuerySet[BlacklistAppeal]:
    return (BlacklistAppeal.objects.filter(status=BlacklistAppeal.Status.PENDING)
            .select_related("entry", "organization").prefetch_related("evidence")
            .order_by("submitted_at", "id"))


def pending_repairs() -> QuerySet[CreditRepairRequest]:
    return (CreditRepairRequest.objects.filter(status=CreditRepairRequest.Status.PENDING)
            .select_related("entry", "organization").prefetch_related("evidence")
            .order_by("submitted_at", "id"))


# --- Violation cases --------------------------------------------------------------------------


def cases_ready_for_decision(cases: QuerySet[ViolationCase] | None = None, *,
                             now: dt.datetime | None = None) -> QuerySet[ViolationCase]:
    """Cases a regulator can decide now: replied, or unanswered after the reply period (the
    workspace's and the console's "ready for decision" filter, the API's and the dashboard's)."""
    cases = ViolationCase.objects.all() if cases is None else cases
    now = now or timezone.now()
    status = ViolationCase.Status
    return cases.filter(Q(status=status.REPLIED)
                        | Q(status=status.AWAITING_REPLY, reply_due_at__lte=now))


def organization_or_404(pk: int) -> Organization:
    organization = Organization.objects.filter(pk=pk, kind__in=RATED_KINDS).first()
    if organization is None:
        raise NotFound()
    return organization


def score_history(organization: Organization, *, months: int = 24,
                  now: dt.datetime | None = None) -> list[dict]:
    """The organization's standing over the last `months`, oldest first, for the credit page's
    chart: its standing when the window opened (the last change before it, if any), every
    change inside it, and today's standing."""
    now = now or timezone.now()
    start = now - dt.timedelta(days=round(months * 30.44))
    changes = ScoreChange.objects.filter(organization=organization)
    before = changes.filter(recorded_at__lt=start).order_by("-recorded_at", "-pk").first()
    points = [{"at": start, "score": before.score, "grade": before.grade}] if before else []
    points += [{"at": c.recorded_at, "score": c.score, "grade": c.grade}
               for c in changes.filter(recorded_at__gte=start, recorded_at__lte=now)
               .order_by("recorded_at", "pk")]
    points.append({"at": now, "score": organization.credit_score,
                   "grade": organization.credit_grade})
    return points
