"""Random inspection pages: the public list and plan page (results and "verify this draw").
Regulators make plans, draw and record results in the console (cms/console/cases_views.py);
the plan page links its regulator and inspectors there."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from marketplace.actors import is_admin_of
from marketplace.errors import NotFound
from marketplace.web import render_domain_error
from ratings import selectors
from ratings.models import InspectionPlan, InspectionTarget
from ratings.services import inspections as services

PAGE_SIZE = 20


def _viewer(request):
    return selectors.viewer_organization(request.user)


def _plans_for(organization):
    mine = Q(regulator=organization) if organization is not None else Q(pk__in=[])
    return (InspectionPlan.objects.filter(Q(drawn_at__isnull=False) | mine)
            .select_related("regulator", "service_item", "region"))


def public_list(request):
    plans = InspectionPlan.objects.filter(drawn_at__isnull=False).select_related(
        "regulator", "service_item", "region").order_by("-drawn_at", "-id")
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ratings/inspections/public_list.html", {"page": page})


def plan_detail(request, pk: int):
    organization = _viewer(request)
    plan = _plans_for(organization).filter(pk=pk).first()
    if plan is None:
        return render_domain_error(request, NotFound())
    targets = list(plan.targets.select_related("agency").prefetch_related("inspectors"))
    is_own = organization is not None and organization.pk == plan.regulator_id
    user_id = request.user.pk if request.user.is_authenticated else None
    is_admin = is_own and is_admin_of(request.user, organization)
    for target in targets:
        target.may_record = target.result == InspectionTarget.Result.PENDING and (
            is_admin or any(u.pk == user_id for u in target.inspectors.all()))
    return render(request, "ratings/inspections/detail.html", {
        "plan": plan, "targets": targets, "is_own": is_own,
        "checks": services.recompute(plan) if plan.is_drawn else [],
    })
