"""Complaint pages: the public list of decided complaints (without the complainant), filing a
complaint, the complainant's list and page, and the attachments (which the console links to).
Regulators accept and answer complaints in the console (cms/console/cases_views.py)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from marketplace.accounts.models import Organization
from marketplace.errors import NotFound
from marketplace.files import file_response
from marketplace.forms import StyledFormMixin
from marketplace.limits import TEXT_LIMITS
from marketplace.params import page_id_param
from marketplace.web import querystring_without_page, refusal_on
from ratings import selectors
from ratings.forms import MultipleFileField
from ratings.models import Complaint, ComplaintAttachment
from ratings.services import complaints as services

PAGE_SIZE = 20


class ComplaintForm(StyledFormMixin, forms.Form):
    subject_uscc = forms.CharField(
        label=gettext_lazy("Unified social credit code of the agency or owner"), max_length=18)
    text = forms.CharField(max_length=TEXT_LIMITS["statement"],
                           label=gettext_lazy("Your complaint"),
                           widget=forms.Textarea(attrs={"rows": 6}))
    attachments = MultipleFileField(label=gettext_lazy("Attachments (PDF, JPEG or PNG)"),
                                    required=False)

    def clean_subject_uscc(self):
        uscc = self.cleaned_data["subject_uscc"].strip().upper()
        subject = Organization.objects.filter(uscc=uscc).first()
        if subject is None:
            raise forms.ValidationError(_("No organization has this code."))
        self.cleaned_data["subject"] = subject
        return uscc


def public_list(request):
    complaints = services.public_complaints()
    subject = page_id_param(request, "subject")
    if subject is not None:
        complaints = complaints.filter(subject_id=subject)
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ratings/complaints/public_list.html", {
        "page": page, "querystring": querystring_without_page(request)})


@login_required
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    initial = {}
    subject_id = page_id_param(request, "subject")
    if subject_id is not None:
        subject = Organization.objects.filter(pk=subject_id).first()
        if subject is not None:
            initial["subject_uscc"] = subject.uscc
    form = ComplaintForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form) as attempt:
            complaint = services.complaint_submit(
                subject=form.cleaned_data["subject"], text=form.cleaned_data["text"],
                files=form.cleaned_data["attachments"], by=request.user)
        if attempt.succeeded:
            messages.success(request, _("Your complaint was filed. Regulators will answer it; "
                                        "the outcome is published without your name."))
            return redirect("ratings:complaint_detail", pk=complaint.pk)
    return render(request, "ratings/complaints/new.html", {"form": form})


def _regulator(request) -> bool:
    organization = selectors.viewer_organization(request.user)
    return organization is not None and organization.is_regulator


@login_required
def queue(request):
    """The complainant's own complaints. Regulators handle complaints in the console (stored
    notifications still link here), so they are sent there."""
    if _regulator(request):
        return redirect("cms_console:complaints")
    complaints = services.visible_complaints(request.user)
    status = request.GET.get("status", "")
    if status in Complaint.Status.values:
        complaints = complaints.filter(status=status)
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ratings/complaints/queue.html", {
        "page": page, "status": status, "statuses": Complaint.Status.choices,
        "querystring": querystring_without_page(request)})


def _visible(request, pk: int) -> Complaint:
    complaint = services.visible_complaints(request.user).filter(pk=pk).first()
    if complaint is None:
        raise NotFound()
    return complaint


@login_required
def detail(request, pk: int):
    """The complainant's page of a complaint; regulators go to the console's."""
    if _regulator(request):
        return redirect("cms_console:complaint", pk=pk)
    complaint = _visible(request, pk)
    return render(request, "ratings/complaints/detail.html", {
        "complaint": complaint, "attachments": complaint.attachments.all()})


@login_required
def attachment(request, pk: int, attachment_pk: int):
    complaint = _visible(request, pk)
    item = ComplaintAttachment.objects.filter(complaint=complaint, pk=attachment_pk).first()
    if item is None:
        raise NotFound()
    return file_response(item)
