"""Workspace pages for an organization's administrators: webhook endpoints, their secret (shown
once), the delivery log, resend, enable and disable. Every action is a service call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.actors import acting_organization, require_admin_of
from marketplace.errors import refusal_of
from marketplace.web import refusal_as_message, refusal_on
from marketplace.webhooks import rules, selectors, services
from marketplace.webhooks.forms import EndpointForm

LOG_SIZE = 50


def _endpoint(request, pk: int):
    endpoint = selectors.endpoint_of_user(request.user, pk)
    require_admin_of(request.user, endpoint.organization)
    return endpoint


def _detail(request, endpoint, *, form=None, secret: str = "", status: int = 200):
    initial = {"url": endpoint.url, "events": endpoint.events,
               "description": endpoint.description}
    return render(request, "webhooks/endpoint.html", {
        "endpoint": endpoint, "form": form or EndpointForm(initial=initial),
        "new_secret": secret, "rows": [
            {"delivery": delivery, "resend_refusal": refusal_of(
                rules.check_can_resend, delivery=delivery, endpoint=endpoint)}
            for delivery in selectors.deliveries_of(endpoint)[:LOG_SIZE]],
        "log_size": LOG_SIZE}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def endpoints(request):
    organization = acting_organization(request.user)
    if organization is None:
        return redirect("workspace")
    require_admin_of(request.user, organization)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form) as attempt:
            endpoint, secret = services.endpoint_create(organization=organization,
                                                        by=request.user, **form.cleaned_data)
        if attempt.succeeded:
            # Rendered, not redirected: the secret must not wait in a session for a next page.
            messages.success(request, _("The endpoint is registered."))
            return _detail(request, endpoint, secret=secret)
    return render(request, "webhooks/endpoints.html", {
        "endpoints": selectors.endpoints_of(organization), "form": form},
        status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def endpoint(request, pk: int):
    current = _endpoint(request, pk)
    if request.method == "GET":
        return _detail(request, current)
    form = EndpointForm(request.POST)
    if form.is_valid():
        with refusal_on(form) as attempt:
            services.endpoint_update(endpoint=current, by=request.user, **form.cleaned_data)
        if attempt.succeeded:
            messages.success(request, _("The endpoint is saved."))
            return redirect("webhooks:endpoint", pk=current.pk)
    return _detail(request, current, form=form, status=400)


@login_required
@require_POST
def endpoint_rotate(request, pk: int):
    current = _endpoint(request, pk)
    secret = services.endpoint_rotate_secret(endpoint=current, by=request.user)
    messages.success(request, _("A new signing secret is in force; the old one signs nothing "
                                "more."))
    current.refresh_from_db()
    return _detail(request, current, secret=secret)


@login_required
@require_POST
def endpoint_active(request, pk: int):
    current = _endpoint(request, pk)
    active = request.POST.get("active") == "1"
    with refusal_as_message(request, statuses=(400, 409)) as attempt:
        services.endpoint_set_active(endpoint=current, active=active, by=request.user)
    if attempt.succeeded:
        messages.success(request, _("The endpoint is enabled.") if active
                         else _("The endpoint is disabled."))
    return redirect("webhooks:endpoint", pk=current.pk)


@login_required
@require_POST
def delivery_resend(request, pk: int, delivery_id: int):
    current = _endpoint(request, pk)
    delivery = selectors.delivery_of(current, delivery_id)
    with refusal_as_message(request, statuses=(400, 409)) as attempt:
        services.delivery_resend(delivery=delivery, by=request.user)
    if attempt.succeeded:
        messages.success(request, _("The event is being sent again, unchanged."))
    return redirect("webhooks:endpoint", pk=current.pk)
