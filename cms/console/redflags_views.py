"""The console's red flags (issue 15 §1): the list with its filters, a flag's page (its
explanation, numbers and fence, the project, its bids and the agencies), "compute now", and
"dismiss with a reason" (re-authenticated like the other regulator decisions, audited). A flag
opens a violation case through the one case form, prefilled from the flag."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cms.console.pages import denied, paginate, reauthenticated
from cms.console.redflags_forms import DismissForm, RedFlagFilterForm
from marketplace.actors import acting_organization
from marketplace.web import refusal_as_message, refusal_on
from ratings.models import Indicator, RedFlag, RedFlagParty, RedFlagRun
from ratings.redflags import selectors
from ratings.redflags.explain import explanation, figure_rows
from ratings.services import redflags as services

VIEW = "ratings.view_redflag"
CHANGE = "ratings.change_redflag"


def _rows(flags) -> list[dict]:
    return [{"flag": flag, "explanation": explanation(flag),
             "parties": list(flag.parties.all()),
             "url": reverse("cms_console:red_flag", args=[flag.pk])} for flag in flags]


@denied(VIEW)
@require_GET
def red_flag_list(request):
    form = RedFlagFilterForm(request.GET or None)
    flags = selectors.filtered(selectors.visible_flags(acting_organization(request.user)),
                               **(form.filters() if form.is_bound else {}))
    page_obj = paginate(request, flags)
    query = request.GET.copy()
    query.pop("p", None)
    counts = selectors.open_counts()
    return render(request, "cms/console/red_flag_list.html", {
        "page_title": _("Red flags"), "header_icon": "warning", "form": form,
        "rows": _rows(page_obj), "page_obj": page_obj, "query": query.urlencode(),
        "counts": [(code, label, counts.get(code, 0)) for code, label in Indicator.choices],
        "last_run": RedFlagRun.objects.filter(finished_at__isnull=False).first(),
        "can_run": request.user.has_perm(CHANGE),
    })


@denied(CHANGE)
@require_POST
def red_flag_run(request):
    with refusal_as_message(request) as attempt:
        run = services.red_flags_run(by=request.user)
    if attempt.succeeded:
        messages.success(request, _("Red flags computed: %(count)s hold.") % {
            "count": sum(run.counts.values())})
    return redirect("cms_console:red_flags")


def case_link(flag: RedFlag, organization_id: int) -> str:
    return reverse("ratings:case_open") + "?" + urlencode(
        {"respondent": organization_id, "flag": flag.pk})


@denied(VIEW)
@require_http_methods(["GET", "POST"])
def red_flag_detail(request, pk: int):
    flags = selectors.visible_flags(acting_organization(request.user))
    flag = get_object_or_404(flags, pk=pk)
    form = None
    if flag.dismissed_at is None and request.user.has_perm(CHANGE):
        form = DismissForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            call = reauthenticated(request, lambda data: services.red_flag_dismiss(
                flag=flag, reason=data["reason"], by=request.user))
            with refusal_on(form, statuses=None) as attempt:
                call(form.cleaned_data)
            if attempt.succeeded:
                messages.success(request, _("The flag was dismissed."))
                return redirect("cms_console:red_flag", pk=flag.pk)
    parties = list(flag.parties.all())
    respondents = [(p.organization, p.get_role_display()) for p in parties]
    if flag.project is not None:
        respondents.append((flag.project.owner, RedFlagParty.Role.OWNER.label))
    bids = selectors.flag_bids(flag)
    winners = set(flag.project.awards.filter(cancelled_at__isnull=True)
                  .values_list("bid_id", flat=True)) if flag.project else set()
    return render(request, "cms/console/red_flag_detail.html", {
        "page_title": f"{flag.indicator} {flag.get_indicator_display()}",
        "header_icon": "warning", "flag": flag, "explanation": explanation(flag),
        "figures": figure_rows(flag.figures), "parties": parties, "form": form,
        "bids": [(bid, bid.pk in winners) for bid in bids],
        "cases": [(org, role, case_link(flag, org.pk)) for org, role in respondents],
        "back": reverse("cms_console:red_flags"),
    })
