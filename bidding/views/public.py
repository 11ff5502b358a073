"""Public, read-only pages: the project list, a project's announcement and "verify this draw"
(stable URLs, DESIGN §5). Bids are only ever read through `selectors`, which seal them."""

from django.http import Http404
from django.shortcuts import render

from bidding import selectors
from bidding.filters import ProjectPageFilter
from bidding.models import Project
from bidding.views.announcement import announcement_extras
from marketplace import draw as draw_rule
from marketplace.errors import NotFound
from marketplace.web import page_of, querystring_without_page

PAGE_SIZE = 20


def _viewer(request):
    user = request.user if request.user.is_authenticated else None
    return selectors.viewer_organization(user)


def _project(request, pk: int):
    organization = _viewer(request)
    try:
        return selectors.project_for_viewer(pk, organization), organization
    except NotFound:
        raise Http404


def project_list(request):
    # Public: published projects only, never anybody's drafts.
    projects = ProjectPageFilter(request.GET, queryset=selectors.projects_for_viewer(None))
    page = page_of(request, projects, PAGE_SIZE)
    rows = [{"project": project, "bid_count": selectors.bid_count(project)}
            for project in page.object_list]
    return render(request, "bidding/project_list.html", {
        "filter": projects, "page": page, "rows": rows,
        "querystring": querystring_without_page(request),
    })


def project_detail(request, pk: int):
    project, organization = _project(request, pk)
    sealed = selectors.is_sealed(project)
    bids = []
    if not sealed:
        # The public bid table: only the bids that were in at opening, whoever looks.
        bids = [bid for bid in selectors.bids_for_viewer(project, organization)
                if selectors.bid_access(bid, organization, project) != selectors.NONE
                and bid.status in selectors.OPENED_STATUSES]
    questions = [q for q in selectors.questions_for_viewer(project) if q.answered_at]
    return render(request, "bidding/project_detail.html", {
        "project": project,
        "is_draft": project.status == Project.Status.DRAFT,
        # The owner's own forms are in its workspace; the announcement points it there.
        "is_owner": organization is not None and organization.pk == project.owner_id,
        "is_random": project.selection_method == Project.Method.RANDOM,
        "is_comprehensive": project.selection_method == Project.Method.COMPREHENSIVE,
        "sealed": sealed,
        "bid_count": selectors.bid_count(project),
        "bids": bids,
        "questions": questions,
        "amendments": project.amendments.order_by("published_at", "id"),
        "qualifications": project.required_qualifications.all(),
        "award": selectors.standing_award(project),
        "draw": selectors.latest_draw(project),
        "documents": project.attachments.all(),
        **announcement_extras(request, project, organization),
    })


def project_draw(request, pk: int):
    project, _organization = _project(request, pk)
    if project.selection_method != Project.Method.RANDOM:
        raise Http404
    draw = selectors.latest_draw(project)
    context = {"project": project, "commitment": project.draw_commitment, "draw": draw}
    if draw is not None:
        candidates = list(draw.candidates)
        context.update({
            "commitment": draw.commitment,
            "candidates": candidates,
            "n": len(candidates),
            "winner": candidates[draw.index] if draw.index < len(candidates) else "",
            "verified": draw_rule.verify(commitment=draw.commitment, secret=draw.secret,
                                         candidates=candidates, seed=draw.seed,
                                         index=draw.index),
        })
    return render(request, "bidding/project_draw.html", context)
