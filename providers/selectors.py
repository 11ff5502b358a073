"""Reads of the agency directory and of agency and owner profiles (pages and API share them).

Credit, ratings and awards belong to apps above this one (ratings, bidding). Providers never
imports them (apps depend downward, DESIGN §3): the credit standing is read from the kernel's
Organization through `credit_standing`, and the higher apps register their reads for the hooks
declared here (`marketplace.hooks`: RATING_SUMMARY by ratings, RECENT_AWARDS by bidding), from
their AppConfig.ready(); an unprovided hook fails the start-up check.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from marketplace import hooks
from marketplace.accounts.models import Organization, OrganizationNameChange
from marketplace.accounts.selectors import former_names
from marketplace.accounts.standing import Standing, standing_of
from providers.models import AgencyService, Qualification

# --- Credit, ratings, awards: owned by higher apps ------------------------------------------


@dataclass(frozen=True)
class CreditStanding:
    score: Decimal
    grade: str


def credit_standing(organization: Organization) -> CreditStanding:
    """The one place providers reads an organization's credit (written only by `ratings`)."""
    return CreditStanding(score=organization.credit_score, grade=organization.credit_grade)


@dataclass(frozen=True)
class RatingSummary:
    count: int = 0
    average: Decimal | None = None  # None until the first revealed rating
    # (criterion label, average) of each criterion rated, in the rating form's order
    criteria: tuple[tuple[str, Decimal], ...] = ()


RATING_SUMMARY = "organization_rating_summary"  # (organization) -> RatingSummary
RECENT_AWARDS = "agency_recent_awards"  # (organization, limit) -> [award, …]
hooks.declare(RATING_SUMMARY, single=True, required_by="ratings")
hooks.declare(RECENT_AWARDS, single=True, required_by="bidding")


def rating_summary(organization: Organization) -> RatingSummary:
    """Count and average of the ratings an organization has received.

    Until the ratings app provides its reader this is `RatingSummary(count=0, average=None)`
    for everyone: no ratings exist yet, and "no average" must not read as a bad one.
    """
    reader = hooks.one(RATING_SUMMARY)
    return reader(organization) if reader is not None else RatingSummary()


def recent_awards(organization: Organization, *, limit: int = 5) -> list:
    """The agency's latest final awards, newest first; an empty list until bidding provides
    its reader (each item is whatever that reader returns: the profile shows `title`,
    `url`, `price` and `awarded_at` when present)."""
    reader = hooks.one(RECENT_AWARDS)
    return list(reader(organization, limit)) if reader is not None else []


# --- Directory ------------------------------------------------------------------------------


def listed_agencies() -> QuerySet[Organization]:
    """Agencies the public directory shows: active ones (suspended and exited are not listed;
    blacklisted ones are, with their status, as the blacklist itself is public)."""
    return Organization.objects.filter(
        kind=Organization.Kind.AGENCY, status=Organization.Status.ACTIVE
    )


def verified_qualifications(*, day: dt.date | None = None) -> QuerySet[Qualification]:
    # Expiry needs no task: a qualification stops counting when the date passes.
    day = day or timezone.localdate()
    return Qualification.objects.filter(
        status=Qualification.Status.VERIFIED, valid_until__gte=day
    )


def with_verified(queryset: QuerySet[Organization], *, day: dt.date | None = None):
    """Annotate `verified`: holds at least one verified, unexpired qualification."""
    return queryset.annotate(
        verified=Exists(verified_qualifications(day=day).filter(agency=OuterRef("pk")))
    )


def services_prefetch() -> Prefetch:
    return Prefetch(
        "services",
        queryset=AgencyService.objects.select_related("service_item").order_by(
            "service_item__code"
        ),
    )


def directory_queryset(*, day: dt.date | None = None) -> QuerySet[Organization]:
    """Listed agencies with what a directory row shows, in a constant number of queries."""
    return with_verified(
        listed_agencies().select_related("region").prefetch_related(services_prefetch()),
        day=day,
    )


# --- Profiles -------------------------------------------------------------------------------


def agency_services(agency: Organization) -> QuerySet[AgencyService]:
    return (
        AgencyService.objects.filter(agency=agency)
        .select_related("service_item")
        .order_by("service_item__code")
    )


