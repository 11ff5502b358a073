"""Regulators' credit desk: credit events, blacklisting and lifting, market exit, and the
appeals and credit repair requests waiting for a decision. Every action needs a reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.accounts.standing import standing_of
from marketplace.actors import require_regulator
from marketplace.errors import DomainError, NotFound
from marketplace.web import refusal_on
from ratings import selectors, services
from ratings.forms import BlacklistForm, CreditEventForm, DecisionForm, ExitForm, ReasonForm
from ratings.models import BlacklistAppeal, BlacklistEntry, CreditEvent, CreditRepairRequest
from ratings.models import BlacklistEntry as Entry


def _get(model, pk):
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj


@login_required
@require_http_methods(["GET", "POST"])
def manage(request, pk: int):
    """One page, three forms (event, blacklist, exit); `action` says which was sent."""
    require_regulator(request.user)
    organization = selectors.organization_or_404(pk)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        "event": CreditEventForm(request.POST if action == "event" else None, prefix="event"),
        "blacklist": BlacklistForm(request.POST if action == "blacklist" else None,
                                   prefix="blacklist"),
        "exit": ExitForm(request.POST if action == "exit" else None, prefix="exit"),
    }
    form = forms.get(action)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        with refusal_on(form) as attempt:
            if action == "event":
                services.credit_event_add(organization=organization, by=request.user, **data)
                done = _("The credit event was recorded.")
            elif action == "blacklist":
                services.blacklist_add(organization=organization, by=request.user,
                                       source=Entry.Source.REGULATOR, **data)
                done = _("The organization was blacklisted.")
            else:
                services.organization_expel(organization=organization, by=request.user, **data)
                done = _("The organization was removed from the market.")
        if attempt.succeeded:
            messages.success(request, done)
            return redirect("ratings:manage", pk=organization.pk)
    return render(request, "ratings/manage.html", {
        "organization": organization, "credit": selectors.standing(organization),
        "standing": standing_of(organization), "forms": forms,
        "entries": selectors.blacklist_history(organization),
        "events": selectors.public_events(organization)[:50],
    }, status=400 if form is not None and form.errors else 200)


def _post_with_reason(request, pk, *, model, call, done):
    require_regulator(request.user)
    obj = _get(model, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Give a reason."), field="reason")
    organization_id = call(obj, form.cleaned_data["reason"])
    messages.success(request, done)
    return redirect("ratings:manage", pk=organization_id)


@login_required
@require_POST
def lift(request, pk: int):
    def call(entry, reason):
        services.blacklist_lift(entry=entry, reason=reason, by=request.user)
        return entry.organization_id
    return _post_with_reason(request, pk, model=BlacklistEntry, call=call,
                             done=_("The entry was lifted."))


@login_required
@require_POST
def reverse_event(request, pk: int):
    def call(event, reason):
        services.credit_event_reverse(event=event, reason=reason, by=request.user)
        return event.organization_id
    return _post_with_reason(request, pk, model=CreditEvent, call=call,
                             done=_("The event was corrected."))


@login_required
def decisions(request):
    require_regulator(request.user)
    return render(request, "ratings/decisions.html", {
        "appeals": selectors.pending_appeals(), "repairs": selectors.pending_repairs(),
        "form": DecisionForm(),
    })


def _decide(request, pk, *, model, call, done):
    require_regulator(request.user)
    obj = _get(model, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Choose a decision and write the reply."), field="reply")
    call(obj, form.cleaned_data["decision"] == "yes", form.cleaned_data["reply"])
    messages.success(request, done)
    return redirect("ratings:decisions")


@login_required
@require_POST
def appeal_decide(request, pk: int):
    return _decide(request, pk, model=BlacklistAppeal, done=_("The appeal was decided."),
                   call=lambda appeal, yes, reply: services.appeal_decide(
                       appeal=appeal, upheld=yes, reply=reply, by=request.user))


@login_required
@require_POST
def repair_decide(request, pk: int):
    return _decide(request, pk, model=CreditRepairRequest,
                   done=_("The credit repair request was decided."),
                   call=lambda req, yes, reply: services.repair_decide(
                       request=req, approved=yes, reply=reply, by=request.user))
