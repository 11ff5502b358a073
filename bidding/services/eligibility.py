"""Whether an agency and its offer meet a project's terms: checked when a bid is sealed and
again at opening (DESIGN §4 "A bid is valid only if…").

Each check returns the first problem found, or None, so submission can refuse with the right
error and opening can record the same message as the bid's `invalid_reason`.
"""

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from bidding.errors import CannotBid, RequirementsUnmet
from bidding.models import Exclusion, Project
from bidding.models.projects import GRADES
from marketplace.accounts.models import Organization
from marketplace.accounts.rules import check_in_good_standing
from marketplace.errors import DomainError, refusal_of
from marketplace.formatting.money import format_money
from providers.models import AgencyService, Qualification

CENT = Decimal("0.01")


class AgencyFacts:
    """What `agency_problem` reads about an agency besides its own row (exclusion, service,
    qualifications), for one project. Read on demand for one agency (a submission, a page);
    `for_agencies` reads them for many at once, in four queries whatever their number (the
    opening checks every bidder)."""

    def __init__(self, project: Project, now: dt.datetime):
        self.project, self.day = project, timezone.localdate(now)
        self._loaded: set[int] = set()
        self._exclusions: dict[int, Exclusion] = {}
        self._services: dict[int, AgencyService] = {}
        self._required: list | None = None
        self._held: dict[int, set[int]] = {}

    @classmethod
    def for_agencies(cls, project: Project, agency_ids, now: dt.datetime, *,
                     exclusions: dict[int, Exclusion] | None = None) -> "AgencyFacts":
        """`exclusions`: the agencies' exclusions from `project`, by agency id, when the caller
        has just read them (a submission, with the agency's row under the lock)."""
        facts = cls(project, now)
        ids = set(agency_ids)
        facts._loaded = ids
        if exclusions is None:
            exclusions = {e.agency_id: e for e in
                          Exclusion.objects.filter(project=project, agency_id__in=ids)}
        facts._exclusions = exclusions
        facts._services = {s.agency_id: s for s in AgencyService.objects.filter(
            agency_id__in=ids, service_item_id=project.service_item_id)}
        facts._required = list(project.required_qualifications.all())
        if facts._required and ids:
            for q in Qualification.objects.filter(agency_id__in=ids,
                                                  qualification_type__in=facts._required):
                if q.counts_on(facts.day):
                    facts._held.setdefault(q.agency_id, set()).add(q.qualification_type_id)
        return facts

    @classmethod
    def for_projects(cls, bidders: list[tuple[Project, set[int]]], now: dt.datetime
                     ) -> dict[int, "AgencyFacts"]:
        """`for_agencies` for several projects at once, by project id (the openings that one
        deadline makes due): four queries whatever the number of projects and agencies."""
        every = set().union(*(ids for _project, ids in bidders)) if bidders else set()
        projects = [project for project, _ids in bidders]
        day = timezone.localdate(now)
        exclusions: dict[int, dict[int, Exclusion]] = defaultdict(dict)
        for e in Exclusion.objects.filter(project__in=projects, agency_id__in=every):
            exclusions[e.project_id][e.agency_id] = e
        services: dict[int, dict[int, AgencyService]] = defaultdict(dict)
        for s in AgencyService.objects.filter(
                agency_id__in=every, service_item_id__in={p.service_item_id for p in projects}):
            services[s.service_item_id][s.agency_id] = s
        prefetch_related_objects(projects, "required_qualifications")
        required = {t.pk for p in projects for t in p.required_qualifications.all()}
        held: dict[int, set[int]] = {}
        if required and every:
            for q in Qualification.objects.filter(agency_id__in=every,
                                                  qualification_type__in=required):
                if q.counts_on(day):
                    held.setdefault(q.agency_id, set()).add(q.qualification_type_id)
        facts = {}
        for project, ids in bidders:
            one = facts[project.pk] = cls(project, now)
            one._loaded = set(ids)
            one._exclusions = exclusions[project.pk]
            one._services = services[project.service_item_id]
            one._required = list(project.required_qualifications.all())
            one._held = held
        return facts

    def exclusion(self, agency: Organization) -> Exclusion | None:
        if agency.pk in self._loaded:
            return self._exclusions.get(agency.pk)
        return Exclusion.objects.filter(project=self.project, agency=agency).first()

    def service(self, agency: Organization) -> AgencyService | None:
        if agency.pk in self._loaded:
            return self._services.get(agency.pk)
        return agency_service(project=self.project, agency=agency)

    def missing_qualifications(self, agency: Organization) -> list:
        if agency.pk not in self._loaded:
            return missing_qualifications(project=self.project, agency=agency, day=self.day)
        held = self._held.get(agency.pk, set())
        return [t for t in self._required if t.pk not in held]


