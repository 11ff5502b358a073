"""Random inspection pages: the public list and plan page (results and "verify this draw"),
the regulator's plans, a new plan, the draw and recording a result."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.actors import is_admin_of, require_regulator
from marketplace.catalog.models import Region, ServiceItem
from marketplace.errors import NotFound
from marketplace.forms import StyledFormMixin
from marketplace.web import refusal_on, render_domain_error
from ratings import selectors
from ratings.models import InspectionPlan, InspectionTarget
from ratings.services import inspections as services

PAGE_SIZE = 20


class PlanForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    service_item = forms.ModelChoiceField(label=gettext_lazy("Service item"), required=False,
                                          queryset=ServiceItem.objects.filter(is_active=True))
    region = forms.ModelChoiceField(label=gettext_lazy("Region"), required=False,
                                    queryset=Region.objects.all())
    grades = forms.MultipleChoiceField(label=gettext_lazy("Credit grades"), required=False,
                                       choices=[(g, g) for g in services.GRADES],
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text=gettext_lazy("None ticked: every grade."))
    sample_size = forms.IntegerField(label=gettext_lazy("Agencies to draw (K)"), min_value=1,
                                     max_value=services.MAX_SAMPLE)
    inspectors_per_agency = forms.IntegerField(label=gettext_lazy("Inspectors per agency"),
                                               min_value=1, max_value=10, initial=2)


class ResultForm(StyledFormMixin, forms.Form):
    passed = forms.TypedChoiceField(
        label=gettext_lazy("Result"), coerce=lambda v: v == "yes",
        choices=[("yes", gettext_lazy("Passed")), ("no", gettext_lazy("Failed"))])
    findings = forms.CharField(label=gettext_lazy("Findings"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=gettext_lazy("Required when the inspection failed."))


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


@login_required
def my_plans(request):
    regulator = require_regulator(request.user)
    plans = InspectionPlan.objects.filter(regulator=regulator).select_related(
        "service_item", "region")
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ratings/inspections/my_plans.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request):
    require_regulator(request.user)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form) as attempt:
            plan = services.plan_create(by=request.user, **form.cleaned_data)
        if attempt.succeeded:
            messages.success(request, _("The plan is created and its draw commitment "
                                        "published. Draw when you are ready."))
            return redirect("ratings:inspection_detail", pk=plan.pk)
    return render(request, "ratings/inspections/new.html", {"form": form})


@login_required
@require_POST
def plan_draw(request, pk: int):
    plan = _plans_for(_viewer(request)).filter(pk=pk).first()
    if plan is None:
        raise NotFound()
    services.plan_draw(plan=plan, by=request.user)
    messages.success(request, _("The agencies and inspectors were drawn; the draw is public."))
    return redirect("ratings:inspection_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def target_result(request, pk: int):
    target = (InspectionTarget.objects.select_related("plan", "agency")
              .filter(pk=pk, plan__drawn_at__isnull=False).first())
    if target is None:
        return render_domain_error(request, NotFound())
    form = ResultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form) as attempt:
            services.inspection_record(target=target, by=request.user, **form.cleaned_data)
        if attempt.succeeded:
            messages.success(request, _("The result was recorded and published."))
            return redirect("ratings:inspection_detail", pk=target.plan_id)
    return render(request, "ratings/inspections/result.html", {"target": target, "form": form})
