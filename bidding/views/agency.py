"""The agency's bidding pages: bid, revise, withdraw, re-confirm, justify, the receipt, "my
bids", questions and objections; the attachment downloads; regional alerts. (The
announcement's agency panel, QR code and countdown are in `announcement`.) Views parse, call
a service, render; the services keep the clock.

Bids are read through `selectors` (the sealed-bid rule): an agency's own bids are the only
bids these pages show before opening.
"""

import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rest_framework.exceptions import AuthenticationFailed

from bidding import receipts, rules, sealing, selectors, services
from bidding.client import client_of
from bidding.forms.agency import (
    BidForm,
    BidStatusFilterForm,
    JustificationForm,
    ObjectionForm,
    QuestionForm,
    RegionalAlertsForm,
)
from bidding.models import Bid, BidAttachment, ObjectionAttachment, Project
from bidding.services import eligibility
from bidding.views.announcement import objection_open
from marketplace.accounts.authentication import ExpiringTokenAuthentication
from marketplace.accounts.models import Organization
from marketplace.errors import DomainError, NotAllowed, NotFound
from marketplace.files import file_response
from marketplace.formatting.moments import local_minute
from marketplace.web import (
    Attempt,
    add_domain_error,
    querystring_without_page,
    refusal_as_message,
    refusal_on,
)
from providers import services as provider_services
from providers.models import AgencyService

PAGE_SIZE = 20
Status = Project.Status


# --- Who is looking -------------------------------------------------------------------------


def _agency(request) -> Organization:
    organization = selectors.viewer_organization(request.user)
    if organization is None or not organization.is_agency:
        raise NotAllowed(_("This page is for intermediary agencies."))
    return organization


def _own_bid(request, pk: int) -> tuple[Bid, Organization]:
    """The viewer's own bid; anyone else's is 404, whatever the phase and whoever asks (only
    the agency that made a bid has OWN access to it, so a viewer that is no agency gets 404
    too, not the 403 of `_agency`)."""
    organization = selectors.viewer_organization(request.user)
    try:
        bid, access = selectors.bid_for_viewer(pk, organization)
    except NotFound:
        raise Http404
    if access != selectors.OWN:
        raise Http404
    return bid, organization


def _project(request, pk: int) -> Project:
    try:
        return selectors.project_for_viewer(pk, selectors.viewer_organization(request.user))
    except NotFound:
        raise Http404


def _show_refusal(form, error: DomainError) -> None:
    """A service's refusal shown on the form it came from (the user keeps what was typed)."""
    if isinstance(form, BidForm):
        form.add_problem(error)
    else:
        add_domain_error(form, error)


def _form_page(request, template: str, context: dict, form, attempt: Attempt | None = None):
    """The form (again). After a refusal on it: 200 for one about the input, as for the form's
    own checks; the refusal's status (403, 409) otherwise."""
    if isinstance(form, BidForm):
        form.remind_files()  # after errors, the chosen files must be chosen again
    status = 200 if attempt is None or attempt.status == 400 else attempt.status
    # The privacy notice of the bid form (bidding.client): how long its origin is kept.
    context = {**context, "client_retention_days": settings.MARKETPLACE_BID_CLIENT_RETENTION_DAYS}
    return render(request, template, {**context, "form": form}, status=status)


# --- Outcomes -------------------------------------------------------------------------------