def agency_problem(*, project: Project, agency: Organization, now: dt.datetime,
                   facts: AgencyFacts | None = None) -> DomainError | None:
    """Whether `agency` may bid on `project` at `now`: standing, exclusion, service, grade,
    qualifications. `facts`: read beforehand for many agencies (`AgencyFacts.for_agencies`)."""
    facts = facts or AgencyFacts(project, now)
    if not agency.is_agency:
        return CannotBid(_("Only intermediary agencies can bid."))
    sanction = refusal_of(check_in_good_standing, agency, now)
    if sanction is not None:
        return sanction
    exclusion = facts.exclusion(agency)
    if exclusion is not None:
        return CannotBid(_("Your organization is excluded from this project (conflict of "
                           "interest): %(reason)s") % {"reason": exclusion.reason})
    if facts.service(agency) is None:
        return RequirementsUnmet(
            _("Your organization does not offer the service item “%(item)s”.")
            % {"item": project.service_item}, field="service_item")
    if project.min_grade and not meets_grade(agency.credit_grade, project.min_grade):
        return RequirementsUnmet(
            _("This project requires credit grade %(grade)s or better; yours is %(yours)s.")
            % {"grade": project.min_grade, "yours": agency.credit_grade}, field="requirements")
    missing = facts.missing_qualifications(agency)
    if missing:
        return RequirementsUnmet(
            _("Missing valid qualifications: %(names)s.")
            % {"names": ", ".join(str(t) for t in missing)}, field="requirements")
    return None


def offer_problems(*, project: Project, agency: Organization, price: Decimal | None,
                   discount_rate: Decimal | None, promised_days: int | None,
                   facts: AgencyFacts | None = None) -> list[DomainError]:
    """Every problem with an offer's values, in the order the service refuses them (rate or
    price, service time, fee standard): the service raises the first, the bid page shows them
    all at once. On a discount-rate project the price is the one the rate converts to.
    `facts`: already read for this agency (its service is not read again)."""
    problems: list[DomainError] = []
    if project.quote_format == Project.QuoteFormat.DISCOUNT_RATE:
        try:
            check_discount_rate(project=project, rate=discount_rate)
        except DomainError as refusal:
            problems.append(refusal)
            price = None
        else:
            price = price_from_discount_rate(project=project, rate=discount_rate)
    else:
        problem = offer_problem(project=project, price=price)
        if problem is not None:
            problems.append(problem)
            price = None
    service = (facts.service(agency) if facts is not None
               else agency_service(project=project, agency=agency))
    if promised_days is None or int(promised_days) < 1:
        problems.append(RequirementsUnmet(_("Promise a service time of at least one day."),
                                          field="promised_days"))
    elif service is not None and int(promised_days) > service.promised_days:
        problems.append(RequirementsUnmet(
            _("You committed to a service time of %(days)s days for this service; a bid "
              "cannot promise more.") % {"days": service.promised_days},
            field="promised_days"))
    if service is not None and service.fee_max is not None and price is not None \
            and price > service.fee_max:
        problems.append(RequirementsUnmet(
            _("The price exceeds the maximum fee of %(fee)s in your fee standard.")
            % {"fee": format_money(service.fee_max)}, field="price"))
    return problems


def offer_problem(*, project: Project, price: Decimal) -> DomainError | None:
    if price is None or price <= 0:
        return RequirementsUnmet(_("Enter a price above zero."), field="price")
    if price > project.budget_cap:
        return RequirementsUnmet(
            _("The price exceeds the budget cap of %(cap)s.")
            % {"cap": format_money(project.budget_cap)},
            field="price")
    return None


def agency_service(*, project: Project, agency: Organization) -> AgencyService | None:
    return AgencyService.objects.filter(
        agency=agency, service_item_id=project.service_item_id).first()


def meets_grade(grade: str, minimum: str) -> bool:
    if grade not in GRADES:
        return False
    return GRADES.index(grade) <= GRADES.index(minimum)


def missing_qualifications(*, project: Project, agency: Organization, day: dt.date) -> list:
    required = list(project.required_qualifications.all())
    if not required:
        return []
    held = {
        q.qualification_type_id
        for q in Qualification.objects.filter(agency=agency, qualification_type__in=required)
        if q.counts_on(day)
    }
    return [t for t in required if t.pk not in held]


def price_from_discount_rate(*, project: Project, rate: Decimal) -> Decimal:
    return (project.budget_cap * (Decimal(100) - rate) / Decimal(100)).quantize(
        CENT, rounding=ROUND_HALF_UP)


def check_discount_rate(*, project: Project, rate: Decimal | None) -> None:
    if rate is None:
        raise RequirementsUnmet(_("This project is quoted as a discount rate: enter "
                                  "discount_rate."), field="discount_rate")
    low = project.discount_rate_min if project.discount_rate_min is not None else Decimal(0)
    high = project.discount_rate_max if project.discount_rate_max is not None else Decimal(100)
    if not low <= rate <= high:
        raise RequirementsUnmet(
            _("The discount rate must be between %(low)s%% and %(high)s%%.")
            % {"low": low, "high": high}, field="discount_rate")
