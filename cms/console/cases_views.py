"""The console's complaints, violation cases, random inspections and credit events (DESIGN §4
"Credit"), through the same `ratings.services` functions as the API."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cms.console import ratings_forms as forms
from cms.console.pages import (
    CASES,
    COMPLAINTS,
    CREDIT,
    INSPECTIONS,
    cell,
    denied,
    form_action,
    listing,
    paginate,
    post_action,
    reauthenticated,
    when,
)
from marketplace.params import page_id_param
from ratings import selectors, services
from ratings.models import (
    Complaint,
    CreditEvent,
    InspectionPlan,
    InspectionTarget,
    ViolationCase,
)
from ratings.services import cases as case_services
from ratings.services import complaints as complaint_services
from ratings.services import inspections as inspection_services

# --- Complaints ---------------------------------------------------------------------------------


@denied(COMPLAINTS)
def complaint_list(request):
    status = request.GET.get("status") or Complaint.Status.SUBMITTED
    handled = [(value, label) for value, label in Complaint.Status.choices
               if value != Complaint.Status.UNVERIFIED]  # not verified: nobody handles it
    if status not in dict(handled):
        status = Complaint.Status.SUBMITTED
    page_obj = paginate(request, Complaint.objects.filter(status=status)
                        .select_related("subject", "project").order_by("submitted_at", "pk"))
    rows = [{"cells": [cell(c.subject.name), cell(c.project.title if c.project else ""),
                       cell(c.text[:200]), cell(when(c.submitted_at)),
                       cell(c.get_status_display())],
             "actions": [(_("Open"), reverse("cms_console:complaint", args=[c.pk]))]}
            for c in page_obj]
    return listing(request, title=_("Complaints"), icon="mail", rows=rows, page_obj=page_obj,
                   headers=[_("Complaint about"), _("Project"), _("Complaint"),
                            _("Submitted"), _("Status")],
                   filters=handled, current=status)


@denied(COMPLAINTS)
@require_http_methods(["GET", "POST"])
def complaint_detail(request, pk: int):
    complaint = get_object_or_404(Complaint.objects.exclude(
        status=Complaint.Status.UNVERIFIED).select_related(
        "subject", "project", "complainant", "complainant_organization", "public_complainant"),
        pk=pk)
    if request.method == "POST" and request.POST.get("action") == "accept":
        return post_action(
            request, lambda: complaint_services.complaint_accept(complaint=complaint,
                                                                 by=request.user),
            success=_("The complaint is now being handled."),
            done=reverse("cms_console:complaint", args=[complaint.pk]))
    return form_action(
        request, forms.ComplaintDecisionForm(request.POST or None),
        lambda data: complaint_services.complaint_decide(
            complaint=complaint, upheld=data["decision"], outcome=data["outcome"],
            by=request.user),
        success=_("Complaint answered."), done=reverse("cms_console:complaints"),
        show_form=complaint.status == Complaint.Status.HANDLING,
        title=_("Complaint about %(name)s") % {"name": complaint.subject}, icon="mail",
        back=reverse("cms_console:complaints"), submit=_("Answer the complaint"),
        facts=[(_("Complaint about"), complaint.subject.name),
               (_("Project"), complaint.project.title if complaint.project else ""),
               (_("Complainant"), _complainant(complaint)),
               (_("Complaint"), complaint.text),
               (_("Submitted"), when(complaint.submitted_at)),
               (_("Status"), complaint.get_status_display()),
               (_("Handled since"), when(complaint.handling_since)),
               (_("Outcome"), complaint.outcome)],
        accept=complaint.status == Complaint.Status.SUBMITTED,
        files=[(a.original_name, reverse("ratings:complaint_attachment",
                                         args=[complaint.pk, a.pk]))
               for a in complaint.attachments.all()])


def _complainant(complaint: Complaint) -> str:
    """Regulators only: the account, or the name and verified contact of a public filing."""
    if complaint.is_public_filing:
        person = complaint.public_complainant
        return _("%(name)s (no account; %(kind)s verified: %(contact)s)") % {
            "name": person.name, "kind": person.get_contact_kind_display(),
            "contact": person.contact}
    name = complaint.complainant.get_username()
    organization = complaint.complainant_organization
    return f"{name} ({organization.name})" if organization is not None else name


# --- Violation cases ----------------------------------------------------------------------------


@denied(CASES)
def case_list(request):
    show = request.GET.get("status") or "ready"
    cases = ViolationCase.objects.select_related("respondent", "opened_by_organization")
    if show == "ready":
        cases = selectors.cases_ready_for_decision(cases)
    elif show in ViolationCase.Status.values:
        cases = cases.filter(status=show)
    else:
        show, cases = "ready", selectors.cases_ready_for_decision(cases)
    page_obj = paginate(request, cases.order_by("opened_at", "pk"))
    rows = [{"cells": [cell(c.respondent.name), cell(c.get_grounds_display()),
                       cell(c.opened_by_organization.name if c.opened_by_organization else ""),
                       cell(when(c.opened_at)), cell(when(c.reply_due_at)),
                       cell(c.get_status_display())],
             "actions": [(_("Open"), reverse("cms_console:case_decide", args=[c.pk]))]}
            for c in page_obj]
    return listing(request, title=_("Violation cases"), icon="warning", rows=rows,
                   page_obj=page_obj, current=show,
                   headers=[_("Organization"), _("Grounds"), _("Opened by"), _("Opened"),
                            _("Reply due by"), _("Status")],
                   filters=[("ready", _("Ready for decision")),
                            *ViolationCase.Status.choices],
                   # Opening takes evidence files: the workspace's form (one place) does it.
                   buttons=[(_("Open a violation case"), reverse("ratings:case_open"))])


@denied(CASES)
@require_http_methods(["GET", "POST"])
def case_decide(request, pk: int):
    case = get_object_or_404(ViolationCase.objects.select_related(
        "respondent", "opened_by_organization", "project"), pk=pk)
    return form_action(
        request, forms.CaseDecisionForm(request.POST or None),
        reauthenticated(request, lambda data: case_services.case_decide(
            case=case, upheld=data["upheld"], decision=data["decision"], by=request.user,
            decline_reason=data["decline_reason"] or "",
            blacklist_until=data["blacklist_until"])),
        success=_("Case decided."), done=reverse("cms_console:cases"),
        show_form=not case.is_decided,
        title=_("Violation case: %(name)s") % {"name": case.respondent}, icon="warning",
        back=reverse("cms_console:cases"), submit=_("Record the decision"),
        facts=[(_("Organization"), case.respondent.name),
               (_("Grounds"), case.get_grounds_display()),
               (_("Project"), case.project.title if case.project else ""),
               (_("Statement of facts"), case.statement),
               (_("Reply due by"), when(case.reply_due_at)),
               (_("The organization's reply"), case.reply),
               (_("Status"), case.get_status_display()),
               (_("Written decision"), case.decision)],
        files=[(e.original_name, reverse("ratings:case_evidence", args=[case.pk, e.pk]))
               for e in case.evidence.all()])


# --- Random inspections -------------------------------------------------------------------------


@denied(INSPECTIONS)
def inspection_list(request):
    page_obj = paginate(request, InspectionPlan.objects.select_related(
        "service_item", "region").order_by("-created_at", "-pk"))
    rows = [{"cells": [cell(p.title), cell(p.service_item or ""), cell(p.region or ""),
                       cell(p.sample_size), cell(when(p.created_at)),
                       cell(p.get_status_display())],
             "actions": [(_("Open"), reverse("cms_console:inspection", args=[p.pk]))]}
            for p in page_obj]
    return listing(request, title=_("Random inspections"), icon="list-ul", rows=rows,
                   page_obj=page_obj,
                   headers=[_("Title"), _("Service item"), _("Region"),
                            _("Agencies to draw"), _("Created"), _("Status")],
                   buttons=[(_("New inspection plan"), reverse("cms_console:inspection_new"))])


@denied(INSPECTIONS)
@require_http_methods(["GET", "POST"])
def inspection_new(request):
    return form_action(
        request, forms.InspectionPlanForm(request.POST or None),
        lambda data: inspection_services.plan_create(
            title=data["title"], sample_size=data["sample_size"], by=request.user,
            service_item=data["service_item"], region=data["region"], grades=data["grades"],
            inspectors_per_agency=data["inspectors_per_agency"]),
        success=_("Inspection plan created; its draw commitment is public."),
        done=lambda plan: reverse("cms_console:inspection", args=[plan.pk]),
        title=_("New inspection plan"), icon="list-ul",
        back=reverse("cms_console:inspections"), submit=_("Create the plan"))


@denied(INSPECTIONS)
def inspection_detail(request, pk: int):
    plan = get_object_or_404(InspectionPlan.objects.select_related("service_item", "region"),
                             pk=pk)
    targets = plan.targets.select_related("agency").prefetch_related("inspectors")
    return render(request, "cms/console/inspection_detail.html", {
        "page_title": plan.title, "header_icon": "list-ul", "plan": plan,
        "targets": [(t, forms.InspectionResultForm(prefix=f"t{t.pk}")) for t in targets],
    })


@denied(INSPECTIONS)
@require_POST
def inspection_draw(request, pk: int):
    plan = get_object_or_404(InspectionPlan, pk=pk)
    return post_action(request, lambda: inspection_services.plan_draw(plan=plan, by=request.user),
                       success=_("Drawn: the agencies and their inspectors are public."),
                       done=reverse("cms_console:inspection", args=[plan.pk]))


@denied(INSPECTIONS)
@require_http_methods(["GET", "POST"])
def inspection_result(request, pk: int):
    target = get_object_or_404(InspectionTarget.objects.select_related("plan", "agency"), pk=pk)
    plan_page = reverse("cms_console:inspection", args=[target.plan_id])
    return form_action(
        request, forms.InspectionResultForm(request.POST or None, prefix=f"t{target.pk}"),
        lambda data: inspection_services.inspection_record(
            target=target, passed=data["result"], findings=data["findings"], by=request.user),
        success=_("Result recorded."), done=plan_page, back=plan_page,
        title=_("Record an inspection result"), icon="list-ul", submit=_("Record the result"),
        facts=[(_("Plan"), target.plan.title),
               (_("Agency"), f"{target.agency.name} ({target.agency.uscc})"),
               (_("Result"), target.get_result_display())])


# --- Credit events ------------------------------------------------------------------------------


@denied(CREDIT)
def credit_event_list(request):
    events = CreditEvent.objects.select_related("organization").order_by("-recorded_at", "-pk")
    organization = page_id_param(request, "organization")
    if organization is not None:
        events = events.filter(organization_id=organization)
    page_obj = paginate(request, events)
    reversed_ids = set(CreditEvent.objects.filter(reverses__in=list(page_obj))
                       .values_list("reverses_id", flat=True))
    rows = [{"cells": [cell(e.organization.name, reverse("cms_console:organization_manage",
                                                         args=[e.organization_id])),
                       cell(e.get_event_type_display()), cell(e.points),
                       cell(when(e.occurred_at)), cell(e.basis[:200]),
                       cell(_("Corrected") if e.pk in reversed_ids else "")],
             "actions": ([(_("Correct"), reverse("cms_console:credit_event_reverse",
                                                 args=[e.pk]))]
                         if e.event_type != CreditEvent.Type.REVERSAL
                         and e.pk not in reversed_ids else [])}
            for e in page_obj]
    return listing(request, title=_("Credit events"), icon="pick", rows=rows,
                   page_obj=page_obj,
                   headers=[_("Organization"), _("Type"), _("Points"), _("Occurred"),
                            _("Basis"), ""],
                   buttons=[(_("Add a credit event"),
                             reverse("cms_console:credit_event_add"))])


@denied(CREDIT)
@require_http_methods(["GET", "POST"])
def credit_event_add(request):
    form = forms.CreditEventForm(request.POST or None,
                                 initial={"organization": request.GET.get("organization")})
    return form_action(
        request, form,
        reauthenticated(request, lambda data: services.credit_event_add(
            organization=data["organization"], event_type=data["event_type"],
            basis=data["basis"], public_note=data["public_note"], days=data["days"],
            by=request.user)),
        success=_("Credit event recorded."), done=reverse("cms_console:credit_events"),
        title=_("Add a credit event"), icon="pick", back=reverse("cms_console:credit_events"),
        submit=_("Record the event"))


@denied(CREDIT)
@require_http_methods(["GET", "POST"])
def credit_event_reverse(request, pk: int):
    event = get_object_or_404(CreditEvent.objects.select_related("organization"), pk=pk)
    return form_action(
        request, forms.ReasonForm(request.POST or None),
        lambda data: services.credit_event_reverse(event=event, reason=data["reason"],
                                                   by=request.user),
        success=_("The event has been corrected."), done=reverse("cms_console:credit_events"),
        title=_("Correct a credit event"), icon="pick",
        back=reverse("cms_console:credit_events"), submit=_("Record the correction"),
        facts=[(_("Organization"), event.organization.name),
               (_("Type"), event.get_event_type_display()),
               (_("Points"), event.points), (_("Basis"), event.basis),
               (_("Occurred"), when(event.occurred_at))])