def bid_outcome(bid: Bid, project: Project, award) -> tuple[str, str]:
    """What became of a bid, as (code, text) for "my bids" and the receipt page."""
    if bid.status == Bid.Status.WITHDRAWN:
        return "withdrawn", _("Withdrawn")
    if project.status == Status.CANCELLED:
        return "cancelled", _("Project cancelled")
    if bid.status == Bid.Status.DISQUALIFIED:
        return "invalid", _("Invalid: %(reason)s") % {"reason": bid.invalid_reason or "—"}
    if not project.is_opened:
        if bid.needs_reconfirmation:
            return "reconfirm", _("Sealed; re-confirm or revise it after the amendment")
        return "sealed", _("Sealed until opening")
    if not bid.valid:
        return "invalid", _("Invalid: %(reason)s") % {"reason": bid.invalid_reason or "—"}
    if project.status == Status.FAILED:
        return "failed", _("Valid; the bidding failed")
    if award is not None and award.bid_id == bid.pk:
        if award.final:
            return "awarded", _("Awarded")
        return "publicity", _("Won; under publicity until %(at)s") % {
            "at": local_minute(award.publicity_ends_at)}
    if award is not None:
        return "not_chosen", _("Valid; not chosen")
    return "evaluating", _("Valid; under evaluation")


# --- Bids -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def bid_submit(request, project_pk: int):
    agency = _agency(request)
    project = _project(request, project_pk)
    form = BidForm(request.POST or None, request.FILES or None, project=project, agency=agency)
    now = timezone.now()
    # The same rule the service applies and the announcement's panel shows.
    problem = eligibility.agency_problem(project=project, agency=agency, now=now)
    context = {"project": project, "agency": agency, "title": _("Submit a bid"),
               "closed": not rules.is_open_for_bids(project, now),
               "problem": str(problem.message) if problem is not None else ""}
    attempt = None
    if request.method == "POST" and form.is_valid():
        # Every refusal goes on the form: it is where the bid's problem is shown.
        with refusal_on(form, statuses=None, on_form=_show_refusal) as attempt:
            bid = services.bid_submit(project=project, by=request.user,
                                      client=client_of(request), **form.service_arguments())
        if attempt.succeeded:
            # The receipt itself is on the page below (a 64-character hash would not wrap).
            messages.success(request, _("Your bid is sealed. Keep the receipt shown below."))
            return redirect("bidding:bid_receipt", pk=bid.pk)
    return _form_page(request, "bidding/agency/bid_form.html", context, form, attempt)


@login_required
@require_http_methods(["GET", "POST"])
def bid_revise(request, pk: int):
    bid, agency = _own_bid(request, pk)
    project = bid.project
    initial = {"price": bid.price, "discount_rate": bid.discount_rate,
               "promised_days": bid.promised_days, "proposal": bid.proposal}
    form = BidForm(request.POST or None, request.FILES or None, project=project, agency=agency,
                   bid=bid, initial=initial)
    context = {"project": project, "bid": bid, "agency": agency, "title": _("Revise your bid")}
    attempt = None
    if request.method == "POST" and form.is_valid():
        with refusal_on(form, statuses=None, on_form=_show_refusal) as attempt:
            bid = services.bid_revise(bid=bid, by=request.user, **form.service_arguments())
        if attempt.succeeded:
            messages.success(request, _("Your bid was revised and sealed again; its new "
                                        "receipt is shown below."))
            return redirect("bidding:bid_receipt", pk=bid.pk)
    return _form_page(request, "bidding/agency/bid_form.html", context, form, attempt)


def _confirm_action(request, pk: int, *, action, template: str, done: str):
    """A yes/no page (GET) whose POST calls `action(bid=…, by=…)`."""
    bid, agency = _own_bid(request, pk)
    context = {"bid": bid, "project": bid.project, "agency": agency,
               "amendments": bid.project.amendments.order_by("published_at", "id")}
    if request.method == "POST":
        with refusal_as_message(request) as attempt:
            action(bid=bid, by=request.user)
        if attempt.succeeded:
            messages.success(request, done)
            return redirect("bidding:bid_receipt", pk=bid.pk)
        return render(request, template, {**context, "error": attempt.error},
                      status=attempt.status)
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def bid_withdraw(request, pk: int):
    return _confirm_action(request, pk, action=services.bid_withdraw,
                           template="bidding/agency/bid_withdraw.html",
                           done=_("Your bid was withdrawn."))