def counting_qualifications(
    agency: Organization, *, day: dt.date | None = None
) -> QuerySet[Qualification]:
    """Qualifications that count on `day`: declared or verified, not expired (see
    `Qualification.counts_on`). Declared ones count until a regulator rejects them: agencies
    join without prior approval and are verified after the fact (宽进严管)."""
    day = day or timezone.localdate()
    return (
        Qualification.objects.filter(agency=agency, valid_until__gte=day)
        .exclude(status=Qualification.Status.REJECTED)
        .select_related("qualification_type")
    )


def public_qualifications(
    agency: Organization, *, day: dt.date | None = None
) -> QuerySet[Qualification]:
    """What the public profile lists: verified first, then declared ones, both unexpired."""
    # "verified" sorts after "declared"; descending puts the verified ones first.
    return counting_qualifications(agency, day=day).order_by(
        "-status", "qualification_type__code", "valid_until"
    )


def held_qualification_type_ids(agency: Organization, *, day: dt.date | None = None) -> set[int]:
    """Types of the qualifications that count on `day` (for bid requirements)."""
    return set(
        counting_qualifications(agency, day=day).values_list("qualification_type_id", flat=True)
    )


def agency_service_for(agency: Organization, service_item) -> AgencyService | None:
    """The agency's live offer of `service_item`, or None when it does not offer it."""
    return AgencyService.objects.filter(agency=agency, service_item=service_item).first()


@dataclass
class AgencyProfile:
    agency: Organization
    credit: CreditStanding
    ratings: RatingSummary
    blacklisted: bool
    standing: Standing
    services: list[AgencyService] = field(default_factory=list)
    qualifications: list[Qualification] = field(default_factory=list)
    recent_awards: list = field(default_factory=list)
    former_names: list[OrganizationNameChange] = field(default_factory=list)


def agency_profile(
    agency_id: int, *, day: dt.date | None = None, now: dt.datetime | None = None
) -> AgencyProfile:
    """Everything the public profile shows. Raises Organization.DoesNotExist for anything but
    an agency (an exited agency keeps its page: it is printed on notices)."""
    agency = Organization.objects.select_related("region").get(
        pk=agency_id, kind=Organization.Kind.AGENCY
    )
    return AgencyProfile(
        agency=agency,
        credit=credit_standing(agency),
        ratings=rating_summary(agency),
        blacklisted=agency.is_blacklisted(now),
        standing=standing_of(agency, now=now),
        services=list(agency_services(agency)),
        qualifications=list(public_qualifications(agency, day=day)),
        recent_awards=recent_awards(agency),
        former_names=list(former_names(agency)),
    )


@dataclass
class OwnerProfile:
    owner: Organization
    credit: CreditStanding
    ratings: RatingSummary
    blacklisted: bool
    standing: Standing
    former_names: list[OrganizationNameChange] = field(default_factory=list)


def owner_profile(owner_id: int, *, now: dt.datetime | None = None) -> OwnerProfile:
    """Raises Organization.DoesNotExist for anything but a project owner."""
    owner = Organization.objects.select_related("region").get(
        pk=owner_id, kind=Organization.Kind.OWNER
    )
    return OwnerProfile(
        owner=owner,
        credit=credit_standing(owner),
        ratings=rating_summary(owner),
        blacklisted=owner.is_blacklisted(now),
        former_names=list(former_names(owner)),
        standing=standing_of(owner, now=now),
    )


# --- Workspace ------------------------------------------------------------------------------


def own_qualifications(agency: Organization) -> QuerySet[Qualification]:
    """All of an agency's declarations, rejected and expired included (its own view)."""
    return (
        Qualification.objects.filter(agency=agency)
        .select_related("qualification_type", "reviewed_by")
        .order_by("-created_at")
    )


def qualifications_for_review() -> QuerySet[Qualification]:
    """Declarations waiting for a regulator, oldest first."""
    return (
        Qualification.objects.filter(status=Qualification.Status.DECLARED)
        .select_related("agency", "qualification_type")
        .order_by("created_at", "pk")
    )


def can_see_scan(user, qualification: Qualification) -> bool:
    """Members of the declaring agency and regulators only: scans carry personal data."""
    if not user.is_authenticated:
        return False
    membership = getattr(user, "membership", None)
    if membership is None:
        return False
    return (
        membership.organization_id == qualification.agency_id
        or membership.organization.is_regulator
    )
