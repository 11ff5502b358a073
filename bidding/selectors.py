"""Reads shared by the API and the pages. The sealed-bid rule lives here, in `bid_access` and
`bids_for_viewer`, and nowhere else:

    before opening, nobody but the bidding agency sees a bid's price, content or bidder — not
    the owner, not other agencies, not regulators; everyone may know how many bids there are.
    After opening, every bid that was in (agency, price, days, validity, rank, receipt) is
    public; its proposal and commitments are shown to the owner and regulators as well.
"""

import datetime as dt

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from bidding import sealing
from bidding.models import Award, Bid, Draw, Exclusion, Objection, Project, Question
from marketplace.accounts.models import Organization
from marketplace.accounts.selectors import organization_of
from marketplace.errors import NotAllowed, NotFound

# Access levels a viewer has to one bid.
NONE, OWN, PUBLIC, FULL = "none", "own", "public", "full"
# The bids that were in at opening (a bid disqualified before it is shown as invalid).
OPENED_STATUSES = (Bid.Status.SUBMITTED, Bid.Status.DISQUALIFIED)


def viewer_organization(user) -> Organization | None:
    return organization_of(user) if user is not None else None


def _visible_to(organization: Organization | None) -> Q:
    """Published projects for everyone, plus the viewer's own drafts."""
    visible = ~Q(status=Project.Status.DRAFT)
    if organization is not None:
        visible |= Q(owner=organization)
    return visible


def projects_for_viewer(organization: Organization | None) -> QuerySet[Project]:
    """Published projects for everyone, plus the viewer's own drafts."""
    return (Project.objects.filter(_visible_to(organization))
            .select_related("owner", "service_item", "region")
            .prefetch_related("required_qualifications")
            .annotate(live_bid_count=live_bid_count())
            # Explicit: an aggregate drops Meta.ordering. Newest announcements first.
            .order_by(F("published_at").desc(nulls_last=True), "-created_at", "-id"))