@login_required
@require_http_methods(["GET", "POST"])
def bid_confirm(request, pk: int):
    return _confirm_action(request, pk, action=services.bid_confirm,
                           template="bidding/agency/bid_confirm.html",
                           done=_("Your bid is confirmed under the amended terms."))


@login_required
@require_http_methods(["GET", "POST"])
def bid_justify(request, pk: int):
    bid, agency = _own_bid(request, pk)
    form = JustificationForm(request.POST or None, initial={"text": bid.justification})
    context = {"bid": bid, "project": bid.project, "agency": agency}
    attempt = None
    if request.method == "POST" and form.is_valid():
        with refusal_on(form, statuses=None, on_form=_show_refusal) as attempt:
            services.bid_justify(bid=bid, by=request.user, text=form.cleaned_data["text"])
        if attempt.succeeded:
            messages.success(request, _("Your justification was sent to the owner."))
            return redirect("bidding:bid_receipt", pk=bid.pk)
    return _form_page(request, "bidding/agency/bid_justify.html", context, form, attempt)


@login_required
def bid_receipt(request, pk: int):
    """The agency's own bid with what it needs to verify its receipt."""
    bid, agency = _own_bid(request, pk)
    project = bid.project
    canonical = receipts.canonical_of_bid(bid)
    published = []
    if not selectors.is_sealed(project):
        published = [b.receipt for b in selectors.bids_for_viewer(project, agency)
                     if b.status in selectors.OPENED_STATUSES]
    objections = []
    if project.is_opened:
        try:
            objections = list(selectors.objections_for_viewer(project, agency)
                              .prefetch_related("attachments"))
        except NotAllowed:  # a reading refusal: the receipt then lists no objections
            objections = []
    award = selectors.standing_award(project)
    now = timezone.now()
    return render(request, "bidding/agency/bid_receipt.html", {
        "bid": bid, "project": project, "agency": agency,
        "canonical": canonical,
        "verified": hmac.compare_digest(receipts.receipt_of(canonical, bid.salt), bid.receipt),
        "attachments": bid.attachments.all(),
        "published": published,
        "outcome": bid_outcome(bid, project, award),
        "changeable": bid.is_live and rules.is_open_for_bids(project, now),
        "can_justify": bid.is_live and bid.awaits_justification_decision,
        "can_object": objection_open(project, agency, award, now),
        "objections": objections,
    })


@login_required
def my_bids(request):
    agency = _agency(request)
    filters = BidStatusFilterForm(request.GET or None)
    # The agency's own bids only (OWN access under `selectors.bid_access`).
    bids = (Bid.objects.filter(agency=agency).select_related("project")
            .order_by("-submitted_at", "-id"))
    if filters.is_valid() and filters.cleaned_data["status"]:
        bids = bids.filter(status=filters.cleaned_data["status"])
    page = Paginator(bids, PAGE_SIZE).get_page(request.GET.get("page"))
    own = [bid for bid in page.object_list
           if selectors.bid_access(bid, agency, bid.project) == selectors.OWN]
    sealing.reveal_all_to_bidder(own, agency)
    # One query for the page's awards, not one per row (issue 14 §1 "pages under load").
    awards = selectors.standing_awards(bid.project_id for bid in own if bid.project.is_opened)
    rows = []
    for bid in own:
        award = awards.get(bid.project_id) if bid.project.is_opened else None
        code, text = bid_outcome(bid, bid.project, award)
        rows.append({"bid": bid, "project": bid.project, "outcome": code,
                     "outcome_text": text})
    return render(request, "bidding/agency/my_bids.html", {
        "agency": agency, "filter_form": filters, "page": page, "rows": rows,
        "querystring": querystring_without_page(request),
    })


