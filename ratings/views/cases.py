"""Violation case pages: open a case, the case page (parties and regulators only), the reply,
evidence downloads and the list. Views parse, call, render. Regulators decide a case in the
console (cms/console/cases_views.py); the case page links there."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from bidding.models import Project
from marketplace.accounts.models import Organization
from marketplace.errors import NotFound
from marketplace.files import file_response
from marketplace.forms import StyledFormMixin
from marketplace.limits import TEXT_LIMITS
from marketplace.params import page_id_param
from marketplace.web import querystring_without_page, refusal_on, render_domain_error
from ratings import selectors
from ratings.forms import MultipleFileField
from ratings.models import CaseEvidence, ViolationCase
from ratings.redflags.selectors import case_prefill
from ratings.rules import check_may_open_case, check_respondent_replies
from ratings.services import cases as services

PAGE_SIZE = 20
READY = "ready"  # the list filter of the cases a regulator can decide now


class CaseOpenForm(StyledFormMixin, forms.Form):
    respondent_uscc = forms.CharField(
        label=gettext_lazy("Unified social credit code of the organization"), max_length=18)
    grounds = forms.ChoiceField(label=gettext_lazy("Grounds"),
                                choices=ViolationCase.Grounds.choices)
    project = forms.ModelChoiceField(label=gettext_lazy("Project (optional)"), required=False,
                                     queryset=Project.objects.none())
    statement = forms.CharField(max_length=TEXT_LIMITS["statement"],
                                label=gettext_lazy("Statement of facts"),
                                widget=forms.Textarea(attrs={"rows": 6}))
    evidence = MultipleFileField(label=gettext_lazy("Evidence (PDF, JPEG or PNG)"),
                                 required=False)

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        # Owners pick among their own projects; regulators type the number of any published
        # project (a list of every project would be too long).
        projects = Project.objects.exclude(status=Project.Status.DRAFT)
        field = self.fields["project"]
        if organization.is_regulator:
            field.widget = forms.NumberInput(attrs={"class": "form-control", "min": 1})
            field.label = _("Project number (optional)")
        else:
            projects = projects.filter(owner=organization)
        field.queryset = projects.order_by("-published_at", "-id")

    def clean_respondent_uscc(self):
        uscc = self.cleaned_data["respondent_uscc"].strip().upper()
        respondent = Organization.objects.filter(uscc=uscc).first()
        if respondent is None:
            raise forms.ValidationError(_("No organization has this code."))
        self.cleaned_data["respondent"] = respondent
        return uscc


class CaseReplyForm(StyledFormMixin, forms.Form):
    text = forms.CharField(max_length=TEXT_LIMITS["reply"], label=gettext_lazy("Your reply"),
                           widget=forms.Textarea(attrs={"rows": 6}))
    evidence = MultipleFileField(label=gettext_lazy("Evidence (PDF, JPEG or PNG)"),
                                 required=False)


def _organization(request) -> Organization:
    organization = selectors.viewer_organization(request.user)
    if organization is None:
        raise NotFound()
    return organization


def _case(request, pk: int) -> ViolationCase:
    case = services.visible_cases(_organization(request)).filter(pk=pk).first()
    if case is None:
        raise NotFound()
    return case


@login_required
def case_list(request):
    organization = _organization(request)
    cases = services.visible_cases(organization)
    status = request.GET.get("status", "")
    if status == READY:
        cases = selectors.cases_ready_for_decision(cases)
    elif status in ViolationCase.Status.values:
        cases = cases.filter(status=status)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ratings/cases/list.html", {
        "page": page, "organization": organization, "status": status,
        "statuses": [(READY, _("Ready for decision")), *ViolationCase.Status.choices],
        "querystring": querystring_without_page(request),
        "may_open": organization.is_regulator or organization.is_owner,
    })


@login_required
@require_http_methods(["GET", "POST"])
def case_open(request):
    organization = _organization(request)
    check_may_open_case(by=request.user)  # an agency is refused the page, not shown a form
    initial = {}
    respondent_id = page_id_param(request, "respondent")
    if respondent_id is not None:
        respondent = Organization.objects.filter(pk=respondent_id).first()
        if respondent is not None:
            initial["respondent_uscc"] = respondent.uscc
    flag_id = page_id_param(request, "flag")
    if flag_id is not None:  # "open a violation case" from a red flag (regulators only)
        initial.update(case_prefill(flag_id, organization))
    form = CaseOpenForm(request.POST or None, request.FILES or None, initial=initial,
                        organization=organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Who may open a case against whom (403) is said on the form too.
        with refusal_on(form, statuses=(400, 403)) as attempt:
            case = services.case_open(respondent=data["respondent"], grounds=data["grounds"],
                                      statement=data["statement"], project=data["project"],
                                      files=data["evidence"], by=request.user)
        if attempt.succeeded:
            messages.success(request, _("The case was opened and the organization notified."))
            return redirect("ratings:case_detail", pk=case.pk)
    return render(request, "ratings/cases/open.html", {"form": form})


@login_required
def case_detail(request, pk: int):
    case = _case(request, pk)
    organization = _organization(request)
    now = timezone.now()
    evidence = list(case.evidence.all())
    return render(request, "ratings/cases/detail.html", {
        "case": case, "now": now,
        "opener_evidence": [e for e in evidence if e.party == CaseEvidence.Party.OPENER],
        "respondent_evidence": [e for e in evidence
                                if e.party == CaseEvidence.Party.RESPONDENT],
        "may_reply": (organization.pk == case.respondent_id
                      and services.reply_open(case, now)),
        "may_decide": (organization.is_regulator and not case.is_decided
                       and not services.reply_open(case, now)),
        "decision_waits": (organization.is_regulator and services.reply_open(case, now)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def case_reply(request, pk: int):
    case = _case(request, pk)
    check_respondent_replies(case=case, by=request.user)
    form = CaseReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form) as attempt:
            services.case_reply(case=case, text=form.cleaned_data["text"],
                                files=form.cleaned_data["evidence"], by=request.user)
        if attempt.succeeded:
            messages.success(request, _("Your reply was filed."))
            return redirect("ratings:case_detail", pk=case.pk)
    return render(request, "ratings/cases/reply.html", {"case": case, "form": form})


@login_required
def case_evidence(request, pk: int, evidence_pk: int):
    case = _case(request, pk)
    evidence = CaseEvidence.objects.filter(case=case, pk=evidence_pk).first()
    if evidence is None:
        return render_domain_error(request, NotFound())
    return file_response(evidence)