def live_bid_count() -> Coalesce:
    """`bid_count` as an annotation: a subquery per project row returned, not a join of every
    project with every bid grouped before the page's 20 rows are cut (issue 14 §1: the public
    list read all 1,000,000 bids to show 20 counts, and its paginator's COUNT did it again)."""
    counted = (Bid.objects.filter(project=OuterRef("pk"), status__in=OPENED_STATUSES)
               .order_by().values("project").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def project_for_viewer(pk, organization: Organization | None) -> Project:
    """The project if the viewer may see it; NotFound (404) otherwise (a draft is the owner's)."""
    try:
        return projects_for_viewer(organization).get(pk=pk)
    except (Project.DoesNotExist, ValueError, TypeError):
        raise NotFound()


def check_project_visible(pk, organization: Organization | None) -> None:
    """NotFound (404) unless the viewer may see project `pk`, as `project_for_viewer` answers,
    in one small query that reads nothing else: for an action whose service reads the project
    again under its lock (a bid submission)."""
    try:
        visible = Project.objects.filter(_visible_to(organization), pk=pk).exists()
    except (ValueError, TypeError):
        visible = False
    if not visible:
        raise NotFound()


def bid_count(project: Project) -> int:
    """How many bids the project has received (not withdrawn): public at any time. A bid
    disqualified before opening still counts, so a sanction reveals nothing while sealed."""
    count = getattr(project, "live_bid_count", None)
    if count is None:
        count = Bid.objects.filter(project=project, status__in=OPENED_STATUSES).count()
    return count


def is_sealed(project: Project) -> bool:
    return not project.is_opened


def opened_project_ids(now: dt.datetime) -> QuerySet:
    """The ids of the projects opened by `now` (a subquery): their bid entries in the audit
    log may be read (`marketplace.audit.selectors.visible_entries`). A project cancelled
    before its opening is never opened: who bid on it stays secret."""
    return Project.objects.filter(opened_at__isnull=False, opened_at__lte=now).values("pk")


def bid_access(bid: Bid, organization: Organization | None, project: Project | None = None
               ) -> str:
    project = project or bid.project
    if organization is not None and bid.agency_id == organization.pk:
        return OWN
    if is_sealed(project) or bid.status not in OPENED_STATUSES:
        return NONE
    if organization is not None and (organization.pk == project.owner_id
                                     or organization.is_regulator):
        return FULL
    return PUBLIC


# The methods whose public bid list shows the ranked bids first, in rank order.
RANKED_METHODS = (Project.Method.LOWEST_PRICE, Project.Method.COMPREHENSIVE)


def bids_for_viewer(project: Project, organization: Organization | None) -> QuerySet[Bid]:
    """The bids of `project` the viewer may see at all (then `bid_access` says how much)."""
    bids = Bid.objects.filter(project=project).select_related("agency").order_by("id")
    if is_sealed(project):
        if organization is None or not organization.is_agency:
            return bids.none()
        return bids.filter(agency=organization)
    mine = Q(agency=organization) if organization is not None else Q(pk__in=[])
    bids = bids.filter(Q(status__in=OPENED_STATUSES) | mine)
    if project.selection_method in RANKED_METHODS:
        # Ranked bids first, in rank order; unranked (invalid) ones after them.
        bids = bids.order_by(F("rank").asc(nulls_last=True), "id")
    return bids


def public_bids_by_project(projects: list[Project], bids: list[Bid] | None = None
                           ) -> dict[int, list[Bid]]:
    """`bids_for_viewer(project, None)` for many opened projects, in one query, with each
    agency's region: by project id, in the same order. `bids`: every bid of these projects,
    already read (with `agency__region`) and current, to sort instead of reading them again
    (the opening, which has just written them)."""
    by_project: dict[int, list[Bid]] = {project.pk: [] for project in projects}
    if bids is None:
        bids = (Bid.objects.filter(project__in=list(by_project), status__in=OPENED_STATUSES)
                .select_related("agency__region"))
    for bid in sorted(bids, key=lambda b: b.pk):
        if bid.project_id in by_project and bid.status in OPENED_STATUSES:
            by_project[bid.project_id].append(bid)
    for project in projects:
        if project.selection_method in RANKED_METHODS:  # as `bids_for_viewer` orders them
            by_project[project.pk].sort(key=lambda b: (b.rank is None, b.rank or 0, b.pk))
    return by_project


def bid_for_viewer(pk, organization: Organization | None) -> tuple[Bid, str]:
    """One bid with the viewer's access level; NotFound when the viewer may not see it. The
    bidding agency gets its sealed contents decrypted in memory (bidding.sealing)."""
    try:
        bid = Bid.objects.select_related("project", "agency").get(pk=pk)
    except (Bid.DoesNotExist, ValueError, TypeError):
        raise NotFound()
    access = bid_access(bid, organization)
    if access == NONE:
        raise NotFound()
    if access == OWN:
        sealing.reveal_to_bidder(bid, organization)
    return bid, access


def questions_for_viewer(project: Project) -> QuerySet[Question]:
    return Question.objects.filter(project=project).order_by("asked_at", "id")


def may_see_asker(question: Question, organization: Organization | None) -> bool:
    """Only the asker itself and regulators ever learn who asked."""
    return organization is not None and (
        organization.pk == question.asked_by_id or organization.is_regulator)


def standing_award(project: Project) -> Award | None:
    return (Award.objects.filter(project=project, cancelled_at__isnull=True)
            .select_related("bid__agency").first())


def standing_awards(project_ids) -> dict[int, Award]:
    """`standing_award` of many projects in one query: {project id: award} (a list page)."""
    awards: dict[int, Award] = {}
    for award in (Award.objects.filter(project_id__in=set(project_ids), cancelled_at__isnull=True)
                  .select_related("bid__agency").order_by("project_id", "proposed_at", "id")):
        awards.setdefault(award.project_id, award)
    return awards


def latest_draw(project: Project) -> Draw | None:
    return Draw.objects.filter(project=project).order_by("-drawn_at", "-id").first()


def contract_id(project: Project) -> int | None:
    """The id of the contract drawn up from the final award, without importing contracts:
    whatever the contracts app relates to the project as `contract`."""
    try:
        contract = project.contract
    except (AttributeError, ObjectDoesNotExist):
        return None
    if hasattr(contract, "all"):  # a reverse foreign key manager: the latest contract
        contract = contract.order_by("-pk").first()
    return getattr(contract, "pk", None)


def exclusions_visible(project: Project, organization: Organization | None) -> bool:
    """Conflict-of-interest exclusions name agencies: shown to the owner and regulators."""
    return organization is not None and (organization.pk == project.owner_id
                                         or organization.is_regulator)


def exclusions_of(project: Project) -> QuerySet[Exclusion]:
    return Exclusion.objects.filter(project=project).select_related("agency")


def is_bidder(project: Project, organization: Organization | None) -> bool:
    return organization is not None and Bid.objects.filter(
        project=project, agency=organization).exclude(status=Bid.Status.WITHDRAWN).exists()


def objections_for_viewer(project: Project, organization: Organization | None
                          ) -> QuerySet[Objection]:
    """Objections are shown to the owner, the bidders and regulators; NotAllowed to others."""
    allowed = organization is not None and (
        organization.pk == project.owner_id or organization.is_regulator
        or is_bidder(project, organization))
    if not allowed:
        raise NotAllowed(_("Objections are shown to the owner, the bidders and regulators."))
    return Objection.objects.filter(project=project).order_by("filed_at", "id")