# --- Questions and objections ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def question_ask(request, project_pk: int):
    agency = _agency(request)
    project = _project(request, project_pk)
    form = QuestionForm(request.POST or None)
    context = {"project": project, "agency": agency}
    attempt = None
    if request.method == "POST" and form.is_valid():
        with refusal_on(form, statuses=None, on_form=_show_refusal) as attempt:
            services.question_ask(project=project, by=request.user,
                                  text=form.cleaned_data["text"])
        if attempt.succeeded:
            messages.success(request, _("Your question was sent; the answer will be published "
                                        "on the announcement."))
            return redirect(project.get_absolute_url())
    return _form_page(request, "bidding/agency/question_form.html", context, form, attempt)


@login_required
@require_http_methods(["GET", "POST"])
def objection_file(request, project_pk: int):
    agency = _agency(request)
    project = _project(request, project_pk)
    form = ObjectionForm(request.POST or None, request.FILES or None)
    context = {"project": project, "agency": agency,
               "award": selectors.standing_award(project)}
    attempt = None
    if request.method == "POST" and form.is_valid():
        with refusal_on(form, statuses=None, on_form=_show_refusal) as attempt:
            services.objection_file(project=project, by=request.user,
                                    reason=form.cleaned_data["reason"],
                                    files=form.cleaned_data["files"])
        if attempt.succeeded:
            messages.success(request, _("Your objection was filed; the owner or a regulator "
                                        "will decide it."))
            return redirect(project.get_absolute_url())
    return _form_page(request, "bidding/agency/objection_form.html", context, form, attempt)


# --- Downloads ------------------------------------------------------------------------------


def _downloader(request):
    """The viewer's organization, from the session or an API token (the API lists these
    links); a bad token counts as nobody."""
    user = request.user
    if not user.is_authenticated:
        try:
            found = ExpiringTokenAuthentication().authenticate(request)
        except AuthenticationFailed:
            found = None
        user = found[0] if found else None
    return selectors.viewer_organization(user) if user is not None else None


def bid_attachment(request, pk: int):
    """The bidding agency always; after opening, whoever may read the proposal (the owner and
    regulators); 404 for everyone else, so nobody learns which files a sealed bid holds."""
    organization = _downloader(request)
    attachment = (BidAttachment.objects.select_related("bid__project").filter(pk=pk).first())
    if attachment is None or selectors.bid_access(
            attachment.bid, organization, attachment.bid.project) not in (selectors.OWN,
                                                                          selectors.FULL):
        raise Http404
    return file_response(attachment,
                         content=sealing.attachment_content(attachment, organization))


def objection_attachment(request, pk: int):
    """Whoever may read the objection: the owner, the bidders and regulators."""
    organization = _downloader(request)
    attachment = (ObjectionAttachment.objects.select_related("objection__project")
                  .filter(pk=pk).first())
    if attachment is None:
        raise Http404
    try:
        selectors.objections_for_viewer(attachment.objection.project, organization)
    except NotAllowed:  # 404, not 403: nobody learns which files an objection holds
        raise Http404
    return file_response(attachment)


# --- Regional alerts ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def regional_alerts(request):
    agency = _agency(request)
    offered = AgencyService.objects.filter(agency=agency)
    regional = set(offered.values_list("regional_alerts", flat=True))
    current = "region" if regional == {True} else "all"
    form = RegionalAlertsForm(request.POST or None, initial={"regional_alerts": current})
    context = {"agency": agency, "mixed": len(regional) > 1, "services": offered.count()}
    attempt = None
    if request.method == "POST" and form.is_valid():
        # Not an administrator (403) is its own page; an exited agency (409) is told here.
        with refusal_on(form, statuses=(400, 409), on_form=_show_refusal) as attempt:
            provider_services.agency_regional_alerts_set(
                agency=agency, by=request.user,
                regional_alerts=form.cleaned_data["regional_alerts"])
        if attempt.succeeded:
            messages.success(request, _("Your alert setting was saved."))
            return redirect(reverse("bidding:regional_alerts"))
    return _form_page(request, "bidding/agency/regional_alerts.html", context, form, attempt)
