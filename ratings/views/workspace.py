"""The organization's own credit page (its entries, appeals and credit repair) and rating a
closed contract. Views parse, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.accounts.standing import standing_of
from marketplace.errors import DomainError, NotAllowed, NotFound
from marketplace.files import file_response
from marketplace.web import refusal_on
from ratings import selectors, services
from ratings.forms import EvidenceForm, RatingForm, ReplyForm
from ratings.models import AppealEvidence, BlacklistEntry, Rating, RatingWindow, RepairEvidence
from ratings.rules import check_rated_replies
from ratings.services.ratings import direction_of


def _organization(request):
    organization = selectors.viewer_organization(request.user)
    if organization is None:
        raise NotAllowed(_("Your account does not belong to an organization."))
    return organization


@login_required
def my_credit(request):
    organization = _organization(request)
    now = timezone.now()
    entries = selectors.blacklist_history(organization).prefetch_related(
        "appeals", "repair_requests")
    windows = (RatingWindow.objects.filter(revealed_at__isnull=True, closes_at__gt=now)
               .filter(contract__owner=organization) |
               RatingWindow.objects.filter(revealed_at__isnull=True, closes_at__gt=now)
               .filter(contract__agency=organization)).select_related("contract")
    return render(request, "ratings/my_credit.html", {
        "organization": organization, "credit": selectors.standing(organization),
        "standing": standing_of(organization, now=now),
        "notice": selectors.blacklist_notice(organization, now),
        "entries": entries, "windows": windows,
        "ratings": selectors.revealed_ratings_received(organization)[:5],
        "changes": selectors.recent_score_changes(organization),
    })


def _own_entry(request, pk: int) -> BlacklistEntry:
    organization = _organization(request)
    entry = BlacklistEntry.objects.filter(pk=pk, organization=organization).first()
    if entry is None:
        raise NotFound()
    return entry


def _evidence_view(request, pk: int, *, service, title: str, done: str):
    entry = _own_entry(request, pk)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form) as attempt:
            service(entry=entry, by=request.user, text=form.cleaned_data["text"],
                    files=request.FILES.getlist("evidence"))
        if attempt.succeeded:
            messages.success(request, done)
            return redirect("ratings:my_credit")
    return render(request, "ratings/evidence_form.html",
                  {"form": form, "entry": entry, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def appeal(request, pk: int):
    return _evidence_view(request, pk, service=services.appeal_submit,
                          title=_("Appeal against a blacklist entry"),
                          done=_("Your appeal was submitted; a regulator will reply."))


@login_required
@require_http_methods(["GET", "POST"])
def repair(request, pk: int):
    return _evidence_view(request, pk, service=services.repair_request,
                          title=_("Apply for credit repair"),
                          done=_("Your credit repair request was submitted."))


@login_required
def evidence(request, kind: str, pk: int):
    """An evidence file, for the listed organization's members and regulators only."""
    model = {"appeal": AppealEvidence, "repair": RepairEvidence}.get(kind)
    stored = model.objects.filter(pk=pk).first() if model else None
    viewer = selectors.viewer_organization(request.user)
    if stored is None or viewer is None:
        raise_404 = True
    else:
        owner_id = (stored.appeal.organization_id if kind == "appeal"
                    else stored.request.organization_id)
        raise_404 = not (viewer.is_regulator or viewer.pk == owner_id)
    if raise_404:
        from django.http import Http404

        raise Http404
    return file_response(stored)


@login_required
@require_http_methods(["GET", "POST"])
def rate(request, contract_id: int):
    """Rate the other party of a closed contract (link target for the contracts pages)."""
    organization = _organization(request)
    contract = selectors.contract_for_ratings(contract_id, organization)
    direction = direction_of(contract, organization)
    owner_rates = direction == Rating.Direction.OWNER_TO_AGENCY
    rated = contract.agency if owner_rates else contract.owner
    ratings = list(selectors.contract_ratings(contract))
    mine = next((r for r in ratings if r.direction == direction), None)
    form = RatingForm(request.POST or None, owner_rates=owner_rates)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form) as attempt:
            rating = services.rating_submit(contract=contract, scores=form.scores(),
                                            by=request.user,
                                            comment=form.cleaned_data["comment"])
        if attempt.succeeded:
            messages.success(request, _rating_done(rating))
            return redirect("ratings:rate", contract_id=contract.pk)
    window = RatingWindow.objects.filter(contract=contract).first()
    return render(request, "ratings/rate.html", {
        "contract": contract, "form": form, "mine": mine, "window": window, "rated": rated,
        "ratings": [(r, selectors.can_see_scores(r, organization)) for r in ratings],
        "revealed": window is not None and window.revealed_at is not None,
        "organization": organization,
        "can_rate": mine is None and contract.is_closed and (
            window is None or window.is_open(timezone.now())),
    })


def _rating_done(rating: Rating) -> str:
    if rating.revealed:
        return format_html(
            '{} <a class="alert-link" href="#ratings">{}</a>',
            _("Thank you. The other party had already rated, so both ratings are now "
              "published."), _("See both ratings"))
    return _("Thank you. Both ratings are published when the other party has rated or the "
             "rating period ends.")


@login_required
@require_POST
def reply(request, pk: int):
    rating = Rating.objects.filter(pk=pk).first()
    form = ReplyForm(request.POST)
    if rating is None:
        raise NotFound()
    check_rated_replies(rating=rating, by=request.user)
    if not form.is_valid():
        raise DomainError(_("Write your reply."), field="text")
    services.rating_reply(rating=rating, by=request.user, text=form.cleaned_data["text"])
    messages.success(request, _("Your reply is published."))
    return redirect("ratings:credit_detail", pk=rating.rated_id)
