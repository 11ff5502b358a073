"""Complaints without an account (issue 17 §4): the form reached from a project's announcement,
an agency's profile or an owner's page; the verification page (the code sent to the contact);
the follow page its link opens. The rules and the throttles are the service's
(ratings.services.public_complaints); a refusal shows on the form (a throttle with 429).
"""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from bidding.models import Project
from marketplace.accounts.middleware import client_ip
from marketplace.accounts.models import Organization
from marketplace.contacts import masked
from marketplace.errors import refusal_of
from marketplace.forms import StyledFormMixin
from marketplace.limits import TEXT_LIMITS
from marketplace.uploads import accepted_description
from marketplace.web import refusal_as_message, refusal_on
from ratings.forms import MultipleFileField
from ratings.rules import check_code_usable
from ratings.services import public_complaints as services

REFUSED_ON_FORM = (400, 429)


def _status(attempt) -> int:
    """A form's errors answer 200, as the other forms of the site; a throttle its 429."""
    return 200 if attempt.status == 400 else attempt.status


class PublicComplaintForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=TEXT_LIMITS["line"])
    contact = forms.CharField(
        label=gettext_lazy("Mobile number or e-mail address"), max_length=TEXT_LIMITS["line"],
        help_text=gettext_lazy("We send a code to it: the complaint is handled once you type "
                               "the code."))
    text = forms.CharField(label=gettext_lazy("What happened"),
                           max_length=TEXT_LIMITS["statement"],
                           widget=forms.Textarea(attrs={"rows": 6}))
    attachments = MultipleFileField(label=gettext_lazy("Attachments"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = accepted_description()
        self.fields["name"].widget.attrs["autocomplete"] = "name"


class CodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=gettext_lazy("Verification code"), max_length=12)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code"})


def _file(request, *, project=None, subject=None):
    form = PublicComplaintForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        with refusal_on(form, statuses=REFUSED_ON_FORM) as attempt:
            filed = services.public_complaint_file(
                name=form.cleaned_data["name"], contact=form.cleaned_data["contact"],
                text=form.cleaned_data["text"], files=form.cleaned_data["attachments"],
                project=project, subject=subject, client_address=client_ip(request))
        if attempt.succeeded:
            return redirect("ratings:public_complaint_verify", token=filed.verify_token)
        status = _status(attempt)
    about = project.owner if project is not None else subject
    return render(request, "ratings/complaints/public_new.html", {
        "form": form, "project": project, "about": about}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def file_about_project(request, pk: int):
    project = get_object_or_404(Project.objects.exclude(status=Project.Status.DRAFT)
                                .select_related("owner"), pk=pk)
    return _file(request, project=project)


@never_cache
@require_http_methods(["GET", "POST"])
def file_about_organization(request, pk: int):
    subject = get_object_or_404(Organization.objects.filter(
        kind__in=(Organization.Kind.AGENCY, Organization.Kind.OWNER)), pk=pk)
    return _file(request, subject=subject)


def _verify_page(request, person, form, status=200):
    return render(request, "ratings/complaints/public_verify.html", {
        "person": person, "complaint": person.complaint, "form": form,
        "contact": masked(person.contact_kind, person.contact),
        "verified": person.verified_at is not None}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request, token: str):
    person = services.by_verify_token(token)
    form = CodeForm(request.POST or None)
    if request.method == "GET":
        refusal = refusal_of(check_code_usable, complainant=person, now=timezone.now())
        if refusal is not None and person.verified_at is None:
            form.add_error(None, str(refusal.message))
        return _verify_page(request, person, form)
    if not form.is_valid():
        return _verify_page(request, person, form)
    with refusal_on(form, statuses=REFUSED_ON_FORM) as attempt:
        verified = services.public_complaint_verify(
            verify_token=token, code=form.cleaned_data["code"],
            client_address=client_ip(request))
    if not attempt.succeeded:
        person.refresh_from_db()
        return _verify_page(request, person, form, status=_status(attempt))
    messages.success(request, _(
        "Your contact is verified and your complaint is now with the regulators. Keep this "
        "page's address: it is your follow link, shown only this once; we also sent it to "
        "%(contact)s.") % {"contact": masked(person.contact_kind, person.contact)})
    return redirect("ratings:public_complaint_follow", token=verified.follow_token)


@never_cache
@require_POST
def resend(request, token: str):
    person = services.by_verify_token(token)
    with refusal_as_message(request, statuses=REFUSED_ON_FORM) as attempt:
        services.public_complaint_resend_code(verify_token=token,
                                              client_address=client_ip(request))
    if not attempt.succeeded:
        person.refresh_from_db()
        return _verify_page(request, person, CodeForm(), status=_status(attempt))
    messages.success(request, _("A new code was sent to %(contact)s.")
                     % {"contact": masked(person.contact_kind, person.contact)})
    return redirect("ratings:public_complaint_verify", token=token)


@never_cache
def follow(request, token: str):
    complaint = services.by_follow_token(token)
    return render(request, "ratings/complaints/public_follow.html", {
        "complaint": complaint, "attachments": complaint.attachments.all(),
        "public_list": reverse("ratings:complaints_public")})
